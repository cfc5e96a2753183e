package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Map;

/**
 * The room a message leaves for header rewrites, as HAProxy counts it in its internal HTTP
 * message (HTX): a buffer of tune.bufsize less its own header, each start line, header, end of
 * headers and body part a block of 8 bytes plus its content. HAProxy stops reading a message
 * tune.maxrewrite bytes before the buffer is full, so that rules have that much room; a message
 * smaller than the buffer leaves more. A rewrite beyond the room fails (configuration.txt
 * "tune.maxrewrite", "http-request strict-mode").
 */
final class RewriteRoom {
    /** HAProxy 2.6's struct htx ahead of the blocks. */
    private static final int HTX_HEADER = 40;
    private static final int BLOCK = 8;
    /** The start line's fixed part (flags, lengths) ahead of its three strings. */
    private static final int START_LINE = 20;

    private RewriteRoom() {
    }

    static int of(HttpMessage m, long bodyBytes, int bufsize, int maxrewrite) {
        long headers = BLOCK + START_LINE + m.protocolVersion().text().length();
        if (m instanceof HttpRequest r) {
            headers += r.method().name().length() + r.uri().length();
        } else if (m instanceof HttpResponse r) {
            headers += 3 + r.status().reasonPhrase().length();
        }
        for (Map.Entry<String, String> h : m.headers()) {
            headers += BLOCK + h.getKey().length() + h.getValue().length();
        }
        headers += BLOCK + 1;   // end of headers
        long capacity = bufsize - HTX_HEADER;
        long used = headers + (bodyBytes > 0 ? BLOCK + bodyBytes : 0);
        long limit = capacity - maxrewrite;
        if (used > limit) {
            used = Math.max(headers, limit);
        }
        return (int) Math.max(0, capacity - used);
    }

    /** The body a message brings with its headers: its announced length, else what is held of it. */
    static long body(HttpHeaders h, long held) {
        String cl = h.get("content-length");
        if (cl != null) {
            try {
                return Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                return held;
            }
        }
        return held;
    }
}
