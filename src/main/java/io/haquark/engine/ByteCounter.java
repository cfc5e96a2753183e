package io.haquark.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts bytes a client sends before the HTTP decoder sees them (stats "bin", and the 408 rule). */
final class ByteCounter extends ChannelInboundHandlerAdapter {
    private final HttpSession session;
    private boolean first = true;

    ByteCounter(HttpSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            session.bytesReceived(b.readableBytes());
            if (first && b.isReadable()) {
                first = false;
                byte c = b.getByte(b.readerIndex());
                // Netty's decoder skips blanks and control bytes before a request line; HAProxy only
                // skips empty lines (CR, LF) and answers 400 to anything else that is no token.
                if (c == ' ' || c == '\t' || (c >= 0 && c < 0x20 && c != '\r' && c != '\n') || c == 0x7f) {
                    b.release();
                    session.rejectMalformed();
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }
}
