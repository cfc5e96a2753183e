package io.haquark.it;

import io.haquark.support.TestConfigs;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.cli.ProxyService;
import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole application as Quarkus runs it: the engine starts from haquark.config on
 * Quarkus' own Vert.x (native transport), serves traffic, and the health endpoints answer.
 */
@QuarkusTest
@TestProfile(QuarkusProxyTest.Profile.class)
class QuarkusProxyTest {
    static final int PROXY_PORT = FreePorts.next();
    static final int DEAD_PORT = FreePorts.next();
    static final io.haquark.support.TestBackend LIVE = new io.haquark.support.TestBackend(io.haquark.support.TestVertx.get(), "live");

    static Path configFile;

    static String config(String extra) {
        return TestConfigs.HTTP_DEFAULTS + """
                  retries 0
                frontend web
                  bind 127.0.0.1:%d
                  monitor-uri /alive
                  http-request use-service prometheus-exporter if { path /metrics }
                %s  use_backend gone if { path_beg /gone }
                  default_backend app
                backend app
                  server live %s check inter 200
                backend gone
                  server down 127.0.0.1:%d check inter 200
                """.formatted(PROXY_PORT, extra, LIVE.address(), DEAD_PORT);
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path cfg = Files.createTempFile("quarkus-proxy", ".cfg");
                configFile = cfg;
                Files.writeString(cfg, config(""));
                return Map.of("haquark.config", cfg.toString(), "haquark.watch", "true");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    ProxyService service;

    @Test
    void engineRunsOnQuarkusVertxWithNativeTransport() throws Exception {
        assertTrue(service.engine() != null, "engine started");
        assertEquals(1, service.engine().listeners().size());
        assertEquals(200, Http.get(PROXY_PORT, "/alive").statusCode());
        assertEquals(200, Http.get(PROXY_PORT, "/anything").statusCode());
        var r = Http.get(PROXY_PORT, "/gone/x");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("No server is available"), r.body());
    }

    @Test
    void healthEndpoints() throws Exception {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // the server of "gone" refuses connections: its check takes it DOWN, readiness names it
        long until = System.currentTimeMillis() + 5000;
        while (service.engine().routing().backend("gone").state.servers()[0].isUp() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        given().when().get("/q/health/ready").then().statusCode(503)
                .body(containsString("\"failing\": \"gone\""), containsString("backend.app"));
    }

    @Test
    void prometheusMetricsUseHAProxyNamesAndMoveWithTraffic() throws Exception {
        String before = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        double n0 = value(before, "haproxy_frontend_http_requests_total{proxy=\"web\"}");
        for (int i = 0; i < 5; i++) {
            Http.get(PROXY_PORT, "/m" + i);
        }
        String after = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(n0 + 5, value(after, "haproxy_frontend_http_requests_total{proxy=\"web\"}"), 0.001);
        assertTrue(after.contains("haproxy_backend_active_servers{proxy=\"app\"} 1.0"), after);
        assertTrue(after.contains("haproxy_server_status{proxy=\"app\",server=\"live\",state=\"UP\"} 1.0"), after);
        assertTrue(after.contains("haquark_server_response_time_seconds_bucket{proxy=\"app\",server=\"live\""), after);
        assertTrue(after.contains("haproxy_server_check_failures_total{proxy=\"gone\",server=\"down\"}"), after);
        // Quarkus' own per-URI HTTP metrics stay off: a proxy would make their tags unbounded
        assertTrue(!after.contains("http_server_requests_seconds"), "no per-URI server metrics");
    }

    @Test
    void useServicePrometheusExporterServesTheSameMetricsOnAProxy() throws Exception {
        var r = Http.get(PROXY_PORT, "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
        assertTrue(r.body().contains("haproxy_frontend_http_requests_total{proxy=\"web\""), r.body());
        assertTrue(r.body().contains("haproxy_server_status{proxy=\"app\",server=\"live\",state=\"UP\""), r.body());
    }

    @Test
    void aChangedConfigFileIsLiveWithoutRestart() throws Exception {
        assertEquals(200, Http.get(PROXY_PORT, "/teapot").statusCode());
        Files.writeString(configFile, config("  http-request return status 418 if { path /teapot }\n"));
        long until = System.currentTimeMillis() + 10_000;
        int code = 0;
        while (System.currentTimeMillis() < until && (code = Http.get(PROXY_PORT, "/teapot").statusCode()) != 418) {
            Thread.sleep(100);
        }
        assertEquals(418, code, "the watcher reloaded the new rule");
        // an invalid edit is refused: the running configuration stays
        Files.writeString(configFile, config("  frobnicate\n"));
        Thread.sleep(800);
        assertEquals(418, Http.get(PROXY_PORT, "/teapot").statusCode());
        assertTrue(!service.reload(), "explicit reload of an invalid file fails");
        Files.writeString(configFile, config(""));
        assertTrue(service.reload());
        assertEquals(200, Http.get(PROXY_PORT, "/teapot").statusCode());
    }

    static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
