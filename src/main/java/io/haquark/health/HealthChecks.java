package io.haquark.health;

import io.haquark.model.Proxy;
import io.haquark.model.Server;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Active health checks for every server with {@code check}: one timer per server on an
 * event loop, the next check scheduled after the previous one ends (inter / fastinter /
 * downinter), state changes logged the way HAProxy logs them.
 */
public final class HealthChecks {
    private static final Logger LOG = Logger.getLogger("haquark.health");

    private final List<ServerCheck> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    /** What "on-marked-down shutdown-sessions" / "on-marked-up shutdown-backup-sessions" do (the engine's). */
    private final java.util.function.Consumer<ServerState> shutdownSessions;

    /** global "external-check preserve-env": scripts keep the process environment. */
    private volatile boolean preserveEnv;

    public void externalCheckPreserveEnv(boolean keep) {
        preserveEnv = keep;
    }

    /** The global "log" lines, for backends that say "log global". */
    private volatile List<String> globalLogTargets = List.of();

    public void globalLogTargets(List<String> targets) {
        globalLogTargets = List.copyOf(targets);
    }

    /** global "node" (the host name by default), named in http-check send-state headers. */
    private volatile String nodeName = defaultNode();

    public void nodeName(String node) {
        nodeName = node == null || node.isEmpty() ? defaultNode() : node;
    }

    private static String defaultNode() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** How long the first checks wait for the process to finish starting (see start()). */
    private static final long FIRST_CHECK_DELAY_MS = 500;

    private static final int LOG_ALERT = 1;
    private static final int LOG_NOTICE = 5;

    public HealthChecks() {
        this(s -> { });
    }

    /** @param shutdownSessions closes the client connections using a server */
    public HealthChecks(java.util.function.Consumer<ServerState> shutdownSessions) {
        this.shutdownSessions = shutdownSessions;
    }

    private final class ServerCheck {
        final Proxy backend;
        final BackendState state;
        final ServerState server;
        final CheckPlan plan;
        final EventLoop loop;
        final ChannelFactory<? extends Channel> factory;
        final long connectTimeout;
        final long readTimeout;
        /** TLS for checks of an "ssl" server on its own port (or with check-ssl). */
        final io.netty.handler.ssl.SslContext tls;
        /** The backend's log targets: state changes (and with option log-health-checks, check results) go there. */
        final List<io.haquark.logging.LogTarget> logTargets;
        /** The status of the previous check, for option log-health-checks ("INI" before the first). */
        String previousStatus = "INI";

        ServerCheck(Proxy backend, BackendState state, ServerState server, CheckPlan plan, EventLoop loop,
                    ChannelFactory<? extends Channel> factory) {
            this.backend = backend;
            this.state = state;
            this.server = server;
            this.plan = plan;
            this.loop = loop;
            this.factory = factory;
            Server s = server.server;
            long tCheck = backend.timeouts().check();
            long tConnect = backend.timeouts().connect();
            // configuration.txt "timeout check": with it, connect uses min(timeout connect, inter)
            // and reads use timeout check; without it, inter bounds the whole check.
            this.connectTimeout = tCheck > 0 ? Math.min(tConnect > 0 ? tConnect : s.inter(), s.inter()) : s.inter();
            this.readTimeout = tCheck > 0 ? tCheck : s.inter();
            boolean sslCheck = s.checkSsl() || s.ssl() && s.checkPort() == 0;
            // A plain connect check over TLS passes at layer 6 once the handshake is done.
            this.tls = sslCheck && !plan.type.equals("external") ? io.haquark.tls.ServerTls.context(s) : null;
            this.logTargets = logTargets(backend);
        }

        void syslog(int severity, String line) {
            HealthChecks.syslog(logTargets, severity, line);
        }

