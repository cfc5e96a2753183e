package io.haquark.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The answer to a HEAD stream carries no DATA (RFC 9113 §8.1), whatever the request became on
 * its way: "http-request set-method GET" makes the server send a body, which HAProxy drops as it
 * does for HTTP/1 clients. The stream ends with an empty DATA frame once the body was drained.
 * Netty's HTTP/1 server codec does this for HTTP/1 clients ({@link FrontendCodec}); its HTTP/2
 * stream conversion does not, and the stream was reset.
 */
final class H2HeadResponse extends ChannelDuplexHandler {
    private boolean head;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            head = HttpMethod.HEAD.equals(req.method());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!head || !(msg instanceof HttpContent content)
                || msg instanceof HttpResponse res && res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof HttpResponse res) {
            // A whole response: its headers end the stream.
            DefaultFullHttpResponse bare = new DefaultFullHttpResponse(res.protocolVersion(), res.status(),
                    Unpooled.EMPTY_BUFFER, res.headers(), EmptyHttpHeaders.INSTANCE);
            content.release();
            ctx.write(bare, promise);
            return;
        }
        content.release();
        if (msg instanceof LastHttpContent) {
            // The stream ends once the server's body has been read to its end: the server
            // connection stays reusable, as HAProxy drains what a HEAD answer does not carry.
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, promise);
        } else {
            promise.trySuccess();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
