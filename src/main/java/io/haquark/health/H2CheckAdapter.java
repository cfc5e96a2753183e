package io.haquark.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP checks over HTTP/2 (server "proto h2" or "check-proto h2", configuration.txt §5.2):
 * the check's HTTP/1 request is sent as one h2 stream, and the stream's response comes back to
 * the check as HTTP/1 text ("HTTP/2.0 200" and its headers), so that the same expects judge it.
 * The connection closes once the response stream ends.
 */
final class H2CheckAdapter extends io.netty.handler.codec.http2.Http2ChannelDuplexHandler {
    /** Headers HTTP/2 forbids (RFC 9113 §8.2.2); the request's Host becomes :authority. */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "host");

    private final boolean tls;
    private Http2FrameStream stream;

    H2CheckAdapter(boolean tls) {
        this.tls = tls;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        String text;
        try {
            text = buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        byte[] body = end < 0 ? new byte[0] : text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ", 3);
        Http2Headers h = new DefaultHttp2Headers().method(start[0]).path(start.length > 1 ? start[1] : "/")
                .scheme(tls ? "https" : "http");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("host")) {
                h.authority(value);
            }
            if (!CONNECTION_SPECIFIC.contains(name)) {
                h.add(name, value);
            }
        }
        stream = newStream();
        ctx.write(new DefaultHttp2HeadersFrame(h, body.length == 0).stream(stream));
        if (body.length > 0) {
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true).stream(stream));
        }
        ctx.flush();
        promise.setSuccess();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame hf) {
            Http2Headers h = hf.headers();
            CharSequence status = h.status();
            if (status != null && status.length() == 3 && status.charAt(0) == '1') {
                return; // an interim response
            }
            StringBuilder sb = new StringBuilder(128);
            if (status != null) {
                sb.append("HTTP/2.0 ").append(status).append(" \r\n");
                for (Map.Entry<CharSequence, CharSequence> e : h) {
                    if (e.getKey().length() > 0 && e.getKey().charAt(0) != ':') {
                        sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
                    }
                }
                sb.append("\r\n");
            }
            ctx.fireChannelRead(Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (hf.isEndStream()) {
                ctx.close();
            }
        } else if (msg instanceof Http2DataFrame df) {
            boolean last = df.isEndStream();
            ctx.fireChannelRead(df.content().retain());
            df.release();
            if (last) {
                ctx.close();
            }
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }
}