        void schedule(long delayMs) {
            if (!stopped) {
                loop.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * observe's error-limit reached (configuration.txt §5.2 "on-error"): fail-check counts as a
         * failed check, sudden-death as one that leaves a single check before down, mark-down takes
         * the server down; each, and fastinter, bring the next check forward to fastinter. Runs on
         * the loop of the request that saw the last error, so that the next request finds the new
         * state (HAProxy applies it at once too); the check itself goes on on its own loop.
         */
        synchronized void errorLimit(int errors, String last) {
            if (stopped || server.deleted) {
                return;
            }
            String action = server.server.options().getOrDefault("on-error", "fail-check");
            CheckResult r = new CheckResult(server.lastCheck == null ? "L7STS" : server.lastCheck, false, -1,
                    "Health analyze, info: \"Detected " + errors + " consecutive errors, last one was: " + last + "\"", -1);
            boolean changed = false;
            switch (action) {
                case "fail-check" -> changed = HealthState.apply(server, r);
                case "sudden-death" -> {
                    int rise = server.server.rise();
                    if (server.health > rise) {
                        server.health = rise;
                    } else {
                        changed = HealthState.apply(server, r);
                    }
                }
                case "mark-down" -> {
                    if (server.isUp()) {
                        server.health = 0;
                        server.setUp(false);
                        changed = true;
                    }
                }
                default -> { }
            }
            if (changed) {
                logChange(r);
                markedActions();
            }
            schedule(server.server.fastinter());
        }

        void runOnce() {
            if (stopped || server.deleted) {
                return;
            }
            if (!server.checksEnabled || server.inMaintenance()) {
                schedule(server.server.inter());
                return;
            }
            if (plan.type.equals("external")) {
                // The script runs off the event loop; its verdict comes back to it.
                ExternalCheck.run(plan, backend, server, readTimeout, preserveEnv, r -> loop.execute(() -> report(r)));
                return;
            }
            InetSocketAddress target = target();
            if (target == null) {
                report(CheckResult.l4con("could not resolve address", 0));
                return;
            }
            CheckRunner.run(loop, factory, new CheckRunner.Connection(target, server.source, tls, server.server.options().get("check-sni"),
                    plan.http && h2(), proxyVersion(server.server),
                    server.server.options().containsKey("check-via-socks4") ? server.socks4 : null), plan, connectTimeout, readTimeout,
                    new CheckSamples(backend.name(), server), plan.sendState ? serverStateHeader() : null, this::report);
        }

        /**
         * http-check send-state: "UP 1/3; address=A; port=P; name=B/S; node=N; weight=W/T;
         * scur=S/T; qcur=Q", the server's state as the stats page words it, then its share of the backend.
         */
        String serverStateHeader() {
            int totalWeight = 0;
            int backendSessions = 0;
            for (ServerState s : state.servers()) {
                if (s.usable()) {
                    totalWeight += s.weight();
                }
                backendSessions += s.active.get();
            }
            return (server.checksEnabled ? HealthState.describe(server) : "no check")
                    + "; address=" + (server.address == null ? "" : server.address.getHostAddress())
                    + "; port=" + (server.portOverride > 0 ? server.portOverride : server.server.port())
                    + "; name=" + backend.name() + "/" + server.name()
                    + "; node=" + nodeName
                    + "; weight=" + (server.usable() ? server.weight() : 0) + "/" + totalWeight
                    + "; scur=" + server.active.get() + "/" + backendSessions
                    + "; qcur=0";
        }

        /** HTTP checks speak HTTP/2 with "check-proto h2", or with "proto h2" when check-proto is not set. */
        boolean h2() {
            java.util.Map<String, String> o = server.server.options();
            String proto = o.containsKey("check-proto") ? o.get("check-proto") : o.get("proto");
            return "h2".equals(proto);
        }

        InetSocketAddress target() {
            Server s = server.server;
            InetAddress addr = server.address;
            if (s.checkAddr() != null) {
                try {
                    addr = InetAddress.getByName(s.checkAddr());
                } catch (java.net.UnknownHostException e) {
                    return null;
                }
            }
            int port = s.checkPort() > 0 ? s.checkPort() : s.port();
            if (addr == null || port <= 0 || s.portOffset()) {
                return null;
            }
            return new InetSocketAddress(addr, port);
        }

        void report(CheckResult r) {
            if (stopped) {
                return;
            }
            int healthBefore = server.health;
            boolean changed = HealthState.apply(server, r);
            if (backend.option("log-health-checks") && (!r.status().equals(previousStatus) || server.health != healthBefore)) {
                logCheck(r);
            }
            previousStatus = r.status();
            if (changed) {
                // The state change itself reaches the load balancer, which gives queued work to the server.
                logChange(r);
                markedActions();
            }
            schedule(HealthState.nextInterval(server));
        }

        /**
         * on-marked-down shutdown-sessions: a server found down has its connections closed;
         * on-marked-up shutdown-backup-sessions: an active server back up takes the backups'
         * connections away (configuration.txt §5.2).
         */
        void markedActions() {
            if (!server.isUp() && "shutdown-sessions".equals(server.server.options().get("on-marked-down"))) {
                shutdownSessions.accept(server);
            }
            if (server.isUp() && !server.server.backup()
                    && "shutdown-backup-sessions".equals(server.server.options().get("on-marked-up"))) {
                for (ServerState b : state.servers()) {
                    if (b.server.backup()) {
                        shutdownSessions.accept(b);
                    }
                }
            }
        }

        /**
         * option log-health-checks: a check whose status differs from the previous one, or that
         * moved the server's health, is logged (configuration.txt §4.2 "option log-health-checks").
         */
        void logCheck(CheckResult r) {
            int rise = server.server.rise();
            int fall = server.server.fall();
            boolean up = server.isUp();
            String msg = String.format("Health check for %sserver %s/%s %s%s%s, status: %d/%d %s",
                    server.server.backup() ? "backup " : "", backend.name(), server.name(),
                    r.status().equals("L7OKC") ? "conditionally " : "", r.passed() ? "succeeded" : "failed",
                    r.details(), up ? server.health - rise + 1 : server.health, up ? fall : rise,
                    up ? (server.weight() == 0 ? "DRAIN" : "UP") : "DOWN");
            LOG.warn(msg + ".");
            syslog(LOG_NOTICE, msg + ".");
        }

        void logChange(CheckResult r) {
            int active = state.usableServers(false);
            int backup = state.usableServers(true);
            // ", reason: ..., code: N, info: \"...\", check duration: Nms" in HAProxy's order.
            String msg = String.format("%s %s/%s is %s%s. %d active and %d backup servers %s."
                            + " %d sessions active, 0 requeued, %d remaining in queue.",
                    server.server.backup() ? "Backup Server" : "Server", backend.name(), server.name(),
                    server.isUp() ? "UP" : "DOWN", r.details(), active, backup,
                    server.isUp() ? "online" : "left", server.active.get(), state.queueLength());
            LOG.warn(msg);
            // HAProxy sends the same line to the backend's logs: notice when up, alert when down.
            syslog(server.isUp() ? LOG_NOTICE : LOG_ALERT, msg);
            if (!server.isUp() && active == 0 && backup == 0) {
                LOG.errorf("backend '%s' has no server available!", backend.name());
                syslog(0, "backend " + backend.name() + " has no server available!");
            }
        }
    }

    private final List<AgentCheck> agents = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The agent check of a server with "agent-check" (and its agent-port), started after the same delay as checks. */
    private void startAgent(BackendState b, ServerState s, EventLoop loop, ChannelFactory<? extends Channel> factory) {
        java.util.Map<String, String> o = s.server.options();
        if (!o.containsKey("agent-check") || !o.containsKey("agent-port")) {
            return;
        }
        InetAddress addr = s.address;
        if (o.containsKey("agent-addr")) {
            try {
                addr = InetAddress.getByName(o.get("agent-addr"));
            } catch (java.net.UnknownHostException e) {
                LOG.warnf("agent-addr '%s' of server %s/%s could not be resolved; agent check disabled.", o.get("agent-addr"),
                        b.name(), s.name());
                return;
            }
        }
        if (addr == null) {
            return;
        }
        long inter = o.containsKey("agent-inter") ? Long.parseLong(o.get("agent-inter")) : s.server.inter();
        Proxy backend = b.proxy;
        List<io.haquark.logging.LogTarget> targets = logTargets(backend);
        AgentCheck.Log log = new AgentCheck.Log() {
            @Override
            public void line(int severity, String line) {
                if (severity <= 3) {
                    LOG.error(line);
                } else {
                    LOG.warn(line);
                }
                syslog(targets, severity, line);
            }

            @Override
            public String serversSummary(boolean online) {
                int active = b.usableServers(false);
                int backup = b.usableServers(true);
                return online ? active + " active and " + backup + " backup servers online. 0 sessions requeued, "
                        + b.queueLength() + " total in queue."
                        : active + " active and " + backup + " backup servers left. " + s.active.get()
                        + " sessions active, 0 requeued, " + b.queueLength() + " remaining in queue.";
            }
        };
        AgentCheck a = new AgentCheck(s, backend.name(), loop, factory,
                new InetSocketAddress(addr, Integer.parseInt(o.get("agent-port"))), o.get("agent-send"), inter,
                backend.option("log-health-checks"), log);
        agents.add(a);
        a.schedule(FIRST_CHECK_DELAY_MS + ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(inter, 1000))));
    }

