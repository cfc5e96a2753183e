package io.haquark.engine;

import io.haquark.tls.ServerTls;
import io.haquark.rules.ErrorPages;
import io.haquark.model.Proxy;
import io.haquark.state.BackendState;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * A backend as the engine uses it: compiled proxy, mutable state, error pages, and idle
 * keep-alive connections to each server, one pool per event loop so a request never
 * borrows a connection owned by another thread.
 */
public final class BackendRuntime {
    /** Idle connections kept per server and event loop. */
    static final int MAX_IDLE = 256;

    public final CompiledProxy compiled;
    public final Proxy proxy;
    /**
     * A backend without servers still connects (configuration.txt "dispatch", "option
     * transparent"): to its dispatch address, or to the address the client reached. This server
     * is not listed with the others (stats, runtime API); null when neither applies.
     */
    final io.haquark.state.ServerState implicitServer;
    /** option transparent: the implicit server's address is each transaction's destination. */
    boolean transparent() {
        return implicitServer != null && proxy.dispatch() == null;
    }

    private static io.haquark.state.ServerState implicitServer(Proxy p) {
        if (!p.servers().isEmpty() || p.dispatch() == null && !p.option("transparent")) {
            return null;
        }
        String host = null;
        int port = 0;
        if (p.dispatch() != null) {
            int colon = p.dispatch().lastIndexOf(':');
            host = p.dispatch().substring(0, colon);
            port = Integer.parseInt(p.dispatch().substring(colon + 1));
        }
        io.haquark.model.Server s = new io.haquark.model.Server(p.name(), host == null ? "0.0.0.0" : host, port, false, 1,
                false, false, false, 2000, 2000, 2000, 2, 3, 0, null, false, 0, 0, 0, 0, null, false, false, false, null,
                java.util.Map.of(), p.where());
        return new io.haquark.state.ServerState(s, p.name(), -1);
    }

    /** Whether retry-on names an event past the connect (an L7 retry needs the request kept), read once. */
    final boolean l7Retries;
    /** "timeout tunnel", else "timeout server" (be_tunnel_timeout), in ms. */
    long tunnelTimeout() {
        long t = proxy.timeouts().tunnel();
        return t > 0 ? t : serverTimeout;
    }

    /** persist rdp-cookie: the cookie naming the server of an RDP session, or null. */
    final String rdpCookie;
    /** option prefer-last-server: a client's next request goes to the server of its kept connection. */
    final boolean preferLastServer;
    /** option checkcache: cacheable responses that set a cookie are reported (CacheCheck). */
    final boolean checkCache;

    /** option http-restrict-req-hdr-names: "preserve", "delete", "reject", or null when not set. */
    final String restrictHeaderNames;
    public final BackendState state;
    public final ErrorPages errors;
    final long connectTimeout;
    final long serverTimeout;
    final long queueTimeout;
    final int retries;
    final boolean redispatch;
    private final int redispatchInterval;
    /** Hash-based balancing (source, uri, url_param, hdr, rdp-cookie, hash): a retry keeps its server. */
    final boolean hashBalanced;
    /** Server assignment and the queue: the balance algorithm over the servers of {@link #state}. */
    public final io.haquark.balance.LoadBalancer lb;

    /**
     * add server: HAProxy 2.6 takes dynamic servers only where the balancer can grow without
     * remapping every key: not static-rr, not a map-based hash.
     */
    public boolean acceptsDynamicServers() {
        return io.haquark.balance.BalanceAlgorithm.acceptsDynamicServers(proxy.balance());
    }

    /** Whether retry number {@code retry} (1 = first retry) goes to another server (option redispatch). */
    boolean redispatchOn(int retry) {
        if (!redispatch) {
            return false;
        }
        return redispatchInterval > 0 ? retry % redispatchInterval == 0 : retry == retries + 1 + redispatchInterval;
    }
    final boolean serverClose;
    /**
     * [server index][event loop index]. Indexed by ServerState.index, a slot per server ever
     * known; add server grows the arrays (a new array, the existing queues kept, each queue
     * used only by its own event loop).
     */
    private volatile ArrayDeque<Channel>[][] idle;
    /**
     * [server index][event loop index]: the HTTP/2 connections ("proto h2") of each loop, in use
     * or not, each carrying as many streams as the server allows. Touched only by its own loop.
     */
    private volatile java.util.ArrayList<Channel>[][] h2;
    private static final io.netty.util.AttributeKey<String> H2_SNI = io.netty.util.AttributeKey.valueOf("haquark.h2.sni");
    /** Streams opened on an HTTP/2 connection to a server so far (max-reuse). */
    private static final io.netty.util.AttributeKey<Integer> H2_STREAMS = io.netty.util.AttributeKey.valueOf("haquark.h2.streams");
    /** Per server index: TLS client context ("ssl") and SNI expression ("sni"), or null. */
    volatile io.netty.handler.ssl.SslContext[] tls;
    volatile io.haquark.acl.SampleExpr[] sni;
    private final int eventLoops;
    private final io.haquark.tls.SslStore ssl;

