package io.haquark.state;

import io.haquark.model.Server;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable side of one server: operational state, effective weight, live connection
 * count, counters. Lives apart from the immutable {@link Server} so a reload can carry it
 * over by name.
 */
public final class ServerState {

    /** Administrative state set by the operator (stats page, runtime API). */
    public enum Admin { READY, DRAIN, MAINT }

    public final Server server;
    public final String backendName;
    /** Position in its backend, used by index-based balancers. */
    public final int index;
    private volatile boolean up = true;
    private volatile Admin admin;
    private volatile int weight;
    /** Transactions currently assigned to this server (HAProxy's "cur sessions"). */
    public final AtomicInteger active = new AtomicInteger();
    public final Counters counters;
    /** Times the balancer picked this server (stats "lbtot"). */
    public final LongAdder lbTotal = new LongAdder();
    /** Health check fields, written by the health package (check_status, check_desc, ...). */
    public volatile String lastCheck = "";
    public volatile String lastCheckDesc = "";
    public volatile int lastCheckCode = -1;
    public volatile long lastCheckDurationMs = -1;
    /** HAProxy's health counter: 0..rise+fall-1, UP at rise and above. */
    public volatile int health;

    /**
     * observe layer4|layer7 (configuration.txt §5.2 "observe"): consecutive errors seen in the
     * traffic; at "error-limit" (10 by default) the health checks apply "on-error".
     */
    private final java.util.concurrent.atomic.AtomicInteger observedErrors = new java.util.concurrent.atomic.AtomicInteger();

    /** What the health checks do at the error limit (set when the server is checked). */
    public interface ErrorLimit {
        void reached(ServerState server, int errors, String last);
    }

    public volatile ErrorLimit onErrorLimit;

    /**
     * A result of the traffic for health observing: {@code error} null for a success, else what
     * went wrong; layer 7 results count only with "observe layer7", layer 4 ones with either.
     */
    public void observed(boolean layer7, String error) {
        if (observeLevel == 0 || layer7 && observeLevel != 7) {
            return;
        }
        if (error == null) {
            if (layer7 || observeLevel == 4) {     // with layer7, only an answer clears the count
                observedErrors.set(0);
            }
            return;
        }
        int n = observedErrors.incrementAndGet();
        ErrorLimit hook = onErrorLimit;
        if (n >= errorLimit && hook != null) {
            observedErrors.set(0);
            hook.reached(this, n, error);
        }
    }
    public final java.util.concurrent.atomic.LongAdder checkFailures = new java.util.concurrent.atomic.LongAdder();
    /** Health checks disabled by the operator (dhlth) or never configured. */
    public volatile boolean checksEnabled = true;
    /**
     * The agent check's last result (configuration.txt "agent-check"): its status name ("L7OK",
     * "CHECKED" ...), code (-1: none), description, info (last_agt), duration, and health (0 or 1).
     */
    public volatile String agentStatus = "";
    public volatile int agentCode = -1;
    public volatile String agentDesc = "";
    public volatile String agentInfo = "";
    public volatile long agentDurationMs = -1;
    public volatile int agentHealth = 1;
    /** Agent checks paused by the operator ("disable agent"); a server added at run time starts without them. */
    public volatile boolean agentEnabled = true;
    /** The admin state was set by the agent ("drain", "maint"): the stats page says "(agent)". */
    public volatile boolean adminByAgent;
    /** The operator took the server out of load balancing (hnolb via the stats page). */
    private volatile boolean noLoadBalance;
    public volatile long lastChange = System.currentTimeMillis();
    public final LongAdder downTransitions = new LongAdder();
    public volatile long downSinceMs;
    public final LongAdder downTimeMs = new LongAdder();