    /**
     * The PROXY protocol version a check sends first (configuration.txt §5.2 "check-send-proxy"):
     * with that option, or when the server's traffic carries one and the check goes to the same
     * address and port (a server added at run time sends it only with the option, as in HAProxy
     * 2.6); 0 for none.
     */
    static int proxyVersion(io.haquark.model.Server s) {
        boolean dynamic = s.where() != null && "runtime".equals(s.where().file());
        boolean send = s.options().containsKey("check-send-proxy")
                || !dynamic && (s.sendProxy() || s.sendProxyV2()) && s.checkPort() == 0 && s.checkAddr() == null;
        return !send ? 0 : s.sendProxyV2() ? 2 : 1;
    }

    /** One line to the backend's syslog targets. */
    private static void syslog(List<io.haquark.logging.LogTarget> targets, int severity, String line) {
        io.haquark.logging.LogSink sink = io.haquark.logging.LogSink.shared();
        for (io.haquark.logging.LogTarget t : targets) {
            sink.log(t, severity, line);
        }
    }

    /** The backend's syslog targets ("log global" expanded). */
    private List<io.haquark.logging.LogTarget> logTargets(Proxy backend) {
        List<io.haquark.logging.LogTarget> targets = new ArrayList<>();
        for (String spec : backend.logTargets()) {
            for (String one : spec.equals("global") ? globalLogTargets : List.of(spec)) {
                try {
                    io.haquark.logging.LogTarget t = io.haquark.logging.LogTarget.parse(one);
                    if (t != null) {
                        targets.add(t);
                    }
                } catch (RuntimeException e) {
                    // An address HAProxy accepts and cannot use (an empty "${VAR}:${PORT}") logs nowhere.
                    LOG.debugf("log target '%s' of backend %s unusable: %s", one, backend.name(), e.getMessage());
                }
            }
        }
        return List.copyOf(targets);
    }