    @SuppressWarnings("unchecked")
    BackendRuntime(CompiledProxy compiled, BackendState state, int eventLoops, io.haquark.tls.SslStore ssl) {
        this.compiled = compiled;
        this.ssl = ssl;
        this.proxy = compiled.proxy;
        this.restrictHeaderNames = RequestAnalysis.restrictMode(proxy);
        this.implicitServer = implicitServer(proxy);
        this.state = state;
        this.errors = new ErrorPages(proxy.errorFiles());
        var t = proxy.timeouts();
        this.connectTimeout = t.connect() > 0 ? t.connect() : 5000;
        this.serverTimeout = t.server();
        // timeout queue defaults to timeout connect (configuration.txt "timeout queue").
        this.queueTimeout = t.queue() > 0 ? t.queue() : t.connect();
        this.retries = proxy.retries();
        this.redispatch = proxy.option("redispatch");
        this.l7Retries = proxy.retryOn().stream().anyMatch(e -> !e.equals("conn-failure"));
        this.checkCache = proxy.option("checkcache");
        this.preferLastServer = proxy.option("prefer-last-server");
        this.rdpCookie = proxy.setting("persist", null);
        this.redispatchInterval = proxy.redispatchInterval();
        this.hashBalanced = io.haquark.balance.BalanceAlgorithm.of(proxy.balance()).hashBased;
        this.lb = new io.haquark.balance.LoadBalancer(state);
        this.serverClose = proxy.option("http-server-close") || proxy.option("httpclose") || proxy.option("forceclose");
        this.eventLoops = eventLoops;
        this.idle = new ArrayDeque[0][];
        this.h2 = new java.util.ArrayList[0][];
        this.tls = new io.netty.handler.ssl.SslContext[0];
        this.sni = new io.haquark.acl.SampleExpr[0];
        for (io.haquark.state.ServerState st : state.servers()) {
            serverAdded(st);
        }
        ssl.onCommit(this::rebuildTls);
    }

    /** A committed "set ssl cert" (or CA file) change: new connections to the servers use new contexts. */
    private synchronized void rebuildTls() {
        io.netty.handler.ssl.SslContext[] t = tls.clone();
        for (io.haquark.state.ServerState st : state.servers()) {
            if (st.index >= 0 && st.index < t.length && st.server.ssl()) {
                try {
                    t[st.index] = ServerTls.context(st.server, ssl);
                } catch (RuntimeException e) {
                    org.jboss.logging.Logger.getLogger("haquark.tls").warnf("[WARNING] server %s/%s: TLS not rebuilt: %s",
                            proxy.name(), st.server.name(), e.getMessage());
                }
            }
        }
        tls = t;
    }

    /** Gives a server (from the config, or "add server") its pools, TLS context and SNI expression. */
    void serverAdded(io.haquark.state.ServerState st) {
        io.haquark.model.Server s = st.server;
        // Built before taking this backend's lock: a commit of the TLS store holds the store's lock
        // and then takes this one (rebuildTls), so the two are never taken the other way round.
        io.netty.handler.ssl.SslContext context = s.ssl() ? ServerTls.context(s, ssl) : null;
        String expr = s.options().get("sni");
        io.haquark.acl.SampleExpr sniExpr = expr == null ? null
                : io.haquark.acl.SampleExpr.parse(expr, java.nio.file.Path.of("").toAbsolutePath(), null);
        added(st.index, context, sniExpr);
    }

