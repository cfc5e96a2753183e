package io.haquark.stats;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The 401 HAProxy sends for the stats page, with its WWW-Authenticate challenge. */
final class ErrorPagesBridge {
    private ErrorPagesBridge() {
    }

    static FullHttpResponse unauthorized(String realm) {
        byte[] body = ("<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n"
                + "</body></html>\n").getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                Unpooled.wrappedBuffer(body));
        r.headers().add("content-length", body.length);
        r.headers().add("cache-control", "no-cache");
        r.headers().add("content-type", "text/html");
        r.headers().add("www-authenticate", "Basic realm=\"" + realm + "\"");
        return r;
    }
}