    /** Starts checks for every server with "check" in the given backends, and agents for those with "agent-check". */
    public void start(Iterable<BackendState> backends, EventLoopGroup loops, ChannelFactory<? extends Channel> factory) {
        Iterator<io.netty.util.concurrent.EventExecutor> it = loops.iterator();
        for (BackendState b : backends) {
            List<io.haquark.logging.LogTarget> targets = logTargets(b.proxy);
            b.onStateLog((severity, line) -> {
                if (severity <= 3) {
                    LOG.error(line);
                } else {
                    LOG.warn(line);
                }
                syslog(targets, severity, line);
            });
            // One plan per backend: its servers share it (http-check log-formats are parsed once).
            CheckPlan plan = null;
            for (ServerState s : b.servers()) {
                if (!it.hasNext()) {
                    it = loops.iterator();
                }
                startAgent(b, s, (EventLoop) it.next(), factory);
                if (!s.server.check() || s.tracked != null) {
                    s.checksEnabled = false;
                    continue;
                }
                if (!s.healthInherited) {
                    // A reload keeps a checked server's state (a DOWN server stays DOWN); only new ones start UP.
                    HealthState.init(s);
                }
                if (!it.hasNext()) {
                    it = loops.iterator();
                }
                if (plan == null) {
                    plan = CheckPlan.of(b.proxy);
                }
                ServerCheck c = new ServerCheck(b.proxy, b, s, plan, (EventLoop) it.next(), factory);
                checks.add(c);
                s.onErrorLimit = (srv, n, last) -> c.errorLimit(n, last);   // at once, as the next request must see it
                // Spread the first checks over the interval, as HAProxy does, after the start-up work of
                // the process: checks racing it measured 60-200 ms for a loopback exchange, beyond an
                // "inter 100ms" timeout, where they take 1-10 ms once the process is up.
                c.schedule(FIRST_CHECK_DELAY_MS + ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(s.server.inter(), 1000))));
            }
        }
    }

    /** "enable health" on a server added at run time: its checks start now. */
    public void startOne(BackendState b, ServerState s, EventLoop loop, ChannelFactory<? extends Channel> factory) {
        HealthState.init(s);
        s.checksEnabled = true;
        ServerCheck c = new ServerCheck(b.proxy, b, s, CheckPlan.of(b.proxy), loop, factory);
        checks.add(c);
        s.onErrorLimit = (srv, n, last) -> c.errorLimit(n, last);
        c.schedule(0);
    }

    /** "enable agent" on a server added at run time: its agent check starts now; null when it has none. */
    public String startAgentOne(BackendState b, ServerState s, EventLoop loop, ChannelFactory<? extends Channel> factory) {
        if (!s.server.options().containsKey("agent-check")) {
            return "Agent was not configured on this server, cannot enable it.";
        }
        s.agentEnabled = true;
        if (agents.stream().noneMatch(a -> a.server() == s)) {
            startAgent(b, s, loop, factory);
        }
        return null;
    }

    /** Whether the server has a running check (configured with "check", or started by startOne). */
    public boolean checks(ServerState s) {
        for (ServerCheck c : checks) {
            if (c.server == s) {
                return true;
            }
        }
        return false;
    }

    public void stop() {
        stopped = true;
        agents.forEach(AgentCheck::stop);
    }

    public int count() {
        return checks.size();
    }
}