    @SuppressWarnings("unchecked")
    private synchronized void added(int i, io.netty.handler.ssl.SslContext context, io.haquark.acl.SampleExpr sniExpr) {
        int n = Math.max(idle.length, i + 1);
        ArrayDeque<Channel>[][] pools = java.util.Arrays.copyOf(idle, n);
        java.util.ArrayList<Channel>[][] multiplexed = java.util.Arrays.copyOf(h2, n);
        multiplexed[i] = new java.util.ArrayList[eventLoops];
        io.netty.handler.ssl.SslContext[] t = java.util.Arrays.copyOf(tls, n);
        io.haquark.acl.SampleExpr[] x = java.util.Arrays.copyOf(sni, n);
        pools[i] = new ArrayDeque[eventLoops];
        for (int l = 0; l < eventLoops; l++) {
            pools[i][l] = new ArrayDeque<>();
            multiplexed[i][l] = new java.util.ArrayList<>(1);
        }
        t[i] = context;
        x[i] = sniExpr;
        tls = t;
        sni = x;
        idle = pools;
        h2 = multiplexed;
    }

    /** del server: its pooled connections close (each on its own event loop, where the queue lives). */
    void serverRemoved(io.haquark.state.ServerState st) {
        for (java.util.ArrayList<Channel> list : h2[st.index]) {
            Channel any = list.isEmpty() ? null : list.get(0);
            if (any != null) {
                any.eventLoop().execute(() -> new java.util.ArrayList<>(list).forEach(Channel::close));
            }
        }
        ArrayDeque<Channel>[] pools = idle[st.index];
        for (ArrayDeque<Channel> q : pools) {
            Channel any = q.peekFirst();
            if (any != null) {
                any.eventLoop().execute(() -> {
                    Channel c;
                    while ((c = q.pollFirst()) != null) {
                        c.close();
                    }
                });
            }
        }
    }

    public String name() {
        return proxy.name();
    }

    /** Receives (server, nanoseconds) per finished transaction; metrics plug in here. */
    public interface LatencyRecorder {
        void record(io.haquark.state.ServerState server, long nanos);
    }

    private volatile LatencyRecorder latency;

    public void latencyRecorder(LatencyRecorder r) {
        latency = r;
    }

    void recordLatency(io.haquark.state.ServerState server, long nanos) {
        state.counters.totalTimeNanos.add(nanos);
        LatencyRecorder r = latency;
        if (r != null && server != null) {
            r.record(server, nanos);
        }
    }

    /** An idle, still open connection to the server from this event loop's pool, or null. */
    Channel pollIdle(io.haquark.state.ServerState s, int loop) {
        ArrayDeque<Channel> q = idle[s.index][loop];
        if (s.deleted) {
            // Deleted: whatever is pooled for it is not used again.
            q.forEach(Channel::close);
            q.clear();
            return null;
        }
        Channel c;
        while ((c = q.pollFirst()) != null) {
            if (!c.isActive()) {
                continue;
            }
            if (!pointsAt(c, s)) {
                c.close();
                continue;
            }
            return c;
        }
        return null;
    }

    /**
     * An HTTP/2 connection of this loop to the server that takes one more stream, made for the
     * same SNI; null when none. One without streams is an idle connection: only when the
     * transaction may take one ({@code idleAllowed}, the http-reuse rule).
     */
    Channel h2Connection(io.haquark.state.ServerState s, int loop, String sni, boolean idleAllowed) {
        if (s.deleted) {
            return null;
        }
        java.util.ArrayList<Channel> list = h2[s.index][loop];
        for (int i = 0; i < list.size(); i++) {
            Channel c = list.get(i);
            if (!pointsAt(c, s)) {
                c.close();
                continue;
            }
            if (java.util.Objects.equals(c.attr(H2_SNI).get(), sni) && Connector.canOpenStream(c)
                    && (idleAllowed || Connector.activeStreams(c) > 0) && !spent(s, c)) {
                c.attr(H2_STREAMS).set(c.attr(H2_STREAMS).get() + 1);
                return c;
            }
        }
        return null;
    }

    /**
     * max-reuse (configuration.txt §5.2): an HTTP/2 connection carries its first stream and at
     * most that many more; HAProxy applies it to multiplexed connections only (an HTTP/1 one that
     * goes back to the pool is not limited, read off HAProxy 2.6).
     */
    private static boolean spent(io.haquark.state.ServerState s, Channel c) {
        return s.maxReuse >= 0 && c.attr(H2_STREAMS).get() > s.maxReuse;
    }

    /** A new HTTP/2 connection of this loop, listed until it closes. */
    void addH2Connection(io.haquark.state.ServerState s, int loop, Channel c, String sni) {
        c.attr(H2_SNI).set(sni);
        c.attr(H2_STREAMS).set(1);
        java.util.ArrayList<Channel> list = h2[s.index][loop];
        list.add(c);
        c.closeFuture().addListener(f -> list.remove(c));
    }

