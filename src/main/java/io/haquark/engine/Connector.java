package io.haquark.engine;

import io.haquark.state.ServerState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;

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

    /** A plain TCP connection (mode tcp): the given handler sees raw bytes. */
    void connectRaw(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                    io.netty.channel.ChannelHandler handler, java.util.function.BiConsumer<Channel, Throwable> done) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, keepAlive)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .handler(handler);
        int port = server.server.port();
        if (port == 0) {
            port = clientPort;
        } else if (server.server.portOffset()) {
            port = clientPort + port;
        }
        if (server.address == null) {
            loop.execute(() -> done.accept(null, new java.net.UnknownHostException(server.host())));
            return;
        }
        ChannelFuture f = b.connect(new InetSocketAddress(server.address, port));
        f.addListener(x -> done.accept(f.isSuccess() ? f.channel() : null, f.cause()));
    }

    /** Connects; done receives the open channel, or the failure, on the given loop. */
    void connect(ServerState server, int clientPort, EventLoop loop, long connectTimeoutMs, boolean keepAlive,
                 java.util.function.BiConsumer<Channel, Throwable> done) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, keepAlive)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec(maxHeaderSize, maxHeaderSize, 16384, false, false));
                        ch.pipeline().addLast("server", new ServerHandler());
                    }
                });
        int port = server.server.port();
        if (port == 0) {
            port = clientPort;
        } else if (server.server.portOffset()) {
            port = clientPort + port;
        }
        if (server.address == null) {
            loop.execute(() -> done.accept(null, new java.net.UnknownHostException(server.host())));
            return;
        }
        ChannelFuture f = b.connect(new InetSocketAddress(server.address, port));
        f.addListener(x -> done.accept(f.isSuccess() ? f.channel() : null, f.cause()));
    }
}
