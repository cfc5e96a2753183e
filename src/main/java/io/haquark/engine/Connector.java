package io.haquark.engine;

import io.haquark.state.ServerState;
import io.haquark.tls.ServerTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * Opens connections to servers on the calling connection's own event loop, with the
 * transport Vert.x chose (native epoll when available).
 */
final class Connector {
    private final ChannelFactory<? extends Channel> channelFactory;
    private final int maxHeaderSize;

    Connector(ChannelFactory<? extends Channel> channelFactory, int bufsize) {
        this.channelFactory = channelFactory;
        this.maxHeaderSize = bufsize;
    }

    /** An HTTP/1 connection: the pipeline ends with a {@link ServerHandler} named "server". */
    void connect(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                 io.netty.handler.ssl.SslContext tls, String sni, BiConsumer<Channel, Throwable> done) {
        connect(server, null, clientPort, loop, connectTimeoutMs, keepAlive, tls, sni, done);
    }

    /** @param target where to connect instead of the server's address (option transparent), or null */
    void connect(ServerState server, InetSocketAddress target, int clientPort, EventLoop loop, long connectTimeoutMs,
                 boolean keepAlive, io.netty.handler.ssl.SslContext tls, String sni, BiConsumer<Channel, Throwable> done) {
        if ("h2".equals(server.server.options().get("proto"))) {
            connectH2(server, clientPort, loop, connectTimeoutMs, keepAlive, tls, sni, done);
            return;
        }
        open(server, target, clientPort, loop, connectTimeoutMs, keepAlive, true, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                addTls(ch, tls, sni, server, clientPort);
                ch.pipeline().addLast("http", new HttpClientCodec(new io.netty.handler.codec.http.HttpDecoderConfig()
                        .setMaxInitialLineLength(maxHeaderSize).setMaxHeaderSize(maxHeaderSize).setMaxChunkSize(16384)
                        .setValidateHeaders(false)
                        // An HTTP/1.0 response may be chunked for HAProxy (Netty refuses it by default).
                        .setUseRfc9112TransferEncoding(false), false, false));
                ch.pipeline().addLast("server", new ServerHandler());
            }
        }, afterHandshake(tls, done));
    }

    /**
     * With TLS, the connection is established once the handshake is done: a handshake the server
     * refuses (no certificate for the SNI, a client certificate it rejects) is a failure to
     * connect, retried and answered 503 as HAProxy does, not a broken response.
     */
    private static BiConsumer<Channel, Throwable> afterHandshake(io.netty.handler.ssl.SslContext tls, BiConsumer<Channel, Throwable> done) {
        if (tls == null) {
            return done;
        }
        return (ch, err) -> {
            io.netty.handler.ssl.SslHandler h = ch == null ? null : ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            if (h == null) {
                done.accept(ch, err);
                return;
            }
            h.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    done.accept(ch, null);
                } else {
                    ch.close();
                    done.accept(null, f.cause());
                }
            });
        };
    }

    /**
     * "server ... proto h2" for a connection of its own: one stream on a new HTTP/2 connection,
     * which closes with the stream (http-reuse never, send-proxy: the connection is this client's).
     */
    private void connectH2(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                           io.netty.handler.ssl.SslContext tls, String sni, BiConsumer<Channel, Throwable> done) {
        connectH2Parent(server, clientPort, loop, connectTimeoutMs, keepAlive, tls, sni, (parent, err) -> {
            if (parent == null) {
                done.accept(null, err);
                return;
            }
            openStream(parent, (stream, e) -> {
                if (stream != null) {
                    stream.closeFuture().addListener(x -> parent.close());
                } else {
                    parent.close();
                }
                done.accept(stream, e);
            });
        });
    }

    /** A new HTTP/2 connection to the server (TLS handshake done), on which streams are opened. */
    void connectH2Parent(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                         io.netty.handler.ssl.SslContext tls, String sni, BiConsumer<Channel, Throwable> done) {
        open(server, clientPort, loop, connectTimeoutMs, keepAlive, true, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                addTls(ch, tls, sni, server, clientPort);
                ch.pipeline().addLast("h2", io.netty.handler.codec.http2.Http2FrameCodecBuilder.forClient().build());
                ch.pipeline().addLast("h2-streams", new io.netty.handler.codec.http2.Http2MultiplexHandler(
                        new io.netty.channel.ChannelInboundHandlerAdapter()));
            }
        }, afterHandshake(tls, done));
    }

    /** Whether another stream may start on this HTTP/2 connection (open, under the server's stream limit, no GOAWAY). */
    static boolean canOpenStream(Channel parent) {
        if (!parent.isActive()) {
            return false;
        }
        io.netty.handler.codec.http2.Http2FrameCodec codec = parent.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class);
        return codec != null && !codec.connection().goAwayReceived() && !codec.connection().goAwaySent()
                && codec.connection().local().canOpenStream();
    }

    /** Streams open on this HTTP/2 connection. */
    static int activeStreams(Channel parent) {
        io.netty.handler.codec.http2.Http2FrameCodec codec = parent.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class);
        return codec == null ? 0 : codec.connection().numActiveStreams();
    }

    /**
     * A stream on an HTTP/2 connection to the server: what the session talks to, in HTTP/1
     * messages through Netty's conversion, with a {@link ServerHandler} as for HTTP/1.
     */
    void openStream(Channel parent, BiConsumer<Channel, Throwable> done) {
        new io.netty.handler.codec.http2.Http2StreamChannelBootstrap(parent)
                .handler(new ChannelInitializer<io.netty.handler.codec.http2.Http2StreamChannel>() {
                    @Override
                    protected void initChannel(io.netty.handler.codec.http2.Http2StreamChannel stream) {
                        stream.pipeline().addLast("http", new io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec(false));
                        stream.pipeline().addLast("h2-status", H2_STATUS);
                        stream.pipeline().addLast("h2-bodyless", new H2BodylessRequest());
                        stream.pipeline().addLast("server", new ServerHandler());
                    }
                }).open().addListener(f -> {
                    if (f.isSuccess()) {
                        done.accept((Channel) f.getNow(), null);
                    } else {
                        done.accept(null, f.cause());
                    }
                });
    }

    /**
     * HTTP/2 has no reason phrase: the client gets "HTTP/1.1 200 " as HAProxy sends it, not one
     * Netty made up; and the "x-http2-*" headers Netty's conversion adds (x-http2-stream-id ...)
     * are not the server's, so they do not reach the client. A response without a body arrives
     * whole; it is passed on as head and end, as HTTP/1 responses are.
     */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class H2Status extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpResponse r) {
                r.setStatus(new io.netty.handler.codec.http.HttpResponseStatus(r.status().code(), ""));
                java.util.List<String> added = null;
                for (java.util.Map.Entry<String, String> e : r.headers()) {
                    if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) {
                        (added == null ? added = new java.util.ArrayList<>(2) : added).add(e.getKey());
                    }
                }
                if (added != null) {
                    added.forEach(r.headers()::remove);
                }
                if (msg instanceof io.netty.handler.codec.http.FullHttpResponse full) {
                    // A response in one HEADERS frame (END_STREAM): the session takes head and end apart.
                    ctx.fireChannelRead(new io.netty.handler.codec.http.DefaultHttpResponse(full.protocolVersion(),
                            full.status(), full.headers()));
                    ctx.fireChannelRead(new io.netty.handler.codec.http.DefaultLastHttpContent(full.content(),
                            full.trailingHeaders()));
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final H2Status H2_STATUS = new H2Status();

    /** "ssl" servers: the TLS handler first, with the server name of "sni" when there is one. */
    private static void addTls(Channel ch, io.netty.handler.ssl.SslContext tls, String sni, ServerState server, int clientPort) {
        if (tls != null) {
            io.netty.handler.ssl.SslHandler h = ServerTls.handler(tls, ch.alloc(), sni, port(server, clientPort));
            ch.pipeline().addLast("tls", h);
        }
    }

    /** A plain TCP connection (mode tcp), not reading until the relay is wired: the handler sees raw bytes. */
    void connectRaw(ServerState server, InetSocketAddress target, int clientPort, EventLoop loop, long connectTimeoutMs,
                    boolean keepAlive, ChannelHandler handler, BiConsumer<Channel, Throwable> done) {
        open(server, target, clientPort, loop, connectTimeoutMs, keepAlive, false, handler, done);
    }

    private void open(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                      boolean autoRead, ChannelHandler handler, BiConsumer<Channel, Throwable> done) {
        open(server, null, clientPort, loop, connectTimeoutMs, keepAlive, autoRead, handler, done);
    }

    private void open(ServerState server, InetSocketAddress target, int clientPort, EventLoop loop, long connectTimeoutMs,
                      boolean keepAlive, boolean autoRead, ChannelHandler handler, BiConsumer<Channel, Throwable> done) {
        String host = server.host();
        if (host.startsWith("unix@") || host.startsWith("abns@")) {
            openLocal(host, loop, connectTimeoutMs, autoRead, handler, done);
            return;
        }
        if (server.address == null && target == null) {
            loop.execute(() -> done.accept(null, new java.net.UnknownHostException(server.host())));
            return;
        }
        ChannelHandler first = handler;
        if (server.socks4 != null) {
            // socks4 <addr>:<port> (configuration.txt §5.2): the connection goes through the SOCKS4
            // proxy, which opens the tunnel to the server; what the pipeline writes waits for it.
            java.net.InetSocketAddress proxy = server.socks4;
            first = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("socks4", new io.netty.handler.proxy.Socks4ProxyHandler(proxy, "HAProxy"));
                    ch.pipeline().addLast(handler);
                }
            };
        }
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, keepAlive)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .handler(first);
        SocketOptions.server(b, server);
        InetSocketAddress remote = target != null ? target : new InetSocketAddress(server.address, port(server, clientPort));
        InetSocketAddress source = server.source;
        ChannelFuture f = source != null && source.getAddress().getClass() == remote.getAddress().getClass()
                ? b.connect(remote, source) : b.connect(remote);
        f.addListener(x -> done.accept(f.isSuccess() ? f.channel() : null, f.cause()));
    }

    /** A server on a Unix socket ("server s /path", unix@path, abns@name): native epoll only. */
    private static void openLocal(String host, EventLoop loop, long connectTimeoutMs, boolean autoRead,
                                  ChannelHandler handler, BiConsumer<Channel, Throwable> done) {
        if (!io.netty.channel.epoll.Epoll.isAvailable()) {
            loop.execute(() -> done.accept(null, new java.io.IOException("unix sockets need the native epoll transport")));
            return;
        }
        String path = host.startsWith("abns@") ? "\0" + host.substring(5) : host.substring(5);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(io.netty.channel.epoll.EpollDomainSocketChannel.class)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .handler(handler);
        ChannelFuture f = b.connect(new io.netty.channel.unix.DomainSocketAddress(path));
        f.addListener(x -> done.accept(f.isSuccess() ? f.channel() : null, f.cause()));
    }

    /** A server port of 0 means the client's destination port; "+N"/"-N" offsets it. */
    private static int port(ServerState server, int clientPort) {
        if (server.portOverride >= 0) {
            return server.portOverride;
        }
        int port = server.server.port();
        if (port == 0) {
            return clientPort;
        }
        return server.server.portOffset() ? clientPort + port : port;
    }
}
