package io.haquark.stats;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.FrontendRuntime;
import io.haquark.engine.Routing;
import io.haquark.state.Counters;
import io.haquark.state.ServerState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the engine's counters at /q/metrics under the names and labels of HAProxy's
 * Prometheus exporter (haproxy_frontend_*, haproxy_backend_*, haproxy_server_*, labels
 * proxy/server/code/state), so existing dashboards work. Meters read the lock-free
 * counters when scraped: nothing is added to the request path but the latency histograms.
 */
@ApplicationScoped
public class PrometheusMetrics {
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    private static final String[] STATES = {"UP", "DOWN", "MAINT", "DRAIN", "NOLB"};

    @Inject
    MeterRegistry registry;

    @Inject
    jakarta.enterprise.inject.Instance<io.micrometer.prometheus.PrometheusMeterRegistry> prometheus;

    /** "http-request use-service prometheus-exporter": the same scrape as /q/metrics, on a proxy. */
    public void exportOn(io.haquark.engine.Engine engine) {
        if (!prometheus.isResolvable()) {
            return;
        }
        io.micrometer.prometheus.PrometheusMeterRegistry reg = prometheus.get();
        engine.registerService("prometheus-exporter", () -> {
            byte[] body = reg.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var r = new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpResponseStatus.OK, io.netty.buffer.Unpooled.wrappedBuffer(body));
            r.headers().add("content-type", "text/plain; version=0.0.4; charset=utf-8");
            r.headers().add("content-length", body.length);
            return r;
        });
    }

    /** Meters are registered once per name and labels and read the current model when scraped. */
    private final java.util.Set<String> registered = new java.util.HashSet<>();
    private final java.util.Map<String, Timer> timers = new java.util.HashMap<>();
    private volatile Routing current;

    /**
     * Registers meters for the model's proxies and servers. On reload the same series keep
     * going (counters are shared by name across models); new names get new series, and names
     * that disappeared read 0.
     */
    public synchronized void bind(Routing routing) {
        current = routing;
        for (FrontendRuntime fe : routing.frontends.values()) {
            String n = fe.name();
            Tags t = Tags.of("proxy", n);
            gauge("haproxy_frontend_current_sessions", t, () -> fc(n), x -> x.sessionsCurrent.get());
            gauge("haproxy_frontend_max_sessions", t, () -> fc(n), x -> x.sessionsMax.get());
            gauge("haproxy_frontend_current_session_rate", t, () -> fc(n), x -> x.sessionRate.rate());
            counter("haproxy_frontend_sessions", t, () -> fc(n), x -> x.sessionsTotal.sum());
            counter("haproxy_frontend_connections", t, () -> fc(n), x -> x.sessionsTotal.sum());
            counter("haproxy_frontend_bytes_in", t, () -> fc(n), x -> x.bytesIn.sum());
            counter("haproxy_frontend_bytes_out", t, () -> fc(n), x -> x.bytesOut.sum());
            counter("haproxy_frontend_requests_denied", t, () -> fc(n), x -> x.deniedRequests.sum());
            counter("haproxy_frontend_responses_denied", t, () -> fc(n), x -> x.deniedResponses.sum());
            counter("haproxy_frontend_request_errors", t, () -> fc(n), x -> x.requestErrors.sum());
            counter("haproxy_frontend_http_requests", t, () -> fc(n), x -> x.requestsTotal.sum());
            for (int i = 0; i < CODES.length; i++) {
                int k = i;
                counter("haproxy_frontend_http_responses", t.and("code", CODES[i]), () -> fc(n), x -> x.responsesByClass[k].sum());
            }
        }
        for (BackendRuntime be : routing.backends.values()) {
            String n = be.name();
            Tags t = Tags.of("proxy", n);
            gauge("haproxy_backend_status", t, () -> backend(n), x -> usable(x) > 0 ? 1 : 0);
            gauge("haproxy_backend_active_servers", t, () -> backend(n), x -> count(x, false));
            gauge("haproxy_backend_backup_servers", t, () -> backend(n), x -> count(x, true));
            gauge("haproxy_backend_current_queue", t, () -> backend(n), x -> x.state.queueLength());
            gauge("haproxy_backend_max_queue", t, () -> bc(n), x -> x.queueMax.get());
            gauge("haproxy_backend_current_sessions", t, () -> bc(n), x -> x.sessionsCurrent.get());
            gauge("haproxy_backend_max_sessions", t, () -> bc(n), x -> x.sessionsMax.get());
            counter("haproxy_backend_sessions", t, () -> bc(n), x -> x.sessionsTotal.sum());
            counter("haproxy_backend_http_requests", t, () -> bc(n), x -> x.sessionsTotal.sum());
            counter("haproxy_backend_bytes_in", t, () -> bc(n), x -> x.bytesIn.sum());
            counter("haproxy_backend_bytes_out", t, () -> bc(n), x -> x.bytesOut.sum());
            counter("haproxy_backend_connection_errors", t, () -> bc(n), x -> x.connectErrors.sum());
            counter("haproxy_backend_response_errors", t, () -> bc(n), x -> x.responseErrors.sum());
            counter("haproxy_backend_retry_warnings", t, () -> bc(n), x -> x.retries.sum());
            counter("haproxy_backend_redispatch_warnings", t, () -> bc(n), x -> x.redispatches.sum());
            counter("haproxy_backend_client_aborts", t, () -> bc(n), x -> x.clientAborts.sum());
            counter("haproxy_backend_server_aborts", t, () -> bc(n), x -> x.serverAborts.sum());
            gauge("haproxy_backend_total_time_average_seconds", t, () -> bc(n),
                    x -> x.sessionsTotal.sum() == 0 ? 0 : x.totalTimeNanos.sum() / 1e9 / x.sessionsTotal.sum());
            for (int i = 0; i < CODES.length; i++) {
                int k = i;
                counter("haproxy_backend_http_responses", t.and("code", CODES[i]), () -> bc(n), x -> x.responsesByClass[k].sum());
            }
            Timer backendLatency = histogram("haquark_backend_response_time", t);
            java.util.Map<Integer, Timer> serverLatency = new java.util.HashMap<>();
            for (ServerState s0 : be.state.servers()) {
                String sn = s0.name();
                Tags st = t.and("server", sn);
                for (String state : STATES) {
                    gauge("haproxy_server_status", st.and("state", state), () -> server(n, sn), x -> state.equals(stateOf(x)) ? 1 : 0);
                }
                gauge("haproxy_server_weight", st, () -> server(n, sn), ServerState::weight);
                gauge("haproxy_server_current_sessions", st, () -> server(n, sn), x -> x.counters.sessionsCurrent.get());
                gauge("haproxy_server_max_sessions", st, () -> server(n, sn), x -> x.counters.sessionsMax.get());
                gauge("haproxy_server_limit_sessions", st, () -> server(n, sn), x -> x.maxconn());
                gauge("haproxy_server_check_duration_seconds", st, () -> server(n, sn), x -> Math.max(0, x.lastCheckDurationMs) / 1000.0);
                counter("haproxy_server_sessions", st, () -> server(n, sn), x -> x.counters.sessionsTotal.sum());
                counter("haproxy_server_bytes_in", st, () -> server(n, sn), x -> x.counters.bytesIn.sum());
                counter("haproxy_server_bytes_out", st, () -> server(n, sn), x -> x.counters.bytesOut.sum());
                counter("haproxy_server_connection_errors", st, () -> server(n, sn), x -> x.counters.connectErrors.sum());
                counter("haproxy_server_response_errors", st, () -> server(n, sn), x -> x.counters.responseErrors.sum());
                counter("haproxy_server_retry_warnings", st, () -> server(n, sn), x -> x.counters.retries.sum());
                counter("haproxy_server_check_failures", st, () -> server(n, sn), x -> x.checkFailures.sum());
                counter("haproxy_server_check_up_down", st, () -> server(n, sn), x -> x.downTransitions.sum());
                counter("haproxy_server_loadbalanced", st, () -> server(n, sn), x -> x.lbTotal.sum());
                for (int i = 0; i < CODES.length; i++) {
                    int k = i;
                    counter("haproxy_server_http_responses", st.and("code", CODES[i]), () -> server(n, sn),
                            x -> x.counters.responsesByClass[k].sum());
                }
                serverLatency.put(s0.index, histogram("haquark_server_response_time", st));
            }
            be.latencyRecorder((server, nanos) -> {
                backendLatency.record(nanos, TimeUnit.NANOSECONDS);
                Timer tm = serverLatency.get(server.index);
                if (tm != null) {
                    tm.record(nanos, TimeUnit.NANOSECONDS);
                }
            });
        }
    }

    private Counters fc(String name) {
        FrontendRuntime f = current.frontends.get(name);
        return f == null ? null : f.state.counters;
    }

    private BackendRuntime backend(String name) {
        return current.backends.get(name);
    }

    private Counters bc(String name) {
        BackendRuntime b = current.backends.get(name);
        return b == null ? null : b.state.counters;
    }

    private ServerState server(String backend, String name) {
        BackendRuntime b = current.backends.get(backend);
        return b == null ? null : b.state.server(name);
    }

    static String stateOf(ServerState s) {
        if (s.admin() == ServerState.Admin.MAINT) {
            return "MAINT";
        }
        if (s.admin() == ServerState.Admin.DRAIN) {
            return "DRAIN";
        }
        if (s.noLoadBalance()) {
            return "NOLB";
        }
        return s.isUp() ? "UP" : "DOWN";
    }

    private static int usable(BackendRuntime be) {
        return count(be, false) + count(be, true);
    }

    private static int count(BackendRuntime be, boolean backup) {
        int n = 0;
        for (ServerState s : be.state.servers()) {
            if (s.usable() && s.server.backup() == backup) {
                n++;
            }
        }
        return n;
    }

    /** A gauge reading the object the model currently has under this name (0 when it is gone). */
    private <T> void gauge(String name, Tags tags, java.util.function.Supplier<T> obj, ToDoubleFunction<T> f) {
        if (registered.add(name + tags)) {
            Gauge.builder(name, () -> {
                T o = obj.get();
                return o == null ? 0 : f.applyAsDouble(o);
            }).tags(tags).strongReference(true).register(registry);
        }
    }

    private <T> void counter(String name, Tags tags, java.util.function.Supplier<T> obj, ToDoubleFunction<T> f) {
        if (registered.add(name + tags)) {
            FunctionCounter.builder(name, this, x -> {
                T o = obj.get();
                return o == null ? 0 : f.applyAsDouble(o);
            }).tags(tags).register(registry);
        }
    }

    /** Latency histograms per backend and server: what HAProxy users have asked for since 2019. */
    private Timer histogram(String name, Tags tags) {
        return timers.computeIfAbsent(name + tags, k -> Timer.builder(name).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }
}
