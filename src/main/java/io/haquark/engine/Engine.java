package io.haquark.engine;

import io.haquark.config.ConfigException;
import io.haquark.config.Diagnostics;
import io.haquark.model.Bind;
import io.haquark.model.Config;
import io.haquark.model.ListenAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The proxy engine: opens every bind of every HTTP frontend as a Netty server socket on
 * the Quarkus-managed Vert.x event loops (native epoll when available) and serves the
 * routing model. One instance per process; {@link ProxyService} drives its life cycle.
 */
public final class Engine {
    private static final Logger LOG = Logger.getLogger(Engine.class);

    private final VertxInternal vertx;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Map<EventExecutor, Integer> loopIndex = new IdentityHashMap<>();
    private final ChannelFactory<? extends ServerChannel> serverChannels;
    final Connector connector;
    final int maxHeaders;
    final int bufsize;
    final int maxrewrite;
    private volatile Routing routing;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<FrontendRuntime, List<Channel>> acceptChannels = new ConcurrentHashMap<>();
    private final Map<FrontendRuntime, java.util.Queue<HttpSession>> parked = new ConcurrentHashMap<>();
    private final io.haquark.health.HealthChecks health = new io.haquark.health.HealthChecks();
    private io.netty.util.concurrent.ScheduledFuture<?> purgeTask;
    /** Services "http-request use-service <name>" can call (prometheus-exporter ...). */
    private final Map<String, java.util.function.Supplier<io.netty.handler.codec.http.FullHttpResponse>> services =
            new ConcurrentHashMap<>();

    public void registerService(String name, java.util.function.Supplier<io.netty.handler.codec.http.FullHttpResponse> s) {
        services.put(name, s);
    }

    io.netty.handler.codec.http.FullHttpResponse service(String name) {
        var s = services.get(name);
        return s == null ? null : s.get();
    }
    /** Where binds really go; tests point every address at a free loopback port. */
    private java.util.function.UnaryOperator<ListenAddress> bindRewrite = java.util.function.UnaryOperator.identity();

    public Engine rewriteBinds(java.util.function.UnaryOperator<ListenAddress> rewrite) {
        this.bindRewrite = rewrite;
        return this;
    }

    public Engine(Vertx vertx, Config config) {
        this.vertx = (VertxInternal) vertx;
        this.acceptors = this.vertx.getAcceptorEventLoopGroup();
        this.workers = this.vertx.getEventLoopGroup();
        int i = 0;
        for (EventExecutor e : workers) {
            loopIndex.put(e, i++);
        }
        var transport = this.vertx.transport();
        this.serverChannels = transport.serverChannelFactory(false);
        this.maxHeaders = config.global().maxHeaders();
        this.bufsize = config.global().bufsize();
        this.maxrewrite = config.global().maxrewrite();
        this.connector = new Connector(transport.channelFactory(false), bufsize);
    }

    public int eventLoops() {
        return loopIndex.size();
    }

    public Routing routing() {
        return routing;
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /** Builds the routing model and opens every listener; throws if any bind fails. */
    public synchronized void start(Config config, Path baseDir, Diagnostics diag) throws ConfigException, BindException {
        Routing r = Routing.build(config, baseDir, eventLoops(), diag);
        this.routing = r;
        List<io.haquark.state.BackendState> states = new ArrayList<>();
        r.backends.values().forEach(b -> states.add(b.state));
        health.start(states, workers, this.vertx.transport().channelFactory(false));
        if (!r.tables.isEmpty()) {
            // Expired stick-table entries leave once a second, off the request path.
            purgeTask = workers.next().scheduleAtFixedRate(() -> r.tables.values().forEach(io.haquark.state.StickTable::purge),
                    1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        for (FrontendRuntime f : r.frontends.values()) {
            if (f.proxy.disabled() || f.proxy.mode() == io.haquark.model.Mode.LOG) {
                continue;
            }
            for (Bind b : f.proxy.binds()) {
                TlsContexts.Tls tls = null;
                if (b.ssl()) {
                    try {
                        tls = TlsContexts.build(b, baseDir);
                    } catch (java.io.IOException | RuntimeException e) {
                        throw new BindException("Starting frontend " + f.name() + ": bind " + b.spec()
                                + ": unable to load SSL certificate: " + e.getMessage(), e);
                    }
                }
                for (ListenAddress a : b.addresses()) {
                    bind(f, b, bindRewrite.apply(a), tls);
                }
            }
        }
    }

    /** A bind could not be opened (port in use, permission): HAProxy's "cannot bind socket". */
    public static final class BindException extends Exception {
        public BindException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void bind(FrontendRuntime f, Bind b, ListenAddress a, TlsContexts.Tls tls) throws BindException {
        switch (a.family()) {
            case UNIX, ABNS -> {
                if (!Epoll.isAvailable()) {
                    throw new BindException("[" + f.name() + "] : cannot bind " + b.spec() + ": unix sockets need the native epoll transport", null);
                }
                String path = a.family() == ListenAddress.Family.ABNS ? "\0" + a.path() : a.path();
                if (a.family() == ListenAddress.Family.UNIX) {
                    new java.io.File(path).delete();
                }
                open(f, b, a, new DomainSocketAddress(path), EpollServerDomainSocketChannel::new, tls);
            }
            case FD -> {
                if (!Epoll.isAvailable()) {
                    throw new BindException("[" + f.name() + "] : cannot use fd@" + a.fd() + ": inherited sockets need the native epoll transport", null);
                }
                openInherited(f, b, a, tls);
            }
            case SOCKPAIR -> throw new BindException("[" + f.name() + "] : sockpair@ binds are not supported", null);
            default -> {
                for (int port = a.portFrom(); port <= a.portTo(); port++) {
                    String host = a.host() == null ? "0.0.0.0" : a.host();
                    open(f, b, a, new InetSocketAddress(host, port), serverChannels, tls);
                }
            }
        }
    }

    private ChannelInitializer<Channel> childInit(FrontendRuntime f, TlsContexts.Tls tls) {
        Routing r = routing;
        boolean tcp = f.proxy.mode() == io.haquark.model.Mode.TCP;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                EventLoop loop = ch.eventLoop();
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.single() != null ? tls.single().newHandler(ch.alloc())
                            : new io.netty.handler.ssl.SniHandler(tls.sni()));
                }
                if (tcp) {
                    ch.pipeline().addLast("tcp", new TcpSession(Engine.this, r, f, loop));
                    return;
                }
                HttpSession session = new HttpSession(Engine.this, r, f, loop, loopIndex.getOrDefault(loop, 0));
                ch.pipeline().addLast("count", new ByteCounter(session));
                ch.pipeline().addLast("http", new FrontendCodec(bufsize, Math.max(1024, bufsize - maxrewrite)));
                ch.pipeline().addLast("session", session);
            }
        };
    }

