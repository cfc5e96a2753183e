package io.haquark.acl;

import io.haquark.state.BackendState;
import io.haquark.state.FrontendState;
import io.haquark.state.ServerState;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Fetches of the proxies' and servers' live state (configuration.txt §7.3.2 "internal states"):
 * be_conn, fe_conn, srv_conn, queue, connslots, rates, weights, ids. A proxy or server named in an
 * argument is checked when the configuration loads ({@link ProxyReferences}); without one the
 * transaction's own frontend or backend is meant.
 */
final class StateFetches {
    private StateFetches() {
    }

    static void register(FetchRegistry.Access r) {
        backend(r, "be_conn", b -> b.counters.sessionsCurrent.get());
        backend(r, "be_sess_rate", b -> b.counters.sessionRate.rate());
        backend(r, "be_id", b -> b.proxy.id());
        backend(r, "queue", BackendState::queueLength);
        // avg_queue: the queue shared by the usable servers (all of it when none is usable).
        backend(r, "avg_queue", b -> {
            int n = b.usableServers();
            return n == 0 ? b.queueLength() : (b.queueLength() + n - 1) / n;
        });
        // be_conn_free: free slots of the usable active servers; -1 when one of them has no limit.
        backend(r, "be_conn_free", b -> {
            long free = 0;
            for (ServerState s : servingSet(b)) {
                if (s.maxconn() == 0) {
                    return -1;
                }
                free += Math.max(0, s.maxconn() - s.active.get());
            }
            return free;
        });
        // connslots: free connection slots plus free queue slots; -1 when unlimited.
        backend(r, "connslots", b -> {
            long free = 0;
            for (ServerState s : servingSet(b)) {
                if (s.maxconn() == 0 || s.server.maxqueue() == 0) {
                    return -1;
                }
                free += Math.max(0, s.maxconn() - s.active.get()) + Math.max(0, s.server.maxqueue() - s.counters.queueCurrent.get());
            }
            return free;
        });
        frontend(r, "fe_conn", f -> f.counters.sessionsCurrent.get());
        frontend(r, "fe_sess_rate", f -> f.counters.sessionRate.rate());
        frontend(r, "fe_req_rate", f -> f.counters.requestRate.rate());
        r.simple("fe_id", SampleType.INTEGER, s -> {
            FrontendState f = s.frontendName() == null ? null : s.frontendState(s.frontendName());
            return f == null ? null : (long) f.proxy.id();
        });
        r.simple("fe_defbe", SampleType.STRING, s -> {
            FrontendState f = s.frontendName() == null ? null : s.frontendState(s.frontendName());
            return f == null ? null : f.proxy.defaultBackend();
        });
        server(r, "srv_conn", s -> s.active.get());
        server(r, "srv_conn_free", s -> s.maxconn() == 0 ? -1 : Math.max(0, s.maxconn() - s.active.get()));
        server(r, "srv_queue", s -> s.counters.queueCurrent.get());
        server(r, "srv_sess_rate", s -> s.counters.sessionRate.rate());
        server(r, "srv_weight", ServerState::weight);
        server(r, "srv_uweight", ServerState::weight);
        server(r, "srv_iweight", s -> s.server.weight());
        r.add("srv_is_up", SampleType.BOOLEAN, 1, 1, a -> {
            Function<SampleSource, ServerState> at = serverAt("srv_is_up", a.get(0));
            return s -> {
                ServerState st = at.apply(s);
                return st == null ? null : st.isUp() && st.admin() != ServerState.Admin.MAINT;
            };
        });
    }

    /** The servers that take traffic now: the usable active ones, else the usable backups (HAProxy's rule). */
    private static List<ServerState> servingSet(BackendState b) {
        List<ServerState> active = new java.util.ArrayList<>();
        List<ServerState> backup = new java.util.ArrayList<>();
        for (ServerState s : b.servers()) {
            if (s.usable()) {
                (s.server.backup() ? backup : active).add(s);
            }
        }
        return active.isEmpty() ? backup : active;
    }

    private static void backend(FetchRegistry.Access r, String name, ToLongFunction<BackendState> f) {
        r.add(name, SampleType.INTEGER, 0, 1, a -> {
            String named = ProxyReferences.backend(name, a.isEmpty() ? null : a.get(0).trim());
            return s -> {
                String be = named != null ? named : s.backendName();
                BackendState b = be == null ? null : s.backendState(be);
                return b == null ? null : f.applyAsLong(b);
            };
        });
    }

    private static void frontend(FetchRegistry.Access r, String name, ToLongFunction<FrontendState> f) {
        r.add(name, SampleType.INTEGER, 0, 1, a -> {
            String named = ProxyReferences.frontend(name, a.isEmpty() ? null : a.get(0).trim());
            return s -> {
                String fe = named != null ? named : s.frontendName();
                FrontendState st = fe == null ? null : s.frontendState(fe);
                return st == null ? null : f.applyAsLong(st);
            };
        });
    }

    private static void server(FetchRegistry.Access r, String name, ToLongFunction<ServerState> f) {
        r.add(name, SampleType.INTEGER, 1, 1, a -> {
            Function<SampleSource, ServerState> at = serverAt(name, a.get(0));
            return s -> {
                ServerState st = at.apply(s);
                return st == null ? null : f.applyAsLong(st);
            };
        });
    }

    private static Function<SampleSource, ServerState> serverAt(String fetch, String arg) {
        String[] ref = ProxyReferences.server(fetch, arg.trim());
        return s -> {
            String be = ref[0] != null ? ref[0] : s.backendName();
            BackendState b = be == null ? null : s.backendState(be);
            return b == null ? null : b.server(ref[1]);
        };
    }
}
