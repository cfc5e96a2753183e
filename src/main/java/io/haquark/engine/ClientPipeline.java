package io.haquark.engine;

import io.haquark.model.Bind;
import io.haquark.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;

/**
 * What an accepted client connection gets, in order: the PROXY protocol decoder
 * (accept-proxy), TLS, then by the frontend's mode and the ALPN outcome a TcpSession,
 * HTTP/2 streams, or the HTTP/1 codec and its HttpSession. The serving model is looked up
 * per connection, so a reload applies to the next one.
 */
final class ClientPipeline {
    private final Engine engine;

    ClientPipeline(Engine engine) {
        this.engine = engine;
    }

    /** The model is looked up per accepted connection, so a reload applies to the next one. */
    ChannelInitializer<Channel> initializer(String frontendName, TlsContexts.Tls tls, boolean acceptProxy, Bind bind,
                                          ListenerSlot slot) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Routing serving = engine.routing;
                FrontendRuntime found = serving == null ? null : serving.frontends.get(frontendName);
                Routing next = engine.pending;
                if (found == null && next != null) {
                    serving = next;
                    found = next.frontends.get(frontendName);
                }
                final Routing r = serving;
                final FrontendRuntime f = found;
                if (f == null) {
                    ch.close();
                    return;
                }
                boolean tcp = f.proxy.mode() == io.haquark.model.Mode.TCP;
                EventLoop loop = ch.eventLoop();
                engine.clients.add(ch);
                slot.accepted(ch);
                String cip = bind.options().get("accept-netscaler-cip");
                if (cip != null) {
                    // The NetScaler's client IP header comes first; its addresses reach the PROXY header's Reader.
                    ch.pipeline().addLast("proxy-decoder", new NetscalerCip(Long.parseLong(cip)));
                } else if (acceptProxy) {
                    // The PROXY header comes before TLS and HTTP.
                    ch.pipeline().addLast("proxy-check", new ProxyProtocol.V2Check());
                    ch.pipeline().addLast("proxy-decoder", new io.netty.handler.codec.haproxy.HAProxyMessageDecoder());
                }
                if (tls != null) {
                    io.netty.channel.ChannelHandler handler = tls.newHandler(ch.alloc());
                    if (handler instanceof io.netty.handler.ssl.SslHandler ssl) {
                        // The handshake has the client timeout, as HAProxy gives it ("Timeout during SSL handshake").
                        ssl.setHandshakeTimeoutMillis(Math.max(0, f.clientTimeout));
                    }
                    TlsWatch watch = new TlsWatch(r, f, bind.name());
                    ch.pipeline().addLast("tls-seen", watch.seen);
                    ch.pipeline().addLast("tls", handler);
                    ch.pipeline().addLast("tls-watch", watch);
                }
                if (tcp) {
                    // mode tcp relays a half-close (the client's end of stream) instead of closing.
                    ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
                    TcpSession ts = new TcpSession(engine, r, f, loop);
                    ts.bindName = bind.name();
                    // "proto none" (a pass-through mux) has no HTTP layer to upgrade to.
                    ts.upgrader = "none".equals(bind.options().get("proto")) ? null
                            : (channel, backend, h2) -> upgrade(channel, r, f, loop, bind, backend, h2);
                    if (acceptProxy) {
                        ch.pipeline().addLast("proxy", new ProxyProtocol.Reader(ts));
                    }
                    ch.pipeline().addLast("tcp", ts);
                    return;
                }
                if (tls != null && bind.alpn().contains("h2")) {
                    // ALPN decides per connection: h2 streams, or the HTTP/1.1 pipeline below.
                    ch.pipeline().addLast("alpn", new io.netty.handler.ssl.ApplicationProtocolNegotiationHandler(
                            io.netty.handler.ssl.ApplicationProtocolNames.HTTP_1_1) {
                        @Override
                        protected void configurePipeline(io.netty.channel.ChannelHandlerContext ctx, String protocol) {
                            if (protocol.equals(io.netty.handler.ssl.ApplicationProtocolNames.HTTP_2)) {
                                Http2Frontend.configure(ctx.channel(), engine, r, f, loop, engine.loopIndex.getOrDefault(loop, 0), engine.bufsize);
                            } else {
                                // The connection is already active (TLS is done): start the session now.
                                HttpSession session = http1(ctx.channel(), r, f, loop, acceptProxy, bind);
                                session.channelActive(ctx.pipeline().context("session"));
                            }
                        }
                    });
                    return;
                }
                if ("h2".equals(bind.options().get("proto"))) {
                    // proto h2 without TLS: HTTP/2 with prior knowledge (h2c), as HAProxy's bind option.
                    Http2Frontend.configure(ch, engine, r, f, loop, engine.loopIndex.getOrDefault(loop, 0), engine.bufsize);
                    return;
                }
                http1(ch, r, f, loop, acceptProxy, bind);
            }
        };
    }

    /**
     * A failed TLS handshake is logged as HAProxy logs it (error-log-format, fc_err): closed before
     * a byte came (24), timed out (26), or refused (34). Both handlers leave once it is done.
     */
    private static final class TlsWatch extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final Routing routing;
        private final FrontendRuntime frontend;
        private final String bindName;
        private final long acceptMillis = System.currentTimeMillis();
        private boolean bytesSeen;
        /** Before the TLS handler: notes that the client sent something, then steps aside. */
        final io.netty.channel.ChannelInboundHandlerAdapter seen = new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                bytesSeen = true;
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
        };

        TlsWatch(Routing routing, FrontendRuntime frontend, String bindName) {
            this.routing = routing;
            this.frontend = frontend;
            this.bindName = bindName;
        }

        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    int code = done.cause() instanceof io.netty.handler.ssl.SslHandshakeTimeoutException ? ConnectionError.SSL_TIMEOUT
                            : !bytesSeen ? ConnectionError.SSL_EMPTY : ConnectionError.SSL_HANDSHAKE;
                    ConnectionError.report(routing, frontend, ctx.channel(), bindName, true, code, acceptMillis);
                }
                if (ctx.pipeline().get("tls-seen") != null) {
                    ctx.pipeline().remove("tls-seen");
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * A TCP stream that becomes HTTP (switch-mode http, or a backend in HTTP mode): the HTTP/1
     * pipeline, or HTTP/2 when the bytes read so far are its preface, on the open connection.
     * The TCP session already counted the connection and ran the connection rules.
     * @return the context that takes the bytes already read
     */
    private io.netty.channel.ChannelHandlerContext upgrade(Channel ch, Routing r, FrontendRuntime f, EventLoop loop, Bind bind,
                                                           BackendRuntime backend, boolean h2) {
        if (h2) {
            Http2Frontend.configure(ch, engine, r, f, loop, engine.loopIndex.getOrDefault(loop, 0), engine.bufsize);
            return ch.pipeline().context("h2");
        }
        HttpSession session = http1(ch, r, f, loop, false, bind);
        session.h2Upgrade = null;                  // the TCP side already chose HTTP/1 ("proto h1", or no preface)
        session.upgradedFromTcp = true;
        session.upgradedBackend = backend;
        session.channelActive(ch.pipeline().context("session"));
        return ch.pipeline().context("count");
    }

    /** The HTTP/1.x pipeline of a client connection. */
    HttpSession http1(Channel ch, Routing r, FrontendRuntime f, EventLoop loop, boolean acceptProxy, Bind bind) {
        HttpSession session = new HttpSession(engine, r, f, loop, engine.loopIndex.getOrDefault(loop, 0));
        session.bindName = bind.name();
        // A client's FIN is an event, not the end: its last request is still answered (HttpSession).
        ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
        if (acceptProxy) {
            session.awaitingProxyHeader = true;
            ch.pipeline().addLast("proxy", new ProxyProtocol.Reader(session));
        }
        ch.pipeline().addLast("count", new ByteCounter(session));
        ch.pipeline().addLast("http", new FrontendCodec(engine.bufsize, Math.max(1024, engine.bufsize - engine.maxrewrite),
                f.proxy.option("h1-case-adjust-bogus-client") ? engine.h1CaseAdjust : null));
        ch.pipeline().addLast("session", session);
        if (!"h1".equals(bind.options().get("proto")) && !f.proxy.option("disable-h2-upgrade")) {
            session.h2Upgrade = () -> h2FromPreface(ch, session, r, f, loop);
        }
        return session;
    }

    private static final byte[] PREFACE_LINE = "PRI * HTTP/2.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /**
     * An HTTP/1 connection whose first bytes are HTTP/2's preface becomes an HTTP/2 one, as
     * HAProxy's HTTP/1 side upgrades on it (unless "proto h1" or "option disable-h2-upgrade"):
     * the HTTP/1 session leaves (its count ends, the streams count themselves), the h2 codec
     * takes the preface line the HTTP/1 decoder read and the bytes it had not read yet.
     */
    private void h2FromPreface(Channel ch, HttpSession session, Routing r, FrontendRuntime f, EventLoop loop) {
        session.leaveForHttp2();
        io.netty.channel.ChannelPipeline p = ch.pipeline();
        p.remove("session");
        p.remove("count");
        FrontendCodec codec = (FrontendCodec) p.get("http");
        io.netty.buffer.ByteBuf unread = codec.takeUnread();
        p.remove("http");                          // before the h2 codec writes its SETTINGS past it
        Http2Frontend.configure(ch, engine, r, f, loop, engine.loopIndex.getOrDefault(loop, 0), engine.bufsize, false);
        io.netty.channel.ChannelHandlerContext h2 = p.context("h2");
        // The preface line the HTTP/1 decoder consumed, then what it had not decoded yet, into the
        // h2 codec itself (below it the bytes are already past TLS).
        io.netty.channel.ChannelInboundHandler codecH2 = (io.netty.channel.ChannelInboundHandler) h2.handler();
        try {
            codecH2.channelRead(h2, io.netty.buffer.Unpooled.wrappedBuffer(PREFACE_LINE));
            if (unread.isReadable()) {
                codecH2.channelRead(h2, unread);
            } else {
                unread.release();
            }
            codecH2.channelReadComplete(h2);
        } catch (Exception e) {
            h2.fireExceptionCaught(e);
        }
        ch.config().setAutoRead(true);
        ch.flush();
    }
}
