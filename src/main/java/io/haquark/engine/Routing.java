package io.haquark.engine;

import io.haquark.config.ConfigException;
import io.haquark.config.Diagnostics;
import io.haquark.model.Config;
import io.haquark.model.Mode;
import io.haquark.model.Proxy;
import io.haquark.state.BackendState;
import io.haquark.state.FrontendState;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one configuration load gives the engine: frontends and backends with their
 * compiled rules and live state. A reload builds a new Routing and carries state over by name.
 */
public final class Routing {
    public final Config config;
    public final Map<String, FrontendRuntime> frontends;
    public final Map<String, BackendRuntime> backends;
    /** Basic-auth checks against the config's userlists. */
    public final io.haquark.rules.Userlists userlists;
    /** Stick tables by the name of the proxy that declares them. */
    public final Map<String, io.haquark.state.StickTable> tables;
    /** The ACL pattern files and map files of this load, which the runtime API may change. */
    public final io.haquark.acl.PatternReferences patterns;
    /** The "proc." variables of this load (a reload starts them again, as a new HAProxy process does). */
    public final io.haquark.state.Variables procVars;
    /** The certificates, CA and CRL files and crt-lists the binds and servers use (runtime "set ssl cert" ...). */
    public final io.haquark.tls.SslStore ssl;
    /** tune.idle-pool.shared (on by default): an event loop may take another loop's idle server connection. */
    public final boolean idlePoolShared;

    private Routing(Config config, Map<String, FrontendRuntime> frontends, Map<String, BackendRuntime> backends,
                    Map<String, io.haquark.state.StickTable> tables, io.haquark.acl.PatternReferences patterns,
                    io.haquark.state.Variables procVars, io.haquark.tls.SslStore ssl) {
        this.config = config;
        this.idlePoolShared = !"off".equals(config.global().tune().get("tune.idle-pool.shared"));
        this.ssl = ssl;
        this.procVars = procVars;
        this.patterns = patterns;
        this.frontends = Collections.unmodifiableMap(frontends);
        this.backends = Collections.unmodifiableMap(backends);
        this.tables = Collections.unmodifiableMap(tables);
        this.userlists = new io.haquark.rules.Userlists(config.userlists());
    }

    /** For the sample sources' backendState()/frontendState(). */
    io.haquark.state.BackendState backendState(String name) {
        BackendRuntime b = backends.get(name);
        return b == null ? null : b.state;
    }

    io.haquark.state.FrontendState frontendState(String name) {
        FrontendRuntime f = frontends.get(name);
        return f == null ? null : f.state;
    }

    public io.haquark.state.StickTable table(String name) {
        return tables.get(name);
    }

    /** The table a rule means: the one it names, else the frontend's, else the backend's (null when none). */
    io.haquark.state.StickTable table(String name, String frontend, String backend) {
        if (name != null) {
            return tables.get(name);
        }
        io.haquark.state.StickTable t = tables.get(frontend);
        return t != null || backend == null ? t : tables.get(backend);
    }

    public static Routing build(Config config, Path baseDir, int eventLoops, Diagnostics diag) throws ConfigException {
        return build(config, baseDir, eventLoops, diag, null);
    }

    /** With a previous model (reload): states, counters and stick tables carry over by name. */
    public static Routing build(Config config, Path baseDir, int eventLoops, Diagnostics diag, Routing previous)
            throws ConfigException {
        io.haquark.acl.PatternReferences patterns = new io.haquark.acl.PatternReferences();
        io.haquark.state.Variables procVars = io.haquark.state.Variables.process();
        try (var scope = patterns.bind(); var vars = procVars.bind()) {
            Routing r = build(config, baseDir, eventLoops, diag, previous, patterns, procVars);
            GlobalVariables.run(r, baseDir, diag);
            return r;
        }
    }

    private static Routing build(Config config, Path baseDir, int eventLoops, Diagnostics diag, Routing previous,
                                 io.haquark.acl.PatternReferences patterns, io.haquark.state.Variables procVars)
            throws ConfigException {
        Map<String, CompiledProxy> compiled = ConfigCompiler.compile(config, diag, baseDir);
        io.haquark.tls.SslStore ssl = new io.haquark.tls.SslStore(config.global());
        Map<String, BackendRuntime> backends = new LinkedHashMap<>();
        for (Proxy p : config.proxies()) {
            if (p.type().hasBackend()) {
                BackendRuntime old = previous == null ? null : previous.backends.get(p.name());
                backends.put(p.name(), new BackendRuntime(compiled.get(ConfigCompiler.key(p)),
                        new BackendState(p, old == null ? null : old.state), eventLoops, ssl));
            }
        }
        for (BackendRuntime b : backends.values()) {
            for (io.haquark.state.ServerState st : b.state.servers()) {
                String track = st.server.options().get("track");
                if (track != null) {
                    int slash = track.indexOf('/');
                    BackendRuntime owner = slash < 0 ? b : backends.get(track.substring(0, slash));
                    io.haquark.state.ServerState t = owner == null ? null : owner.state.server(slash < 0 ? track : track.substring(slash + 1));
                    if (t != null) {
                        st.track(t);
                    }
                }
            }
        }
        Map<String, FrontendRuntime> frontends = new LinkedHashMap<>();
        for (Proxy p : config.proxies()) {
            if (p.type().hasFrontend()) {
                BackendRuntime own = p.type().hasBackend() ? backends.get(p.name()) : null;
                FrontendRuntime old = previous == null ? null : previous.frontends.get(p.name());
                frontends.put(p.name(), new FrontendRuntime(compiled.get(ConfigCompiler.key(p)),
                        old == null ? new FrontendState(p) : new FrontendState(p, old.state.counters, old.state.connections), own,
                        config.global()));
            }
        }
        Map<String, io.haquark.state.StickTable> tables = new LinkedHashMap<>();
        for (Proxy p : config.proxies()) {
            if (p.stickTable() != null) {
                io.haquark.state.StickTable old = previous == null ? null : previous.tables.get(p.name());
                boolean same = old != null && old.spec.type().equals(p.stickTable().type())
                        && old.spec.store().equals(p.stickTable().store());
                tables.put(p.name(), same ? old : new io.haquark.state.StickTable(p.name(), p.stickTable()));
            }
        }
        return new Routing(config, frontends, backends, tables, patterns, procVars, ssl);
    }

    public BackendRuntime backend(String name) {
        return backends.get(name);
    }

    /** Frontends this engine serves over HTTP (TCP mode comes with the layer 4 work). */
    public boolean servesHttp(FrontendRuntime f) {
        return f.proxy.mode() == Mode.HTTP && !f.proxy.disabled();
    }
}
