package io.haquark.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of a server connection's pipeline. While the connection serves a
 * transaction it forwards everything to that client session; parked in the pool it only
 * watches for the server closing it.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    HttpSession session;
    HttpTxn txn;
    /** Where the connection sits when idle, to leave the pool when the server closes it. */
    BackendRuntime pool;
    int poolServer;
    int poolLoop;
    long bytesIn;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpSession s = session;
        HttpTxn t = txn;
        if (s == null || t == null) {
            // Data on an idle pooled connection: the server is misbehaving; drop the connection.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            s.responses.onServerResponse(t, r);
        }
        if (msg instanceof HttpContent c) {
            s.responses.onServerContent(t, c);
        } else if (!(msg instanceof HttpResponse)) {
            s.responses.onServerRaw(t, msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        HttpSession s = session;
        if (s != null) {
            s.flushClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        HttpSession s = session;
        if (s != null && ctx.channel().isWritable()) {
            s.serverWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpSession s = session;
        HttpTxn t = txn;
        if (s != null && t != null) {
            s.responses.onServerClosed(t, null);
        } else if (pool != null) {
            pool.removeIdle(poolServer, poolLoop, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpSession s = session;
        HttpTxn t = txn;
        ctx.close();
        if (s != null && t != null) {
            s.responses.onServerClosed(t, cause);
        }
    }
}
