package io.haquark.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 from clients (ALPN "h2" on a TLS bind, or "proto h2" in clear): Netty's frame codec
 * and one child channel per stream, each turned into HTTP/1-style messages and served by its
 * own {@link HttpSession}, so every rule, ACL, balancer and log line applies to h2 requests
 * as they are. Servers are still spoken to in HTTP/1.1 (HAProxy does the same by default).
 */
final class Http2Frontend {
    /** HTTP/2 as req.ver and logs show it ("HTTP/2.0"); not keep-alive by default: a stream carries one request. */
    static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, false);

    private Http2Frontend() {
    }

    static void configure(Channel ch, Engine engine, Routing routing, FrontendRuntime frontend, EventLoop loop, int loopIndex,
                          int maxHeaderSize) {
        configure(ch, engine, routing, frontend, loop, loopIndex, maxHeaderSize, true);
    }

    /** @param announce log the connection ("Connect from"): false when an HTTP/1 session already did */
    static void configure(Channel ch, Engine engine, Routing routing, FrontendRuntime frontend, EventLoop loop, int loopIndex,
                          int maxHeaderSize, boolean announce) {
        ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(100).maxHeaderListSize(Math.max(maxHeaderSize, 4096)))
                .validateHeaders(true)
                .build());
        ch.pipeline().addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                // A reload applies to the next stream, as it does to the next HTTP/1 connection.
                Routing r = engine.routing();
                FrontendRuntime f = r.frontends.getOrDefault(frontend.name(), frontend);
                stream.pipeline().addLast("h2-trim", TRIM_VALUES);
                stream.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("h2-head", new H2HeadResponse());
                stream.pipeline().addLast("h2-request", new StreamRequest());
                stream.pipeline().addLast("session", new HttpSession(engine, r, f, loop, loopIndex));
            }
        }));
        // A client's FIN ends what it sends, not the streams it opened: they are answered, then the
        // connection closes (ConnectionErrors), as HAProxy finishes a closing client's requests.
        ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.pipeline().addLast("h2-errors", CONNECTION_ERRORS);
        // One "Connect from" line per connection, not per stream (without a log format).
        if (announce && ch.remoteAddress() instanceof java.net.InetSocketAddress r && ch.localAddress() instanceof java.net.InetSocketAddress l) {
            frontend.connected(r, l, true, ch);
        }
    }

    /**
     * A client that is no HTTP/2 client (an HTTP/1 request on a "proto h2" bind, a bad preface):
     * the codec has answered with GOAWAY; the connection closes without a stack trace in the log.
     */
    private static final io.netty.channel.ChannelHandler CONNECTION_ERRORS = new ConnectionErrors();

    @io.netty.channel.ChannelHandler.Sharable
    private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                io.netty.handler.codec.http2.Http2FrameCodec codec = ctx.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class);
                io.netty.handler.codec.http2.Http2Connection c = codec == null ? null : codec.connection();
                if (c == null || c.numActiveStreams() == 0) {
                    ctx.close();
                    return;
                }
                c.addListener(new io.netty.handler.codec.http2.Http2ConnectionAdapter() {
                    @Override
                    public void onStreamClosed(io.netty.handler.codec.http2.Http2Stream stream) {
                        if (c.numActiveStreams() == 0) {
                            ctx.close();
                        }
                    }
                });
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * The request of a stream as HttpSession takes HTTP/1 ones: version HTTP/2.0, without the
     * "x-http2-*" headers Netty's conversion adds, and a full request split into head and body.
     */
    static final class StreamRequest extends ChannelInboundHandlerAdapter {
        /**
         * As HAProxy reads an HTTP/2 request: the target is absolute (":scheme://:authority:path")
         * and a port that is the scheme's default is dropped from it and from Host ("scheme based
         * normalization", RFC 3986 §6.2.3). It goes to an HTTP/1 server in origin form.
         */
        static void normalize(HttpRequest req) {
            String scheme = req.headers().get("x-http2-scheme");
            String host = req.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
            String uri = req.uri();
            if (scheme == null || host == null || !uri.startsWith("/")
                    || req.method().equals(io.netty.handler.codec.http.HttpMethod.CONNECT)) {
                return;
            }
            String s = scheme.toLowerCase(java.util.Locale.ROOT);
            String dflt = s.equals("http") ? ":80" : s.equals("https") ? ":443" : null;
            if (dflt != null && host.endsWith(dflt)) {
                host = host.substring(0, host.length() - dflt.length());
                req.headers().set(io.netty.handler.codec.http.HttpHeaderNames.HOST, host);
            }
            req.setUri(s + "://" + host + uri);
        }

        /**
         * RFC 9113 §8.3.1 as HAProxy enforces it: a :path that is not "/..." (nor "*" for OPTIONS)
         * resets the stream; a :method that is not a token or a :scheme that is not a scheme
         * (RFC 3986 §3.1) is a bad request (400).
         * @return false when the stream was reset
         */
        static boolean validate(ChannelHandlerContext ctx, HttpRequest req) {
            String path = req.uri();
            boolean connect = req.method().equals(io.netty.handler.codec.http.HttpMethod.CONNECT);
            if (!connect && !path.startsWith("/") && !(path.equals("*") && req.method().equals(io.netty.handler.codec.http.HttpMethod.OPTIONS))) {
                ctx.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2ResetFrame(io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR));
                ctx.close();
                return false;
            }
            String scheme = req.headers().get("x-http2-scheme");
            if (!token(req.method().name()) || scheme != null && !scheme(scheme)) {
                req.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("bad :method or :scheme")));
            }
            return true;
        }

        private static boolean token(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean scheme(String s) {
            if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 0x80)) {
                return false;
            }
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                if (!validate(ctx, req)) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                    return;
                }
                normalize(req);
                List<String> internal = new ArrayList<>();
                for (var e : req.headers()) {
                    if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) {
                        internal.add(e.getKey());
                    }
                }
                internal.forEach(req.headers()::remove);
                if (msg instanceof FullHttpRequest full) {
                    DefaultHttpRequest head = new DefaultHttpRequest(HTTP_2, full.method(), full.uri(), full.headers());
                    head.setDecoderResult(full.decoderResult());
                    ctx.fireChannelRead(head);
                    ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
                    return;
                }
                req.setProtocolVersion(HTTP_2);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * HAProxy takes an HTTP/2 header value without the blanks around it; Netty's conversion to
     * HTTP/1 refuses such a value (the stream was reset). Values with CR, LF or NUL still fail.
     * A Host header beside :authority is dropped.
     */
    private static final io.netty.channel.ChannelHandler TRIM_VALUES = new TrimValues();

    @io.netty.channel.ChannelHandler.Sharable
    private static final class TrimValues extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http2.Http2HeadersFrame f) {
                io.netty.handler.codec.http2.Http2Headers h = f.headers();
                if (h.authority() != null && h.contains(io.netty.handler.codec.http.HttpHeaderNames.HOST)) {
                    // RFC 9113 §8.3.1: :authority is the target's authority; a Host header beside it
                    // is dropped (HAProxy forwards the :authority as Host), never a second Host.
                    h.remove(io.netty.handler.codec.http.HttpHeaderNames.HOST);
                }
                java.util.List<java.util.Map.Entry<CharSequence, CharSequence>> padded = null;
                for (java.util.Map.Entry<CharSequence, CharSequence> e : h) {
                    CharSequence v = e.getValue();
                    if (v.length() > 0 && (blank(v.charAt(0)) || blank(v.charAt(v.length() - 1)))) {
                        if (padded == null) {
                            padded = new java.util.ArrayList<>();
                        }
                        padded.add(new java.util.AbstractMap.SimpleEntry<>(e.getKey(), v));
                    }
                }
                if (padded != null) {
                    java.util.Set<CharSequence> names = new java.util.HashSet<>();
                    padded.forEach(e -> names.add(e.getKey()));
                    for (CharSequence name : names) {
                        java.util.List<CharSequence> values = h.getAll(name);
                        h.remove(name);
                        for (CharSequence v : values) {
                            h.add(name, v.toString().strip());
                        }
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }

        private static boolean blank(char c) {
            return c == ' ' || c == '\t';
        }
    }
}
