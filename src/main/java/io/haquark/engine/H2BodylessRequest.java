package io.haquark.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A request without a body goes to an HTTP/2 server as one HEADERS frame with END_STREAM, as
 * HAProxy sends it. Written as head then empty end, Netty's stream conversion would send HEADERS
 * and an empty DATA frame, and the server could not tell the request has no body: an HTTP/1
 * server behind it got "Transfer-Encoding: chunked".
 */
final class H2BodylessRequest extends ChannelDuplexHandler {
    private HttpRequest held;
    private ChannelPromise heldPromise;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest req && !(msg instanceof HttpContent) && bodyless(req)) {
            held = req;
            heldPromise = promise;
            return;
        }
        if (held != null && msg instanceof LastHttpContent last && !last.content().isReadable()) {
            HttpRequest req = held;
            ChannelPromise first = heldPromise;
            held = null;
            heldPromise = null;
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                    Unpooled.EMPTY_BUFFER, req.headers(), last.trailingHeaders());
            last.release();
            ctx.write(full, promise).addListener(f -> {
                if (f.isSuccess()) {
                    first.trySuccess();
                } else {
                    first.tryFailure(f.cause());
                }
            });
            return;
        }
        if (held != null) {                       // not the empty end after all: send as it came
            ctx.write(held, heldPromise);
            held = null;
            heldPromise = null;
        }
        ctx.write(msg, promise);
    }

    private static boolean bodyless(HttpRequest req) {
        return !HttpUtil.isTransferEncodingChunked(req)
                && (!req.headers().contains(HttpHeaderNames.CONTENT_LENGTH) || HttpUtil.getContentLength(req, -1L) == 0L);
    }
}