    /** The server's address, resolved once at load time so no lookup ever runs on an event loop. */
    public volatile java.net.InetAddress address;
    /** "set server ... addr <ip> port <p>": the port in use instead of the configured one; -1 = configured. */
    public volatile int portOverride = -1;
    /** source <addr>[:<port>] of the server line, else of its backend: where connections leave from; null: the kernel's choice. */
    public volatile java.net.InetSocketAddress source;
    /** Removed by "del server": its health check stops, nothing routes to it. */
    public volatile boolean deleted;
    /**
     * "track [<backend>/]<server>" (configuration.txt §5.2): the server whose state this one
     * follows, and those following this one, the latest first as HAProxy notifies them.
     */
    public volatile ServerState tracked;
    public final java.util.List<ServerState> trackers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** In maintenance because the tracked server is (HAProxy's "MAINT (via ...)"). */
    private volatile boolean inheritedMaint;
    /** Where this server's state changes are told (the backend's log); counts come from its backend. */
    volatile BackendState backend;

    /** The backend this server belongs to (its proxy settings), or null before it is attached. */
    public io.haquark.model.Proxy backendProxy() {
        BackendState b = backend;
        return b == null ? null : b.proxy;
    }

    /** Runtime API "set server <b>/<s> addr": new connections and checks go to the new address. */
    public void setAddress(java.net.InetAddress a, int port) {
        address = a;
        if (port >= 0) {
            portOverride = port;
        }
    }

    public ServerState(Server server, String backendName, int index) {
        this(server, backendName, index, new Counters());
    }

    /** The server line's observe (0 none, 4 layer4, 7 layer7) and error-limit, read once. */
    private final int observeLevel;
    private final int errorLimit;
    /** pool-max-conn and max-reuse (-1: no limit), read once from the server line. */
    public final int poolMaxConn;
    /** socks4 <addr>:<port>: the SOCKS4 proxy this server is reached through, or null. */
    public final java.net.InetSocketAddress socks4;
    /** pool-purge-delay in ms (5s by default; 0: idle connections are never purged). */
    public final long poolPurgeDelayMs;
    public final int maxReuse;

    private int intOption(String name, int dflt) {
        String v = server.options().get(name);
        return v == null ? dflt : Integer.parseInt(v);
    }

    public ServerState(Server server, String backendName, int index, Counters counters) {
        this.counters = counters;
        this.server = server;
        String observe = server.options().get("observe");
        this.observeLevel = observe == null ? 0 : observe.equals("layer7") ? 7 : 4;
        this.errorLimit = intOption("error-limit", 10);
        this.poolMaxConn = intOption("pool-max-conn", -1);
        this.maxReuse = intOption("max-reuse", -1);
        String socks = server.options().get("socks4");
        if (socks != null) {
            int colon = socks.lastIndexOf(':');
            java.net.InetAddress a = resolve(socks.substring(0, colon));
            this.socks4 = a == null ? null : new java.net.InetSocketAddress(a, Integer.parseInt(socks.substring(colon + 1)));
        } else {
            this.socks4 = null;
        }
        String purge = server.options().get("pool-purge-delay");
        this.poolPurgeDelayMs = purge == null ? 5000 : io.haquark.model.Values.time(purge, "pool-purge-delay");
        this.address = resolve(server.address());
        this.backendName = backendName;
        this.index = index;
        this.admin = server.disabled() ? Admin.MAINT : Admin.READY;
        this.weight = server.weight();
    }

    /** Reload: the same server (by name) keeps its health, operator state and counters. */
    /** Set by inheritFrom when the old model checked this server too: its health goes on instead of restarting UP. */
    public boolean healthInherited;

    public void inheritFrom(ServerState old) {
        this.healthInherited = old.server.check() && server.check();
        this.up = old.up;
        this.health = old.health;
        this.admin = old.admin;
        this.checksEnabled = old.checksEnabled && server.check();
        this.noLoadBalance = old.noLoadBalance;
        this.lastCheck = old.lastCheck;
        this.lastCheckDesc = old.lastCheckDesc;
        this.lastCheckCode = old.lastCheckCode;
        this.lastCheckDurationMs = old.lastCheckDurationMs;
        this.lastChange = old.lastChange;
        this.downSinceMs = old.downSinceMs;
        this.downTimeMs.add(old.downTimeMs.sum());
        this.downTransitions.add(old.downTransitions.sum());
        this.checkFailures.add(old.checkFailures.sum());
        this.lbTotal.add(old.lbTotal.sum());
        if (old.server.weight() == server.weight()) {
            this.weight = old.weight;
        }
        if (server.disabled() != old.server.disabled()) {
            this.admin = server.disabled() ? Admin.MAINT : Admin.READY;
        }
    }

    private static java.net.InetAddress resolve(String host) {
        try {
            return java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException | SecurityException e) {
            return null;
        }
    }

    public String name() {
        return server.name();
    }

    /**
     * The server's id (srv_id, the stats' sid, show servers state, where consistent hashing
     * places it): its "id" option, else the first number from 1 no server of the backend took,
     * given in order as HAProxy numbers them ({@link BackendState}).
     */
    public int id() {
        return assignedId > 0 ? assignedId : index + 1;
    }

    /** Set once by the backend (0 until then). */
    int assignedId;

    /** The "id" option, or 0. */
    int forcedId() {
        String forced = server.options().get("id");
        return forced == null ? 0 : Integer.parseInt(forced);
    }

    /** Where state changes go: the backend, which tells its subscribers (the load balancer). */
    private volatile java.util.function.Consumer<ServerState> listener = s -> { };

    void onChange(java.util.function.Consumer<ServerState> l) {
        listener = l;
    }

    private void changed() {
        listener.accept(this);
    }

    public boolean noLoadBalance() {
        return noLoadBalance;
    }

    /** The operator's forced health states of the stats page (configuration.txt §9.1 admin actions). */
    public void forceHealthy() {
        noLoadBalance = false;
        health = server.rise() + server.fall() - 1;
        setUp(true);
        changed();
    }

    public void forceNoLoadBalance() {
        noLoadBalance = true;
        changed();
    }

    public void forceDown() {
        health = 0;
        setUp(false);
    }

    public boolean isUp() {
        return up;
    }

    /** In maintenance, set on this server (forced) or through the server it tracks. */
    public boolean inMaintenance() {
        return admin == Admin.MAINT || inheritedMaint;
    }

    /** Maintenance through tracking only (show servers state's admin bit 0x02). */
    public boolean inheritedMaintenance() {
        return inheritedMaint;
    }

    /** Starts following a server's state: its operational and maintenance states become this one's. */
    public void track(ServerState t) {
        tracked = t;
        t.trackers.add(0, this);
        up = t.isUp();
        inheritedMaint = t.inMaintenance();
    }

    /** Health (or the operator via dhlth/ehlth) changed the operational state. */
    public void setUp(boolean newUp) {
        if (up != newUp) {
            up = newUp;
            for (ServerState t : trackers) {
                t.setUp(newUp);
            }
            changed();
            long now = System.currentTimeMillis();
            lastChange = now;
            if (!newUp) {
                downTransitions.increment();
                downSinceMs = now;
            } else if (downSinceMs > 0) {
                downTimeMs.add(now - downSinceMs);
                downSinceMs = 0;
            }
        }
    }

    public Admin admin() {
        return admin;
    }

    public void setAdmin(Admin a) {
        setAdmin(a, true);
    }

    /** @param log whether this server's own line is written (the agent check writes its own) */
    public void setAdmin(Admin a, boolean log) {
        if (admin != a) {
            boolean wasMaint = inMaintenance();
            boolean wasUp = up;
            admin = a;
            changed();
            lastChange = System.currentTimeMillis();
            if (!wasMaint && inMaintenance()) {
                enteredMaintenance(null, wasUp, log);
            } else if (wasMaint && !inMaintenance()) {
                leftMaintenance(true, log);
            }
        }
    }

    /** The tracked server entered or left maintenance. */
    private void inheritMaintenance(boolean on, ServerState via) {
        boolean wasMaint = inMaintenance();
        boolean wasUp = up;
        inheritedMaint = on;
        changed();
        if (!wasMaint && inMaintenance()) {
            enteredMaintenance(via, wasUp, true);
        } else if (wasMaint && !inMaintenance()) {
            leftMaintenance(false, true);
        }
    }

    /**
     * HAProxy's lines when a server enters maintenance (alert, with what is left) or was already
     * down (notice), then the same for the servers tracking it, the latest first.
     */
    private void enteredMaintenance(ServerState via, boolean wasUp, boolean log) {
        BackendState b = backend;
        if (b != null && log) {
            if (wasUp) {
                int active = b.usableServers(false);
                int backup = b.usableServers(true);
                b.stateLog(1, "Server " + backendName + "/" + name() + " is going DOWN for maintenance"
                        + (via == null ? "" : " via " + via.backendName + "/" + via.name()) + ". " + active + " active and "
                        + backup + " backup servers left. " + this.active.get() + " sessions active, 0 requeued, "
                        + b.queueLength() + " remaining in queue.");
                if (active == 0 && backup == 0) {
                    b.stateLog(0, "backend " + backendName + " has no server available!");
                }
            } else {
                b.stateLog(5, "Server " + backendName + "/" + name() + " was DOWN and now enters maintenance"
                        + (via == null ? "" : " via " + via.backendName + "/" + via.name()) + ".");
            }
        }
        for (ServerState t : trackers) {
            t.inheritMaintenance(true, this);
        }
    }

    /**
     * Leaving maintenance: a server with checks starts again as just up (HAProxy puts its health
     * at rise), and the lines say so; then the servers tracking it follow.
     */
    private void leftMaintenance(boolean forced, boolean log) {
        if (forced && tracked == null && server.check() && checksEnabled) {
            health = server.rise();
            setUp(true);
        }
        BackendState b = backend;
        if (b != null && log) {
            b.stateLog(5, "Server " + backendName + "/" + name() + " is " + (up ? "UP" : "DOWN")
                    + (admin == Admin.DRAIN ? "/DRAIN" : up ? "/READY" : "") + " (leaving " + (forced ? "forced " : "") + "maintenance).");
        }
        for (ServerState t : trackers) {
            t.inheritMaintenance(false, this);
        }
    }

    public int weight() {
        return weight;
    }

    public void setWeight(int w) {
        weight = w;
        changed();
    }

    /** May receive new traffic from a balancer: UP, READY, weight above 0. */
    public boolean usable() {
        return up && admin == Admin.READY && !inheritedMaint && weight > 0 && !noLoadBalance;
    }

    /** maxconn in force: the configured one until "set maxconn server" changes it. */
    private volatile int maxconn = -1;

    public int maxconn() {
        return maxconn >= 0 ? maxconn : server.maxconn();
    }

    public void setMaxconn(int max) {
        maxconn = max;
        changed();
    }

    /** Below its maxconn (0 = unlimited). */
    public boolean hasRoom() {
        int max = maxconn();
        return max == 0 || active.get() < max;
    }

    public String host() {
        return server.address();
    }
}