    private void open(FrontendRuntime f, Bind b, ListenAddress a, SocketAddress addr,
                      ChannelFactory<? extends ServerChannel> factory, TlsContexts.Tls tls) throws BindException {
        ServerBootstrap sb = new ServerBootstrap()
                .group(acceptors, workers)
                .channelFactory(factory)
                .childHandler(childInit(f, tls));
        if (addr instanceof InetSocketAddress) {
            sb.option(ChannelOption.SO_BACKLOG, Integer.parseInt(b.options().getOrDefault("backlog", "1024")))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, f.proxy.option("clitcpka") || f.proxy.option("tcpka"));
        }
        try {
            Channel ch = sb.bind(addr).sync().channel();
            register(f, b, a, ch);
        } catch (Exception e) {
            throw new BindException("Starting frontend " + f.name() + ": cannot bind socket (" + e.getMessage() + ") [" + addr + "]", e);
        }
    }

    private void openInherited(FrontendRuntime f, Bind b, ListenAddress a, TlsContexts.Tls tls) throws BindException {
        try {
            EpollServerSocketChannel ch = new EpollServerSocketChannel(a.fd());
            ServerBootstrap sb = new ServerBootstrap().group(acceptors, workers)
                    .channelFactory(() -> ch).childHandler(childInit(f, tls))
                    .childOption(ChannelOption.TCP_NODELAY, true);
            sb.register().sync();
            register(f, b, a, ch);
        } catch (Exception e) {
            throw new BindException("Starting frontend " + f.name() + ": cannot use inherited fd@" + a.fd() + " (" + e.getMessage() + ")", e);
        }
    }

    private void register(FrontendRuntime f, Bind b, ListenAddress a, Channel ch) {
        listeners.add(new Listener(f, b, a, ch.localAddress(), ch));
        acceptChannels.computeIfAbsent(f, k -> new ArrayList<>()).add(ch);
        LOG.debugf("frontend %s listening on %s", f.name(), ch.localAddress());
    }

    /**
     * maxconn: at the limit, stop accepting, so further connections wait in the kernel's
     * backlog. A connection the acceptor had already taken in its last batch is parked
     * unread until a slot frees: either way nothing beyond maxconn is served.
     * @return false when the session must wait (parked) before it is served
     */
    boolean connectionOpened(FrontendRuntime f, HttpSession s) {
        int n = f.state.connections.incrementAndGet();
        if (n >= f.maxconn) {
            for (Channel ch : acceptChannels.getOrDefault(f, List.of())) {
                ch.config().setAutoRead(false);
            }
        }
        if (n > f.maxconn && s != null) {
            parked.computeIfAbsent(f, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(s);
            return false;
        }
        return true;
    }

    void connectionClosed(FrontendRuntime f, HttpSession s) {
        var q = parked.get(f);
        if (q != null && s != null && q.remove(s)) {
            f.state.connections.decrementAndGet();
            return;
        }
        int n = f.state.connections.decrementAndGet();
        HttpSession next = q == null ? null : q.poll();
        if (next != null) {
            next.eventLoop.execute(next::unpark);
            return;
        }
        if (n < f.maxconn) {
            for (Channel ch : acceptChannels.getOrDefault(f, List.of())) {
                ch.config().setAutoRead(true);
            }
        }
    }

    /** Closes every listener (connections in progress finish on their own). */
    public synchronized void stop() {
        health.stop();
        if (purgeTask != null) {
            purgeTask.cancel(false);
        }
        for (Listener l : listeners) {
            l.channel().close().awaitUninterruptibly();
        }
        listeners.clear();
        acceptChannels.clear();
    }

    /** Port a listener actually bound (tests bind port 0). */
    public int boundPort(String frontend, int index) {
        int i = 0;
        for (Listener l : listeners) {
            if (l.frontend().name().equals(frontend) && l.bound() instanceof InetSocketAddress isa) {
                if (i++ == index) {
                    return isa.getPort();
                }
            }
        }
        return -1;
    }
}
