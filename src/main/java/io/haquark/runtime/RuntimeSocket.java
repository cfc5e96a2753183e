package io.haquark.runtime;

import io.haquark.engine.Engine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * "stats socket <path|ipv4@addr:port> [level user|operator|admin] [mode ...]" from the global
 * section: the runtime API over a Unix socket (native epoll) or TCP. One command line per
 * connection; "prompt" keeps the connection open for more, as HAProxy's interactive mode.
 */
public final class RuntimeSocket {
    private static final Logger LOG = Logger.getLogger(RuntimeSocket.class);
    private final List<Channel> channels = new ArrayList<>();
    /**
     * The runtime API's own thread: a command may wait (add server and reload share the
     * engine's lock, "show" commands walk every connection), and it must never hold up an
     * event loop that carries traffic. Commands run one after another, as on HAProxy's CLI.
     */
    private EventLoopGroup group;

    public void open(List<String> specs, Engine engine) {
        if (specs.isEmpty()) {
            return;
        }
        java.util.concurrent.ThreadFactory named = r -> {
            Thread t = new Thread(r, "haquark-runtime-api");
            t.setDaemon(true);
            return t;
        };
        group = Epoll.isAvailable() ? new io.netty.channel.epoll.EpollEventLoopGroup(1, named)
                : new io.netty.channel.nio.NioEventLoopGroup(1, named);
        RuntimeApi api = new RuntimeApi(engine);
        for (String spec : specs) {
            String[] w = spec.trim().split("\\s+");
            String level = "operator";
            for (int i = 1; i + 1 < w.length; i++) {
                if (w[i].equals("level")) {
                    level = w[i + 1];
                }
            }
            String where = w[0];
            String lvl = level;
            ServerBootstrap b = new ServerBootstrap().group(group)
                    // A client may send its command and shut its side (socat, VTest): answer, then close.
                    .childOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new LineBasedFrameDecoder(16384), new StringDecoder(StandardCharsets.UTF_8),
                            new Handler(api, lvl));
                }
            });
            try {
                if (where.startsWith("fd@") && Epoll.isAvailable()) {
                    // An inherited listening socket (VTest hands the CLI over so).
                    b.option(io.netty.channel.ChannelOption.AUTO_READ, true);
                    Channel ch = io.haquark.engine.InheritedSockets.adopt(Integer.parseInt(where.substring(3)), b);
                    b.register().sync();
                    channels.add(ch);
                } else if (where.startsWith("ipv4@") || where.startsWith("tcp@") || where.matches("[0-9.]*:\\d+")) {
                    String a = where.substring(where.indexOf('@') + 1);
                    int colon = a.lastIndexOf(':');
                    b.channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
                    channels.add(b.bind(new InetSocketAddress(a.substring(0, colon).isEmpty() ? "0.0.0.0" : a.substring(0, colon),
                            Integer.parseInt(a.substring(colon + 1)))).sync().channel());
                } else if (Epoll.isAvailable()) {
                    String path = where.startsWith("unix@") ? where.substring(5) : where;
                    new File(path).delete();
                    b.channel(EpollServerDomainSocketChannel.class);
                    channels.add(b.bind(new DomainSocketAddress(path)).sync().channel());
                } else {
                    LOG.warnf("stats socket %s: unix sockets need the native epoll transport", where);
                }
                LOG.infof("runtime API on %s (level %s)", where, lvl);
            } catch (Exception e) {
                LOG.warnf("stats socket %s could not be opened: %s", where, e.getMessage());
            }
        }
    }

    public void close() {
        for (Channel c : channels) {
            c.close();
        }
        channels.clear();
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            group = null;
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<String> {
        private final RuntimeApi api;
        private final String level;
        /** What this client's earlier lines set (experimental-mode). */
        private final RuntimeApi.Cli cli;
        private boolean prompt;
        /** A command ending in "<<" waits here for its payload, which ends with an empty line. */
        private String payloadFor;
        private final List<String> payload = new ArrayList<>();

        Handler(RuntimeApi api, String level) {
            this.api = api;
            this.level = level;
            this.cli = new RuntimeApi.Cli(level);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (payloadFor != null) {
                if (!line.isEmpty()) {
                    payload.add(line);
                    return;
                }
                String c = payloadFor;
                payloadFor = null;
                answer(ctx, api.execute(c, cli, List.copyOf(payload)));
                payload.clear();
                return;
            }
            String cmd = line.trim();
            if (cmd.endsWith("<<")) {
                payloadFor = cmd.substring(0, cmd.length() - 2).trim();
                return;
            }
            if (cmd.equals("prompt")) {
                prompt = true;
                ctx.writeAndFlush(Unpooled.copiedBuffer("\n> ", StandardCharsets.UTF_8));
                return;
            }
            if (cmd.equals("quit")) {
                ctx.close();
                return;
            }
            answer(ctx, api.execute(cmd, cli));
        }

        private void answer(ChannelHandlerContext ctx, String answer) {
            if (prompt) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(answer + "> ", StandardCharsets.UTF_8));
            } else {
                ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && payloadFor != null) {
                // The payload ended with the input: run the command with what came.
                String c = payloadFor;
                payloadFor = null;
                answer(ctx, api.execute(c, cli, List.copyOf(payload)));
            }
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                // The client has said all it will: close once what we answered is written.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
