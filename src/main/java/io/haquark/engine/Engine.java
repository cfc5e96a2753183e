package io.haquark.engine;

import io.haquark.tls.ServerTls;
import io.haquark.tls.TlsContexts;
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
    /**
     * The model being installed while its new listeners open: a connection accepted in that
     * window (an inherited fd@ socket is listening before we even start) is served by it
     * rather than reset.
     */
    private volatile Routing pending;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, List<Channel>> acceptChannels = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<HttpSession>> parked = new ConcurrentHashMap<>();
    private io.haquark.health.HealthChecks health = new io.haquark.health.HealthChecks();
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
        pending = r;
        List<Listener> opened = openListeners(r, baseDir, List.of());
        activate(r);
        startAccepting(opened);
    }

    /** What runs beside the engine and stops with it (the runtime API sockets). */
    private final List<Runnable> stopHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onStop(Runnable hook) {
        stopHooks.add(hook);
    }

    /**
     * The stats page, served for a proxy's "stats uri" (HAProxy's stats applet). The engine
     * only knows this interface; the stats package provides it and the process wires it in.
     */
    public interface StatsApplet {
        /** The admin form's POST: the body is read before {@link #serve} is called. */
        boolean needsBody(io.netty.handler.codec.http.HttpRequest req);

        io.netty.handler.codec.http.FullHttpResponse serve(Routing routing, CompiledProxy owner, io.haquark.acl.SampleSource txn,
                io.netty.handler.codec.http.HttpRequest req, byte[] body);
    }

    private volatile StatsApplet stats;

    /** Serves "stats uri" with this applet; without one a stats uri is routed like any request. */
    public Engine serveStats(StatsApplet applet) {
        this.stats = applet;
        return this;
    }

    StatsApplet stats() {
        return stats;
    }

    /**
     * Reload (configuration.txt has none; this is HAProxy's -sf behaviour in one process):
     * build the new model with states carried over by name, open the binds it adds, swap the
     * model atomically, close the binds it removed. Listening sockets that stay are kept, so
     * no connection is refused; requests in flight finish on the model they started on. An
     * invalid configuration throws and the old model keeps serving.
     */
    public synchronized void reload(Config config, Path baseDir, Diagnostics diag) throws ConfigException, BindException {
        Routing old = routing;
        Routing r = Routing.build(config, baseDir, eventLoops(), diag, old);
        List<Listener> kept = new ArrayList<>();
        List<Listener> removed = new ArrayList<>();
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (FrontendRuntime f : r.frontends.values()) {
            if (!f.proxy.disabled() && f.proxy.mode() != io.haquark.model.Mode.LOG) {
                for (Bind b : f.proxy.binds()) {
                    for (ListenAddress a : b.addresses()) {
                        wanted.add(listenerKey(f.name(), b, bindRewrite.apply(a)));
                    }
                }
            }
        }
        for (Listener l : listeners) {
            (wanted.contains(listenerKey(l.frontend().name(), l.bind(), l.address())) ? kept : removed).add(l);
        }
        List<Listener> before = new ArrayList<>(listeners);
        List<Listener> opened;
        pending = r;
        try {
            opened = openListeners(r, baseDir, kept);
        } catch (BindException e) {
            pending = null;
            // Undo what this reload opened; the old model stays in charge.
            for (Listener l : listeners) {
                if (!before.contains(l)) {
                    l.channel().close();
                }
            }
            listeners.retainAll(before);
            throw e;
        }
        health.stop();
        health = new io.haquark.health.HealthChecks();
        if (purgeTask != null) {
            purgeTask.cancel(false);
            purgeTask = null;
        }
        activate(r);
        for (FrontendRuntime f : old.frontends.values()) {
            // Keep-alive connections of the old model move to the new one at their next request.
            f.successor = r.frontends.get(f.name());
            f.retired = true;
        }
        for (Listener l : removed) {
            l.channel().close();
            listeners.remove(l);
            acceptChannels.getOrDefault(l.frontend().name(), new ArrayList<>()).remove(l.channel());
        }
        // Listeners that stay now belong to the new model's frontends.
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            FrontendRuntime nf = r.frontends.get(l.frontend().name());
            if (nf != null && nf != l.frontend()) {
                listeners.set(i, new Listener(nf, l.bind(), l.address(), l.bound(), l.channel()));
            }
        }
        // Listeners opened by this reload start accepting once they see the new model.
        startAccepting(opened);
        LOG.infof("configuration reloaded: %d listener(s) kept, %d opened, %d closed", kept.size(),
                listeners.size() - kept.size(), removed.size());
    }

    private static String listenerKey(String frontend, Bind b, ListenAddress a) {
        return frontend + "|" + a + "|" + b.ssl() + "|" + b.certificates();
    }

    /** Makes r the serving model: health checks and housekeeping start for it. */
    private void activate(Routing r) {
        this.routing = r;
        this.pending = null;
        io.haquark.logging.Rings.install(r.config.rings());
        List<io.haquark.state.BackendState> states = new ArrayList<>();
        r.backends.values().forEach(b -> states.add(b.state));
        health.start(states, workers, this.vertx.transport().channelFactory(false));
        if (!r.tables.isEmpty()) {
            // Expired stick-table entries leave once a second, off the request path.
            purgeTask = workers.next().scheduleAtFixedRate(() -> r.tables.values().forEach(io.haquark.state.StickTable::purge),
                    1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Opens every bind of r not already served by one of the kept listeners. They do not
     * accept yet: {@link #startAccepting} turns them on once r is the serving model, and until
     * then clients wait in the kernel's backlog (nothing accepted before the model is ready).
     * @return the listeners opened
     */
    private List<Listener> openListeners(Routing r, Path baseDir, List<Listener> kept) throws BindException {
        int before = listeners.size();
        java.util.Set<String> have = new java.util.HashSet<>();
        for (Listener l : kept) {
            have.add(listenerKey(l.frontend().name(), l.bind(), l.address()));
        }
        for (FrontendRuntime f : r.frontends.values()) {
            if (f.proxy.disabled() || f.proxy.mode() == io.haquark.model.Mode.LOG) {
                continue;
            }
            for (Bind b : f.proxy.binds()) {
                TlsContexts.Tls tls = null;
                for (ListenAddress raw : b.addresses()) {
                    ListenAddress a = bindRewrite.apply(raw);
                    if (have.contains(listenerKey(f.name(), b, a))) {
                        continue;
                    }
                    if (b.ssl() && tls == null) {
                        try {
                            tls = TlsContexts.build(b, baseDir, r.config.global());
                        } catch (java.io.IOException | RuntimeException e) {
                            throw new BindException("Starting frontend " + f.name() + ": bind " + b.spec()
                                    + ": unable to load SSL certificate: " + e.getMessage(), e);
                        }
                    }
                    bind(f, b, a, tls);
                }
            }
        }
        return new ArrayList<>(listeners.subList(before, listeners.size()));
    }

    private static void startAccepting(List<Listener> opened) {
        for (Listener l : opened) {
            l.channel().config().setAutoRead(true);
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

    /** The model is looked up per accepted connection, so a reload applies to the next one. */
    private ChannelInitializer<Channel> childInit(String frontendName, TlsContexts.Tls tls, boolean acceptProxy, Bind bind) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Routing serving = routing;
                FrontendRuntime found = serving == null ? null : serving.frontends.get(frontendName);
                Routing next = pending;
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
                clients.add(ch);
                if (acceptProxy) {
                    // The PROXY header comes before TLS and HTTP.
                    ch.pipeline().addLast("proxy-decoder", new io.netty.handler.codec.haproxy.HAProxyMessageDecoder());
                }
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                }
                if (tcp) {
                    TcpSession ts = new TcpSession(Engine.this, r, f, loop);
                    if (acceptProxy) {
                        ch.pipeline().addLast("proxy", new ProxyProtocol.Reader(ts::proxied));
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
                                Http2Frontend.configure(ctx.channel(), Engine.this, r, f, loop, loopIndex.getOrDefault(loop, 0), bufsize);
                            } else {
                                // The connection is already active (TLS is done): start the session now.
                                HttpSession session = http1(ctx.channel(), r, f, loop, acceptProxy);
                                session.channelActive(ctx.pipeline().context("session"));
                            }
                        }
                    });
                    return;
                }
                if ("h2".equals(bind.options().get("proto"))) {
                    // proto h2 without TLS: HTTP/2 with prior knowledge (h2c), as HAProxy's bind option.
                    Http2Frontend.configure(ch, Engine.this, r, f, loop, loopIndex.getOrDefault(loop, 0), bufsize);
                    return;
                }
                http1(ch, r, f, loop, acceptProxy);
            }
        };
    }

    /** The HTTP/1.x pipeline of a client connection. */
    private HttpSession http1(Channel ch, Routing r, FrontendRuntime f, EventLoop loop, boolean acceptProxy) {
        HttpSession session = new HttpSession(Engine.this, r, f, loop, loopIndex.getOrDefault(loop, 0));
        if (acceptProxy) {
            ch.pipeline().addLast("proxy", new ProxyProtocol.Reader(session::proxied));
        }
        ch.pipeline().addLast("count", new ByteCounter(session));
        ch.pipeline().addLast("http", new FrontendCodec(bufsize, Math.max(1024, bufsize - maxrewrite)));
        ch.pipeline().addLast("session", session);
        return session;
    }

    private void open(FrontendRuntime f, Bind b, ListenAddress a, SocketAddress addr,
                      ChannelFactory<? extends ServerChannel> factory, TlsContexts.Tls tls) throws BindException {
        ServerBootstrap sb = new ServerBootstrap()
                .group(acceptors, workers)
                .channelFactory(factory)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.AUTO_READ, true)
                .childHandler(childInit(f.name(), tls, b.acceptProxy(), b));
        if (addr instanceof InetSocketAddress) {
            if (Epoll.isAvailable()) {
                // SO_REUSEPORT: a new process started with -sf binds the same ports before the old one leaves.
                sb.option(io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT, true);
            }
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
            ServerBootstrap sb = new ServerBootstrap().group(acceptors, workers)
                    .childHandler(childInit(f.name(), tls, b.acceptProxy(), b))
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            EpollServerSocketChannel ch = InheritedSockets.adopt(a.fd(), sb);
            sb.register().sync();
            register(f, b, a, ch);
        } catch (Exception e) {
            throw new BindException("Starting frontend " + f.name() + ": cannot use inherited fd@" + a.fd() + " (" + e.getMessage() + ")", e);
        }
    }

    private void register(FrontendRuntime f, Bind b, ListenAddress a, Channel ch) {
        listeners.add(new Listener(f, b, a, ch.localAddress(), ch));
        acceptChannels.computeIfAbsent(f.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(ch);
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
            for (Channel ch : acceptChannels.getOrDefault(f.name(), List.of())) {
                ch.config().setAutoRead(false);
            }
        }
        if (n > f.maxconn && s != null) {
            parked.computeIfAbsent(f.name(), k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(s);
            return false;
        }
        return true;
    }

    /** Runs after add/del server, for views that list servers (metrics). */
    private final List<Runnable> serverListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onServersChanged(Runnable r) {
        serverListeners.add(r);
    }

    /** add server: the server joins the backend in maintenance; "enable server" puts it in service. */
    public synchronized io.haquark.state.ServerState addServer(BackendRuntime b, io.haquark.model.Server s) {
        io.haquark.state.ServerState st = b.state.addServer(s);
        b.serverAdded(st);
        serverListeners.forEach(Runnable::run);
        return st;
    }

    /** del server: null when done, else HAProxy's reason. */
    public synchronized String deleteServer(BackendRuntime b, io.haquark.state.ServerState s) {
        String refused = b.state.removeServer(s);
        if (refused == null) {
            b.serverRemoved(s);
            serverListeners.forEach(Runnable::run);
        }
        return refused;
    }

    /** enable health: checks resume, or start for a server added at run time; null when done. */
    public synchronized String enableHealth(BackendRuntime b, io.haquark.state.ServerState s) {
        if (!s.server.check()) {
            return "Health checks are not configured on this server, cannot enable it.";
        }
        if (health.checks(s)) {
            s.checksEnabled = true;
        } else {
            health.startOne(b.state, s, (io.netty.channel.EventLoop) workers.next(), this.vertx.transport().channelFactory(false));
        }
        return null;
    }

    /** set maxconn frontend: the new limit applies now; raising it resumes accepting and serves parked connections. */
    public void setMaxconn(FrontendRuntime f, int max) {
        f.maxconn = max;
        var q = parked.get(f.name());
        int serving = f.state.connections.get() - (q == null ? 0 : q.size());
        HttpSession next;
        while (q != null && serving < max && (next = q.poll()) != null) {
            serving++;
            HttpSession n = next;
            n.eventLoop.execute(n::unpark);
        }
        boolean room = f.state.connections.get() < max;
        for (Channel ch : acceptChannels.getOrDefault(f.name(), List.of())) {
            ch.config().setAutoRead(room);
        }
    }

    void connectionClosed(FrontendRuntime f, HttpSession s) {
        var q = parked.get(f.name());
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
            for (Channel ch : acceptChannels.getOrDefault(f.name(), List.of())) {
                ch.config().setAutoRead(true);
            }
        }
    }

    /** Soft stop: no new connections; those in progress go on. */
    public synchronized void closeListeners() {
        for (Listener l : listeners) {
            l.channel().close().awaitUninterruptibly();
        }
        listeners.clear();
    }

    /** Every open client connection (a group drops closed channels by itself): "show sess", "shutdown sessions". */
    private final io.netty.channel.group.ChannelGroup clients =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

    /** One line per client connection, for the runtime API's "show sess". */
    public List<String> describeSessions() {
        List<String> out = new ArrayList<>();
        for (Channel ch : clients) {
            if (ch.pipeline().get("session") instanceof HttpSession s) {
                out.add(s.describe());
            } else if (ch.pipeline().get("tcp") instanceof TcpSession s) {
                out.add(s.describe());
            }
        }
        return out;
    }

    /** "shutdown sessions server b/s": closes the client connections whose transaction uses that server. */
    public int shutdownSessions(io.haquark.state.ServerState server) {
        int n = 0;
        for (Channel ch : clients) {
            boolean uses = ch.pipeline().get("session") instanceof HttpSession s ? s.uses(server)
                    : ch.pipeline().get("tcp") instanceof TcpSession ts && ts.uses(server);
            if (uses) {
                ch.close();
                n++;
            }
        }
        return n;
    }

    /** Client connections open on every frontend (for the soft stop). */
    public int activeConnections() {
        int n = 0;
        Routing r = routing;
        if (r != null) {
            for (FrontendRuntime f : r.frontends.values()) {
                n += Math.max(0, f.state.connections.get());
            }
        }
        return n;
    }

    /** Closes every listener (connections in progress finish on their own). */
    public synchronized void stop() {
        health.stop();
        stopHooks.forEach(Runnable::run);
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
