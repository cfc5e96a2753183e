package io.haquark.rules;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Turns an errorfile (a complete HTTP response written by the operator) into a response
 * object the encoder can send; the status line and headers are the file's own. Used for the
 * proxies' errorfile/http-errors pages and for "return"/"deny" with errorfile(s).
 */
public final class RawResponses {
    private RawResponses() {
    }

    /**
     * An empty errorfile ("errorfile 408 /dev/null" is HAProxy's own example): nothing is sent,
     * the connection is closed. The status still counts in logs and statistics.
     */
    public static final class Nothing extends DefaultFullHttpResponse {
        Nothing(int code) {
            super(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
        }
    }

    /** @param raw the file's bytes, released here */
    public static FullHttpResponse parse(ByteBuf raw, int fallbackCode, boolean close) {
        if (!raw.isReadable()) {
            raw.release();
            return new Nothing(fallbackCode);
        }
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        raw.release();
        int headerEnd = text.indexOf("\r\n\r\n");
        int sepLen = 4;
        if (headerEnd < 0) {
            headerEnd = text.indexOf("\n\n");
            sepLen = 2;
        }
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String body = headerEnd < 0 ? "" : text.substring(headerEnd + sepLen);
        String[] lines = head.split("\r?\n");
        int code = fallbackCode;
        String reason = HttpResponseStatus.valueOf(fallbackCode).reasonPhrase();
        String[] status = lines[0].split(" ", 3);
        if (status.length >= 2) {
            try {
                code = Integer.parseInt(status[1]);
                reason = status.length > 2 ? status[2] : reason;
            } catch (NumberFormatException e) {
                // keep the fallback status
            }
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(code, reason),
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.ISO_8859_1)));
        boolean hasLength = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    hasLength = true;
                }
                if (name.equalsIgnoreCase("connection")) {
                    continue;
                }
                // HAProxy keeps an errorfile as an internal HTTP message: names come out in lower case.
                r.headers().add(name.toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        if (!hasLength) {
            r.headers().set("content-length", r.content().readableBytes());
        }
        if (close) {
            r.headers().set("connection", "close");
        }
        return r;
    }
}