    /**
     * An idle connection to the server parked by another event loop (tune.idle-pool.shared):
     * the first one seen, read without that loop's order, so only a hint; the owner loop polls
     * it for real. Null when none.
     */
    Channel idleElsewhere(io.haquark.state.ServerState s, int loop) {
        ArrayDeque<Channel>[] pools = idle[s.index];
        for (int l = 0; l < pools.length; l++) {
            if (l != loop) {
                try {
                    Channel c = pools[l].peekFirst();
                    if (c != null) {
                        return c;
                    }
                } catch (RuntimeException raced) {
                    // the owner changed the queue under us: no hint from it
                }
            }
        }
        return null;
    }

    /** The index of the loop whose pool holds this idle connection, or -1. */
    int idleLoopOf(io.haquark.state.ServerState s, Channel c) {
        ServerHandler h = (ServerHandler) c.pipeline().get("server");
        return h == null || h.pool != this || h.poolServer != s.index ? -1 : h.poolLoop;
    }

    /** Takes this connection out of its loop's pool (on that loop); false if it is no longer there. */
    boolean takeIdle(io.haquark.state.ServerState s, int loop, Channel c) {
        return !s.deleted && idle[s.index][loop].remove(c) && c.isActive() && pointsAt(c, s);
    }

    /** After "set server ... addr" a kept or pooled connection to the old address is not reused. */
    static boolean pointsAt(Channel c, io.haquark.state.ServerState s) {
        if (s.socks4 != null) {
            return s.socks4.equals(c.remoteAddress());   // through SOCKS4: the socket's peer is the proxy
        }
        return !(c.remoteAddress() instanceof java.net.InetSocketAddress a && (!a.getAddress().equals(s.address)
                || s.portOverride >= 0 && a.getPort() != s.portOverride));
    }

    /** Idle connections to the server over every loop (each read without its loop's order: a count for limits only). */
    int idleCount(io.haquark.state.ServerState s) {
        int n = 0;
        for (ArrayDeque<Channel> q : idle[s.index]) {
            n += q.size();
        }
        return n;
    }

    /** Parks a connection for reuse; false when the pool is full (the caller closes it). */
    boolean offerIdle(int server, int loop, Channel c) {
        ArrayDeque<Channel> q = idle[server][loop];
        if (q.size() >= MAX_IDLE) {
            return false;
        }
        q.addFirst(c);
        schedulePurge(loop, c.eventLoop());
        return true;
    }

    /** The loops whose idle connections a purge is scheduled for. */
    private final java.util.concurrent.atomic.AtomicLong purging = new java.util.concurrent.atomic.AtomicLong();

    /**
     * pool-purge-delay (configuration.txt §5.2, 5s by default, 0 never): every delay, half of each
     * server's idle connections of the loop are closed, the longest idle first. The purge goes on
     * while the loop parks connections and stops once its pools are empty (a later offer restarts it).
     */
    private void schedulePurge(int loop, io.netty.channel.EventLoop on) {
        if (loop >= 64 || (purging.get() & (1L << loop)) != 0) {
            return;
        }
        long delay = purgeDelayMs();
        if (delay <= 0) {
            return;
        }
        purging.getAndUpdate(v -> v | (1L << loop));
        on.schedule(() -> purge(loop, on), delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void purge(int loop, io.netty.channel.EventLoop on) {
        ArrayDeque<Channel>[][] pools = idle;
        boolean left = false;
        io.haquark.state.ServerState[] servers = state.servers();
        for (int s = 0; s < pools.length; s++) {
            if (loop >= pools[s].length) {
                continue;
            }
            long delay = s < servers.length ? servers[s].poolPurgeDelayMs : 5000;
            ArrayDeque<Channel> q = pools[s][loop];
            if (delay <= 0) {
                left |= !q.isEmpty();
                continue;
            }
            for (int n = q.size() / 2 + q.size() % 2; n > 0; n--) {
                Channel oldest = q.pollLast();
                if (oldest != null) {
                    oldest.close();
                }
            }
            left |= !q.isEmpty();
        }
        purging.getAndUpdate(v -> v & ~(1L << loop));
        if (left) {
            schedulePurge(loop, on);
        }
    }

    /** The shortest pool-purge-delay among the servers (5s by default). */
    private long purgeDelayMs() {
        long min = Long.MAX_VALUE;
        for (io.haquark.state.ServerState s : state.servers()) {
            if (s.poolPurgeDelayMs > 0) {
                min = Math.min(min, s.poolPurgeDelayMs);
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    void removeIdle(int server, int loop, Channel c) {
        idle[server][loop].remove(c);
    }
}
