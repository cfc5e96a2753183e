package io.haquark.engine;

import io.haquark.config.ConfigException;
import io.haquark.config.Diagnostics;
import io.haquark.model.Bind;
import io.haquark.model.Config;
import io.haquark.model.ListenAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
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
 * routing model. One instance per process; cli.ProxyService (or a test) drives its life cycle.
 */
public final class Engine {
    private static final Logger LOG = Logger.getLogger(Engine.class);

    private final VertxInternal vertx;
    final ClientPipeline pipelines = new ClientPipeline(this);
    private final Binder binder = new Binder(this);
    final EventLoopGroup acceptors;
    final EventLoopGroup workers;
    final Map<EventExecutor, Integer> loopIndex = new IdentityHashMap<>();
    final ChannelFactory<? extends ServerChannel> serverChannels;
    final Connector connector;
    final int maxHeaders;
    /** global h1-accept-payload-with-any-method: HTTP/1.0 GET/HEAD/DELETE may carry a body. */
    final boolean payloadWithAnyMethod;
    /** global h1-case-adjust(-file): lower-case name -> the case it leaves in, or null when none. */
    final java.util.Map<String, String> h1CaseAdjust;
    final int bufsize;
    final int maxrewrite;
    volatile Routing routing;
    /**
     * The model being installed while its new listeners open: a connection accepted in that
     * window (an inherited fd@ socket is listening before we even start) is served by it
     * rather than reset.
     */
    volatile Routing pending;
    final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, List<Channel>> acceptChannels = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<HttpSession>> parked = new ConcurrentHashMap<>();
    private io.haquark.health.HealthChecks health = new io.haquark.health.HealthChecks(this::shutdownSessions);
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
    java.util.function.UnaryOperator<ListenAddress> bindRewrite = java.util.function.UnaryOperator.identity();

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
        this.payloadWithAnyMethod = config.global().tune().containsKey("h1-accept-payload-with-any-method");
        io.haquark.logging.LogSink.shared().identity(config.global().tune().get("log-tag"), config.global().tune().get("log-send-hostname"));
        java.util.Map<String, String> cases = new java.util.HashMap<>();
        config.global().tune().forEach((k, v) -> {
            if (k.startsWith("h1-case-adjust:")) {
                cases.put(k.substring("h1-case-adjust:".length()), v);
            }
        });
        this.h1CaseAdjust = cases.isEmpty() ? null : java.util.Map.copyOf(cases);
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
        List<Listener> opened = binder.openListeners(r, baseDir, List.of());
        activate(r);
        Binder.startAccepting(opened);
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
            opened = binder.openListeners(r, baseDir, kept);
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
        health = new io.haquark.health.HealthChecks(this::shutdownSessions);
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
        Binder.startAccepting(opened);
        LOG.infof("configuration reloaded: %d listener(s) kept, %d opened, %d closed", kept.size(),
                listeners.size() - kept.size(), removed.size());
    }

    static String listenerKey(String frontend, Bind b, ListenAddress a) {
        return frontend + "|" + a + "|" + b.ssl() + "|" + b.certificates();
    }

    /** Makes r the serving model: health checks and housekeeping start for it. */
    private void activate(Routing r) {
        this.routing = r;
        this.pending = null;
        io.haquark.logging.Rings.install(r.config.rings());
        List<io.haquark.state.BackendState> states = new ArrayList<>();
        r.backends.values().forEach(b -> states.add(b.state));
        health.externalCheckPreserveEnv(r.config.global().externalCheckPreserveEnv());
        health.globalLogTargets(r.config.global().logTargets());
        health.nodeName(r.config.global().node());
        health.start(states, workers, this.vertx.transport().channelFactory(false));
        if (!r.tables.isEmpty()) {
            // Expired stick-table entries leave once a second, off the request path.
            purgeTask = workers.next().scheduleAtFixedRate(() -> r.tables.values().forEach(io.haquark.state.StickTable::purge),
                    1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A bind could not be opened (port in use, permission): HAProxy's "cannot bind socket". */
    public static final class BindException extends Exception {
        public BindException(String message, Throwable cause) {
            super(message, cause);
        }
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
        if (f.rateLimit != null && f.rateLimit.admit(System.currentTimeMillis()) && !f.ratePaused) {
            f.ratePaused = true;
            pauseForRate(f);
        }
        if (n > f.maxconn && s != null) {
            parked.computeIfAbsent(f.name(), k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(s);
            return false;
        }
        return true;
    }

    /**
     * rate-limit sessions: accepting stops while the frontend is at its rate; connections wait
     * in the kernel's backlog (none is refused) and accepting resumes once the rate has room.
     */
    private void pauseForRate(FrontendRuntime f) {
        List<Channel> channels = acceptChannels.getOrDefault(f.name(), List.of());
        for (Channel ch : channels) {
            ch.config().setAutoRead(false);
        }
        if (channels.isEmpty()) {
            f.ratePaused = false;
            return;
        }
        channels.get(0).eventLoop().schedule(() -> {
            if (f.retired) {
                return;
            }
            if (!f.rateLimit.hasRoom(System.currentTimeMillis())) {
                pauseForRate(f);
                return;
            }
            f.ratePaused = false;
            if (f.state.connections.get() < f.maxconn) {
                for (Channel ch : acceptChannels.getOrDefault(f.name(), List.of())) {
                    ch.config().setAutoRead(true);
                }
            }
        }, f.rateLimit.retryDelayMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
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

    /** enable agent: agent checks resume, or start for a server added at run time; null when done. */
    public synchronized String enableAgent(BackendRuntime b, io.haquark.state.ServerState s) {
        return health.startAgentOne(b.state, s, (io.netty.channel.EventLoop) workers.next(), this.vertx.transport().channelFactory(false));
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
        boolean room = f.state.connections.get() < max && !f.ratePaused;
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
        if (n < f.maxconn && !f.ratePaused) {
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
    final io.netty.channel.group.ChannelGroup clients =
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
