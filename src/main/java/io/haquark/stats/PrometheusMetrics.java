package io.haquark.stats;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.FrontendRuntime;
import io.haquark.engine.Routing;
import io.haquark.state.Counters;
import io.haquark.state.ServerState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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

    private final List<Meter> meters = new ArrayList<>();

    /** Registers meters for a (new) routing model, dropping the previous model's. */
    public synchronized void bind(Routing routing) {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
        for (FrontendRuntime fe : routing.frontends.values()) {
            Tags t = Tags.of("proxy", fe.name());
            Counters c = fe.state.counters;
            gauge("haproxy_frontend_current_sessions", t, c, x -> x.sessionsCurrent.get());
            gauge("haproxy_frontend_max_sessions", t, c, x -> x.sessionsMax.get());
            gauge("haproxy_frontend_limit_sessions", t, fe, x -> x.proxy.maxconn());
            counter("haproxy_frontend_sessions", t, c, x -> x.sessionsTotal.sum());
            counter("haproxy_frontend_connections", t, c, x -> x.sessionsTotal.sum());
            counter("haproxy_frontend_bytes_in", t, c, x -> x.bytesIn.sum());
            counter("haproxy_frontend_bytes_out", t, c, x -> x.bytesOut.sum());
            counter("haproxy_frontend_requests_denied", t, c, x -> x.deniedRequests.sum());
            counter("haproxy_frontend_responses_denied", t, c, x -> x.deniedResponses.sum());
            counter("haproxy_frontend_request_errors", t, c, x -> x.requestErrors.sum());
            counter("haproxy_frontend_http_requests", t, c, x -> x.requestsTotal.sum());
            gauge("haproxy_frontend_current_session_rate", t, c, x -> x.sessionRate.rate());
            for (int i = 0; i < CODES.length; i++) {
                int k = i;
                counter("haproxy_frontend_http_responses", t.and("code", CODES[i]), c, x -> x.responsesByClass[k].sum());
            }
        }
        for (BackendRuntime be : routing.backends.values()) {
            Tags t = Tags.of("proxy", be.name());
            Counters c = be.state.counters;
            gauge("haproxy_backend_status", t, be, x -> usable(x) > 0 ? 1 : 0);
            gauge("haproxy_backend_active_servers", t, be, x -> count(x, false));
            gauge("haproxy_backend_backup_servers", t, be, x -> count(x, true));
            gauge("haproxy_backend_current_queue", t, be, x -> x.state.queueLength());
            gauge("haproxy_backend_max_queue", t, c, x -> x.queueMax.get());
            gauge("haproxy_backend_current_sessions", t, c, x -> x.sessionsCurrent.get());
            gauge("haproxy_backend_max_sessions", t, c, x -> x.sessionsMax.get());
            counter("haproxy_backend_sessions", t, c, x -> x.sessionsTotal.sum());
            counter("haproxy_backend_http_requests", t, c, x -> x.sessionsTotal.sum());
            counter("haproxy_backend_bytes_in", t, c, x -> x.bytesIn.sum());
            counter("haproxy_backend_bytes_out", t, c, x -> x.bytesOut.sum());
            counter("haproxy_backend_connection_errors", t, c, x -> x.connectErrors.sum());
            counter("haproxy_backend_response_errors", t, c, x -> x.responseErrors.sum());
            counter("haproxy_backend_retry_warnings", t, c, x -> x.retries.sum());
            counter("haproxy_backend_redispatch_warnings", t, c, x -> x.redispatches.sum());
            counter("haproxy_backend_client_aborts", t, c, x -> x.clientAborts.sum());
            counter("haproxy_backend_server_aborts", t, c, x -> x.serverAborts.sum());
            gauge("haproxy_backend_total_time_average_seconds", t, c,
                    x -> x.sessionsTotal.sum() == 0 ? 0 : x.totalTimeNanos.sum() / 1e9 / x.sessionsTotal.sum());
            for (int i = 0; i < CODES.length; i++) {
                int k = i;
                counter("haproxy_backend_http_responses", t.and("code", CODES[i]), c, x -> x.responsesByClass[k].sum());
            }
            Timer backendLatency = histogram("haquark_backend_response_time", t);
            List<Timer> serverLatency = new ArrayList<>();
            for (ServerState s : be.state.servers) {
                Tags st = t.and("server", s.name());
                Counters sc = s.counters;
                for (String state : STATES) {
                    gauge("haproxy_server_status", st.and("state", state), s, x -> state.equals(stateOf(x)) ? 1 : 0);
                }
                gauge("haproxy_server_weight", st, s, ServerState::weight);
                gauge("haproxy_server_current_sessions", st, sc, x -> x.sessionsCurrent.get());
                gauge("haproxy_server_max_sessions", st, sc, x -> x.sessionsMax.get());
                gauge("haproxy_server_limit_sessions", st, s, x -> x.server.maxconn());
                counter("haproxy_server_sessions", st, sc, x -> x.sessionsTotal.sum());
                counter("haproxy_server_bytes_in", st, sc, x -> x.bytesIn.sum());
                counter("haproxy_server_bytes_out", st, sc, x -> x.bytesOut.sum());
                counter("haproxy_server_connection_errors", st, sc, x -> x.connectErrors.sum());
                counter("haproxy_server_response_errors", st, sc, x -> x.responseErrors.sum());
                counter("haproxy_server_retry_warnings", st, sc, x -> x.retries.sum());
                counter("haproxy_server_check_failures", st, s, x -> x.checkFailures.sum());
                counter("haproxy_server_check_up_down", st, s, x -> x.downTransitions.sum());
                counter("haproxy_server_loadbalanced", st, s, x -> x.lbTotal.sum());
                gauge("haproxy_server_check_duration_seconds", st, s, x -> Math.max(0, x.lastCheckDurationMs) / 1000.0);
                for (int i = 0; i < CODES.length; i++) {
                    int k = i;
                    counter("haproxy_server_http_responses", st.and("code", CODES[i]), sc, x -> x.responsesByClass[k].sum());
                }
                serverLatency.add(histogram("haquark_server_response_time", st));
            }
            be.latencyRecorder((server, nanos) -> {
                backendLatency.record(nanos, TimeUnit.NANOSECONDS);
                serverLatency.get(server.index).record(nanos, TimeUnit.NANOSECONDS);
            });
        }
    }

    static String stateOf(ServerState s) {
        if (s.admin() == ServerState.Admin.MAINT) {
            return "MAINT";
        }
        if (s.admin() == ServerState.Admin.DRAIN) {
            return "DRAIN";
        }
        if (s.noLoadBalance) {
            return "NOLB";
        }
        return s.isUp() ? "UP" : "DOWN";
    }

    private static int usable(BackendRuntime be) {
        return count(be, false) + count(be, true);
    }

    private static int count(BackendRuntime be, boolean backup) {
        int n = 0;
        for (ServerState s : be.state.servers) {
            if (s.usable() && s.server.backup() == backup) {
                n++;
            }
        }
        return n;
    }

    private <T> void gauge(String name, Tags tags, T obj, ToDoubleFunction<T> f) {
        meters.add(Gauge.builder(name, obj, f).tags(tags).strongReference(true).register(registry));
    }

    private <T> void counter(String name, Tags tags, T obj, ToDoubleFunction<T> f) {
        meters.add(FunctionCounter.builder(name, obj, f).tags(tags).register(registry));
    }

    /** Latency histograms per backend and server: what HAProxy users have asked for since 2019. */
    private Timer histogram(String name, Tags tags) {
        Timer t = Timer.builder(name).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        meters.add(t);
        return t;
    }
}
