package io.haquark.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a connection knows of the listener that accepted it: its id (so_id: "bind ... id N", else
 * the first free number from 1 in the frontend, as HAProxy numbers listeners) and how many
 * connections it holds now (dst_conn).
 */
final class ListenerSlot {
    /** Where an accepted connection keeps its slot (an HTTP/2 stream reads its parent's). */
    static final io.netty.util.AttributeKey<ListenerSlot> KEY = io.netty.util.AttributeKey.valueOf("haquark.listener");
    final long id;
    final AtomicLong connections = new AtomicLong();

    ListenerSlot(long id) {
        this.id = id;
    }

    /** Counts ch on this listener while it is open. */
    void accepted(io.netty.channel.Channel ch) {
        ch.attr(KEY).set(this);
        connections.incrementAndGet();
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
    }

    static ListenerSlot of(io.netty.channel.Channel ch) {
        if (ch == null) {
            return null;
        }
        io.netty.channel.Channel c = ch instanceof io.netty.handler.codec.http2.Http2StreamChannel ? ch.parent() : ch;
        return c.attr(KEY).get();
    }

    /** The listener ids of a frontend's binds, one per bind line address, by HAProxy's numbering. */
    static long[] ids(java.util.List<io.haquark.model.Bind> binds) {
        int n = 0;
        for (io.haquark.model.Bind b : binds) {
            n += b.addresses().size();
        }
        long[] ids = new long[n];
        java.util.Set<Long> taken = new java.util.HashSet<>();
        int i = 0;
        for (io.haquark.model.Bind b : binds) {
            for (int k = 0; k < b.addresses().size(); k++, i++) {
                String id = b.options().get("id");
                if (id != null && k == 0) {
                    ids[i] = Long.parseLong(id);
                    taken.add(ids[i]);
                }
            }
        }
        long next = 1;
        i = 0;
        for (io.haquark.model.Bind b : binds) {
            for (int k = 0; k < b.addresses().size(); k++, i++) {
                if (ids[i] == 0) {
                    while (taken.contains(next)) {
                        next++;
                    }
                    ids[i] = next;
                    taken.add(next);
                }
            }
        }
        return ids;
    }
}
