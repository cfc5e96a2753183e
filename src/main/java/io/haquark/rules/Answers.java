package io.haquark.rules;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Responses rules produce: HAProxy's default error pages, redirects, and "return" bodies. */
final class Answers {
    private Answers() {
    }

    static FullHttpResponse errorPage(int code) {
        return ErrorPages.transactionError(code, false);
    }

    static FullHttpResponse redirect(int code, String location) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(code, reason(code)));
        r.headers().add("content-length", 0);
        r.headers().add("location", location);
        return r;
    }

    static FullHttpResponse body(int code, String contentType, String body) {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(code, reason(code)),
                Unpooled.wrappedBuffer(b));
        r.headers().add("content-length", b.length);
        if (contentType != null) {
            r.headers().add("content-type", contentType);
        }
        return r;
    }

    static String reason(int code) {
        return switch (code) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            default -> ErrorPages.reason(code);
        };
    }
}
