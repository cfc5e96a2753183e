package io.haquark.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/** The server side of a TCP relay: bytes to the client with back-pressure, counters, timeout server (sD). */
final class TcpServerSide extends ChannelInboundHandlerAdapter {
    private final TcpSession session;

    TcpServerSide(TcpSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            session.bytesToClient += b.readableBytes();
            session.frontend.state.counters.bytesOut.add(b.readableBytes());
            session.backend.state.counters.bytesOut.add(b.readableBytes());
            if (session.serverState != null) {
                session.serverState.counters.bytesOut.add(b.readableBytes());
            }
        }
        if (session.holdResponse(msg)) {
            return;                                // tcp-response content rules are still inspecting
        }
        session.client.write(msg);
        if (!session.client.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !session.closed) {
            session.client.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.responseEnded();
        session.client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            session.serverInputShutdown();
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (session.termination == null) {
                session.termination = "sD";
            }
            ctx.close();
            session.client.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
