package io.haquark.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.engine.ProxyService;
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

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path cfg = Files.createTempFile("quarkus-proxy", ".cfg");
                Files.writeString(cfg, """
                        defaults
                          mode http
                          timeout client 5s
                          timeout server 5s
                          timeout connect 1s
                          retries 0
                        frontend web
                          bind 127.0.0.1:%d
                          monitor-uri /alive
                          default_backend app
                        backend app
                          server down 127.0.0.1:%d
                        """.formatted(PROXY_PORT, DEAD_PORT));
                return Map.of("haquark.config", cfg.toString());
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
        var r = Http.get(PROXY_PORT, "/anything");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("No server is available"), r.body());
    }

    @Test
    void healthEndpoints() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // the only server accepts no connection, but without health checks it counts as usable
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("backend.app"));
    }
}
