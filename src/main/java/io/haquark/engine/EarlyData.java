package io.haquark.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * What a TCP client sent before its server connection is up: kept as it arrives (after a
 * PROXY header, during tcp-request inspect-delay), read in place by the content rules
 * (req.payload, req.ssl_*), then written to the server first.
 */
final class EarlyData {
    private final ArrayDeque<Object> messages = new ArrayDeque<>();
    private int bytes;
    /** payload() made once per change of the data: rules may fetch it many times. */
    private byte[] copy;

    void add(Object msg) {
        messages.add(msg);
        if (msg instanceof ByteBuf b) {
            bytes += b.readableBytes();
        }
        copy = null;
    }

    /**
     * Whether the data lets the content rules decide: plain data, or a whole TLS record.
     * Reads the record header in place: nothing is copied per read, so inspecting data that
     * arrives in many small reads stays linear.
     */
    boolean inspectable() {
        if (bytes == 0) {
            return false;
        }
        if (byteAt(0) != 0x16) {
            return true;
        }
        return bytes >= 5 && bytes >= 5 + ((byteAt(3) << 8) | byteAt(4));
    }

    /** The i-th byte (i below the byte count), unsigned. */
    private int byteAt(int i) {
        for (Object o : messages) {
            if (o instanceof ByteBuf b) {
                if (i < b.readableBytes()) {
                    return b.getUnsignedByte(b.readerIndex() + i);
                }
                i -= b.readableBytes();
            }
        }
        return -1;
    }

    /** All the bytes, as req.payload reads them. */
    byte[] payload() {
        if (copy == null) {
            byte[] out = new byte[bytes];
            int at = 0;
            for (Object o : messages) {
                if (o instanceof ByteBuf b) {
                    b.getBytes(b.readerIndex(), out, at, b.readableBytes());
                    at += b.readableBytes();
                }
            }
            copy = out;
        }
        return copy;
    }

    /** Hands everything to the server connection (not flushed). */
    void writeTo(Channel server) {
        for (Object m : messages) {
            server.write(m);
        }
        messages.clear();
        bytes = 0;
        copy = null;
    }

    /** Hands every buffered message over (an upgrade to HTTP replays them into the new codec). */
    void drainTo(java.util.function.Consumer<Object> to) {
        while (!messages.isEmpty()) {
            to.accept(messages.poll());
        }
        bytes = 0;
        copy = null;
    }

    void release() {
        messages.forEach(ReferenceCountUtil::release);
        messages.clear();
        bytes = 0;
        copy = null;
    }
}
