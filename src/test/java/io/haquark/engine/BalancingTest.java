package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each balance algorithm through real sockets; deterministic ones compared with HAProxy. */
class BalancingTest {
    static TestBackend a;
    static TestBackend b;
    static TestBackend c;
    static TestBackend bk;

    @BeforeAll
    static void start() {
        var vx = TestVertx.get();
        a = new TestBackend(vx, "a");
        b = new TestBackend(vx, "b");
        c = new TestBackend(vx, "c");
        bk = new TestBackend(vx, "bk");
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        c.close();
        bk.close();
    }

    static String cfg(String backendBody) {
        return """
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 2s
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                """ + backendBody;
    }

    static List<String> sequence(int port, String path, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Http.servedBy(Http.get(port, path)));
        }
        return out;
    }

    static Map<String, Integer> counts(List<String> seq) {
        Map<String, Integer> m = new HashMap<>();
        seq.forEach(s -> m.merge(s, 1, Integer::sum));
        return m;
    }

    @Test
    void roundRobinEqualWeightsCyclesInDeclarationOrder() throws Exception {
        try (Twin t = Twin.start(cfg("  balance roundrobin\n  server a %s\n  server b %s\n  server c %s\n"
                .formatted(a.address(), b.address(), c.address())))) {
            for (int port : t.ports()) {
                assertEquals(List.of("a", "b", "c", "a", "b", "c"), sequence(port, "/", 6), "port " + port);
            }
        }
    }

    @Test
    void roundRobinWeightsGiveProportionalShares() throws Exception {
        try (Twin t = Twin.start(cfg("  server a %s weight 3\n  server b %s weight 1\n".formatted(a.address(), b.address())))) {
            for (int port : t.ports()) {
                Map<String, Integer> m = counts(sequence(port, "/", 40));
                assertEquals(30, m.get("a"), "port " + port + " " + m);
                assertEquals(10, m.get("b"), "port " + port + " " + m);
            }
        }
    }

    @Test
    void staticRoundRobinFollowsWeights() throws Exception {
        try (Twin t = Twin.start(cfg("  balance static-rr\n  server a %s weight 2\n  server b %s weight 1\n"
                .formatted(a.address(), b.address())))) {
            for (int port : t.ports()) {
                Map<String, Integer> m = counts(sequence(port, "/", 30));
                assertEquals(20, m.get("a"), "port " + port + " " + m);
                assertEquals(10, m.get("b"), "port " + port + " " + m);
            }
        }
    }

    @Test
    void firstUsesTheFirstServerWithRoom() throws Exception {
        try (Twin t = Twin.start(cfg("  balance first\n  server a %s maxconn 5\n  server b %s\n"
                .formatted(a.address(), b.address())))) {
            for (int port : t.ports()) {
                assertEquals(List.of("a", "a", "a", "a"), sequence(port, "/", 4), "port " + port);
            }
        }
    }

    @Test
    void backupOnlyWhenNoActiveServerIsUsable() throws Exception {
        try (Twin t = Twin.start(cfg("  server a %s disabled\n  server b %s disabled\n  server bk %s backup\n"
                .formatted(a.address(), b.address(), bk.address())))) {
            for (int port : t.ports()) {
                assertEquals(List.of("bk", "bk"), sequence(port, "/", 2), "port " + port);
            }
        }
        try (Twin t = Twin.start(cfg("  server a %s\n  server bk %s backup\n".formatted(a.address(), bk.address())))) {
            for (int port : t.ports()) {
                assertEquals(List.of("a", "a", "a"), sequence(port, "/", 3), "port " + port);
            }
        }
    }

    @Test
    void allbackupsSpreadsOverEveryBackup() throws Exception {
        try (Twin t = Twin.start(cfg("  option allbackups\n  server a %s disabled\n  server b %s backup\n  server c %s backup\n"
                .formatted(a.address(), b.address(), c.address())))) {
            for (int port : t.ports()) {
                assertEquals(Set.of("b", "c"), new HashSet<>(sequence(port, "/", 4)), "port " + port);
            }
        }
    }

    @Test
    void noUsableServerIs503() throws Exception {
        try (Twin t = Twin.start(cfg("  server a %s disabled\n".formatted(a.address())))) {
            for (int port : t.ports()) {
                assertEquals(503, Http.get(port, "/").statusCode(), "port " + port);
            }
        }
    }

    @Test
    void hashAlgorithmsAreStickyPerKey() throws Exception {
        String servers = "  server a %s\n  server b %s\n  server c %s\n".formatted(a.address(), b.address(), c.address());
        String[][] algos = {
                {"balance uri", "/p/%d"},
                {"balance uri\n  hash-type consistent", "/p/%d"},
                {"balance url_param id", "/x?id=%d"},
                {"balance hdr(host)", "/h%d"},
                {"balance source", "/s%d"},
        };
        for (String[] algo : algos) {
            try (ProxyUnderTest p = ProxyUnderTest.start(cfg("  " + algo[0] + "\n" + servers).replace("@FE@", "0"))) {
                int port = p.engine.boundPort("f", 0);
                Set<String> used = new HashSet<>();
                for (int k = 0; k < 12; k++) {
                    String path = algo[1].formatted(k);
                    String first = Http.servedBy(Http.get(port, path));
                    for (int again = 0; again < 3; again++) {
                        assertEquals(first, Http.servedBy(Http.get(port, path)), algo[0] + " " + path);
                    }
                    used.add(first);
                }
                if (!algo[0].contains("source") && !algo[0].contains("hdr")) {
                    assertTrue(used.size() >= 2, algo[0] + " spreads keys: " + used);
                }
            }
        }
    }

    @Test
    void leastconnPrefersTheIdleServer() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        a.handler(req -> release.thenRun(() -> TestVertx.get().runOnContext(v -> req.response().end("slow"))));
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg("  balance leastconn\n  server a %s\n  server b %s\n"
                .formatted(a.address(), b.address())).replace("@FE@", "0"))) {
            int port = p.engine.boundPort("f", 0);
            // Two at once: one sticks on the slow server a, the other returns from b.
            CompletableFuture<String> one = CompletableFuture.supplyAsync(() -> call(port));
            CompletableFuture<String> two = CompletableFuture.supplyAsync(() -> call(port));
            long until = System.currentTimeMillis() + 5000;
            while (a.inFlight.get() == 0 && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertEquals(1, a.inFlight.get());
            // The other request must be done with b first (under load it can still be in flight there).
            while (!one.isDone() && !two.isDone() && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            Thread.sleep(50);
            // a holds a connection, b none: every new request goes to b.
            assertEquals(List.of("b", "b", "b", "b"), sequence(port, "/", 4));
            release.complete(null);
            assertEquals(Set.of("a", "b"), Set.of(one.get(), two.get()));
        } finally {
            a.handler(null);
        }
    }

    private static String call(int port) {
        try {
            return Http.servedBy(Http.get(port, "/"));
        } catch (Exception e) {
            return "error";
        }
    }

    @Test
    void redispatchIntervalChoosesWhichRetryGoesElsewhere() throws Exception {
        TestBackend alive = new TestBackend(TestVertx.get(), "alive");
        int dead = io.haquark.support.FreePorts.next();
        try {
            // The cookie names the dead server (a persistent request): HAProxy's immediate redispatch
            // for non-persistent requests does not apply, the interval decides.
            for (String[] c : new String[][] {{"option redispatch", "2"}, {"option redispatch 1", "1"}}) {
                try (Twin t = Twin.start(io.haquark.support.TestConfigs.HTTP_DEFAULTS + """
                        frontend f
                          bind 127.0.0.1:@FE@
                          default_backend b
                        backend b
                          retries 2
                          timeout connect 200ms
                          cookie SRV insert
                          %s
                          server dead 127.0.0.1:%d cookie d
                          server alive %s cookie a
                        """.formatted(c[0], dead, alive.address()))) {
                    for (int port : t.ports()) {
                        assertEquals(200, Http.send(port, Http.request(port, "/").header("Cookie", "SRV=d")).statusCode(), c[0]);
                    }
                    var counters = t.haquark.engine.routing().backend("b").state.counters;
                    assertEquals(Long.parseLong(c[1]), counters.retries.sum(), c[0] + ": retries before going elsewhere");
                    assertEquals(1L, counters.redispatches.sum(), c[0]);
                }
            }
        } finally {
            alive.close();
        }
    }
}
