package io.haquark.engine;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * Request body the proxy holds instead of streaming it: parts read before the server
 * connection is up (written first once it is), or the stats admin form's POST, kept whole up
 * to 64 KiB for the applet. One per connection, for its current transaction.
 */
final class HeldBody {
    private static final int FORM_LIMIT = 65536;
    private List<HttpContent> parts;
    private long bytes;
    private java.io.ByteArrayOutputStream form;

    void hold(HttpContent c) {
        if (parts == null) {
            parts = new ArrayList<>(2);
        }
        parts.add(c);
        bytes += c.content().readableBytes();
    }

    /** Body bytes held now (wait-for-body, req.body_len). */
    long bytes() {
        return bytes;
    }

    /** A copy of the held body bytes (req.body), or null when nothing is held. */
    byte[] bytesHeld() {
        if (parts == null) {
            return null;
        }
        byte[] out = new byte[(int) Math.min(bytes, Integer.MAX_VALUE)];
        int at = 0;
        for (HttpContent c : parts) {
            int n = c.content().readableBytes();
            c.content().getBytes(c.content().readerIndex(), out, at, n);
            at += n;
        }
        return out;
    }

    boolean isEmpty() {
        return parts == null;
    }

    /** Writes the held parts to the server connection (not flushed) and forgets them. */
    void writeTo(Channel server) {
        writeTo(server, null);
    }

    /** The same, each part shown to {@code tap} first (the copy kept for an L7 retry). */
    void writeTo(Channel server, RequestReplay tap) {
        if (parts != null) {
            for (HttpContent c : parts) {
                if (tap != null) {
                    tap.keep(c);
                }
                server.write(c);
            }
            parts = null;
        }
    }

    /** The transaction ended: what is still held goes. */
    void release() {
        if (parts != null) {
            for (HttpContent c : parts) {
                c.release();
            }
            parts = null;
        }
        bytes = 0;
        form = null;
    }

    /** Passes every held part through f (filters that start after the parts were held). */
    void replaceParts(java.util.function.UnaryOperator<HttpContent> f) {
        if (parts == null) {
            return;
        }
        bytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            HttpContent c = f.apply(parts.get(i));
            parts.set(i, c);
            bytes += c.content().readableBytes();
        }
    }

    /** The held parts, handed over (the holder is empty after). */
    List<HttpContent> takeParts() {
        List<HttpContent> out = parts == null ? List.of() : parts;
        parts = null;
        bytes = 0;
        return out;
    }

    /** A part of the admin form: copied (up to the limit) and released. */
    void keepForm(HttpContent c) {
        if (form == null) {
            form = new java.io.ByteArrayOutputStream();
        }
        int n = Math.min(c.content().readableBytes(), FORM_LIMIT - form.size());
        if (n > 0) {
            byte[] b = new byte[n];
            c.content().getBytes(c.content().readerIndex(), b);
            form.write(b, 0, n);
        }
        c.release();
    }

    byte[] form() {
        return form == null ? new byte[0] : form.toByteArray();
    }
}
