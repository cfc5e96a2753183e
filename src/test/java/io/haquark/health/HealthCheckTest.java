package io.haquark.health;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.state.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Health checks through real sockets: the rise/fall counts HAProxy uses, and traffic following them. */
class HealthCheckTest {

    static void waitFor(BooleanSupplier cond, long ms, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void httpCheckGoesDownAfterFallFailuresAndBackAfterRise() throws Exception {
        var vx = TestVertx.get();
        int[] status = {200};
        ServerState[] watched = new ServerState[1];
        // each entry: the status answered, and whether the server was UP when the check arrived
        List<String> checks = new CopyOnWriteArrayList<>();
        TestBackend sick = new TestBackend(vx, "sick").handler(req -> {
            if (req.path().equals("/health")) {
                checks.add(status[0] + (watched[0] != null && watched[0].isUp() ? ":up" : ":down"));
                req.response().setStatusCode(status[0]).end();
            } else {
                req.response().end("sick");
            }
        });
        TestBackend well = new TestBackend(vx, "well");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  option httpchk GET /health
                  http-check expect status 200
                  server sick %s check inter 100 rise 2 fall 3
                  server well %s
                """.formatted(sick.address(), well.address());
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            int port = p.engine.boundPort("f", 0);
            ServerState s = p.engine.routing().backend("b").state.server("sick");
            watched[0] = s;
            waitFor(() -> checks.size() >= 2 && "UP".equals(HealthState.describe(s)), 5000, "first checks");
            assertEquals("L7OK", s.lastCheck);
            // traffic is shared while both are up
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                served.add(Http.servedBy(Http.get(port, "/")));
            }
            assertTrue(served.contains("sick") && served.contains("well"), served.toString());

            checks.clear();
            status[0] = 500;
            waitFor(() -> !s.isUp(), 5000, "DOWN");
            long failedWhileUp = checks.stream().filter(c -> c.equals("500:up")).count();
            assertEquals(3, failedWhileUp, "fall 3: " + checks);
            assertEquals("L7STS", s.lastCheck);
            assertEquals(500, s.lastCheckCode);
            for (int i = 0; i < 6; i++) {
                assertEquals("well", Http.servedBy(Http.get(port, "/")), "no traffic to a DOWN server");
            }

            checks.clear();
            status[0] = 200;
            waitFor(s::isUp, 5000, "UP again");
            long passedWhileDown = checks.stream().filter(c -> c.equals("200:down")).count();
            assertEquals(2, passedWhileDown, "rise 2: " + checks);
        } finally {
            sick.close();
            well.close();
        }
    }

    @Test
    void onMarkedDownShutdownSessionsClosesTheConnectionsOfAServerFoundDown() throws Exception {
        var vx = TestVertx.get();
        int[] status = {200};
        // The slow request is never answered: only the check's verdict can end its connection.
        TestBackend slow = new TestBackend(vx, "slow").handler(req -> {
            if (req.path().equals("/health")) {
                req.response().setStatusCode(status[0]).end();
            }
        });
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  option httpchk GET /health
                  server slow %s check inter 100 rise 1 fall 1 on-marked-down shutdown-sessions
                """.formatted(slow.address());
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            int port = p.engine.boundPort("f", 0);
            ServerState s = p.engine.routing().backend("b").state.server("slow");
            waitFor(s::isUp, 5000, "UP");
            try (java.net.Socket c = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                c.setSoTimeout(5000);
                c.getOutputStream().write("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                waitFor(() -> s.active.get() == 1, 5000, "the request on the server");
                long before = System.nanoTime();
                status[0] = 503;
                // The check finds the server down and closes the client's connection: EOF, no answer.
                assertEquals(-1, c.getInputStream().read(), "closed without an answer");
                assertTrue(System.nanoTime() - before < 4_000_000_000L, "closed by the check, not a timeout");
                assertTrue(!s.isUp());
            }
        } finally {
            slow.close();
        }
    }

    @Test
    void externalCheckRunsTheCommandWithHaproxysArgumentsAndEnvironment() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("extchk");
        java.nio.file.Path script = dir.resolve("chk.sh");
        java.nio.file.Path seen = dir.resolve("seen");
        java.nio.file.Path healthy = dir.resolve("healthy");
        java.nio.file.Files.writeString(script, "#!/bin/sh\necho \"args: $*\" > " + seen + ".tmp\nenv | sort >> " + seen
                + ".tmp\nmv " + seen + ".tmp " + seen + "\ntest -e " + healthy + "\n");
        script.toFile().setExecutable(true);
        java.nio.file.Files.writeString(healthy, "");
        int fe = io.haquark.support.FreePorts.next();
        String cfg = """
                global
                  external-check
                  insecure-fork-wanted
                """ + TestConfigs.HTTP_DEFAULTS + """
                listen b
                  bind 127.0.0.1:%d
                  option external-check
                  external-check path "/usr/bin:/bin"
                  external-check command %s
                  server s 127.0.0.1:9 check inter 100 rise 1 fall 1
                """.formatted(fe, script);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            ServerState s = p.engine.routing().backend("b").state.server("s");
            waitFor(() -> java.nio.file.Files.exists(seen), 5000, "the script ran");
            List<String> lines = java.nio.file.Files.readAllLines(seen);
            lines.removeIf(l -> l.startsWith("PWD=") || l.startsWith("SHLVL=") || l.startsWith("_="));
            // What HAProxy 2.6.12 passes for the same listen section (recorded with the same script).
            assertEquals(List.of("args: 127.0.0.1 " + fe + " 127.0.0.1 9", "HAPROXY_PROXY_ADDR=127.0.0.1",
                    "HAPROXY_PROXY_ID=1", "HAPROXY_PROXY_NAME=b", "HAPROXY_PROXY_PORT=" + fe, "HAPROXY_SERVER_ADDR=127.0.0.1",
                    "HAPROXY_SERVER_CURCONN=0", "HAPROXY_SERVER_ID=1", "HAPROXY_SERVER_MAXCONN=0", "HAPROXY_SERVER_NAME=s",
                    "HAPROXY_SERVER_PORT=9", "HAPROXY_SERVER_PROTO=tcp", "HAPROXY_SERVER_SSL=0", "PATH=/usr/bin:/bin"), lines);
            waitFor(() -> "PROCOK".equals(s.lastCheck) && s.isUp(), 5000, "PROCOK");
            java.nio.file.Files.delete(healthy);
            waitFor(() -> !s.isUp(), 5000, "down once the script fails");
            assertEquals("PROCERR", s.lastCheck);
        }
    }

    @Test
    void aServerStartsUpButItsFirstFailureTakesItDown() throws Exception {
        int dead = FreePorts.next();
        TestBackend well = new TestBackend(TestVertx.get(), "well");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  server dead 127.0.0.1:%d check inter 5s fall 3
                  server bk %s backup
                """.formatted(dead, well.address());
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            int port = p.engine.boundPort("f", 0);
            ServerState s = p.engine.routing().backend("b").state.server("dead");
            waitFor(() -> !s.lastCheck.isEmpty(), 3000, "first check");
            assertTrue(!s.isUp(), "DOWN after one failure despite fall 3");
            assertEquals("L4CON", s.lastCheck);
            assertTrue(s.lastCheckDesc.startsWith("Layer4 connection problem"), s.lastCheckDesc);
            // the only active server is DOWN: the backup takes the traffic
            assertEquals("well", Http.servedBy(Http.get(port, "/")));
        } finally {
            well.close();
        }
    }

    @Test
    void tcpChecksAndAllServersDownIs503() throws Exception {
        int dead1 = FreePorts.next();
        int dead2 = FreePorts.next();
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                  retries 0
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  server a 127.0.0.1:%d check inter 5s
                  server b 127.0.0.1:%d check inter 5s
                """.formatted(dead1, dead2);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            int port = p.engine.boundPort("f", 0);
            var be = p.engine.routing().backend("b").state;
            waitFor(() -> !be.servers()[0].isUp() && !be.servers()[1].isUp(), 3000, "both DOWN");
            long start = System.nanoTime();
            assertEquals(503, Http.get(port, "/").statusCode());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 500, "no connection attempt to DOWN servers");
        }
    }

    @Test
    void protocolChecksAgainstAFakeRedis() throws Exception {
        var vx = TestVertx.get();
        int redisPort = FreePorts.next();
        var redis = vx.createNetServer().connectHandler(so -> so.handler(b -> {
            if (b.toString().startsWith("PING")) {
                so.write("+PONG\r\n");
            }
        }));
        redis.listen(redisPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                backend r
                  option redis-check
                  server r1 127.0.0.1:%d check inter 100
                backend t
                  option tcp-check
                  tcp-check send PING\\r\\n
                  tcp-check expect string +PONG
                  server t1 127.0.0.1:%d check inter 100
                backend wrong
                  option tcp-check
                  tcp-check send PING\\r\\n
                  tcp-check expect string +OK
                  server w1 127.0.0.1:%d check inter 100
                backend elsewhere
                  option tcp-check
                  tcp-check connect addr 127.0.0.1 port %d
                  tcp-check send PING\\r\\n
                  tcp-check expect string +PONG
                  server e1 192.0.2.1:9 check inter 100
                """.formatted(redisPort, redisPort, redisPort, redisPort);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            ServerState r1 = p.engine.routing().backend("r").state.servers()[0];
            ServerState t1 = p.engine.routing().backend("t").state.servers()[0];
            ServerState w1 = p.engine.routing().backend("wrong").state.servers()[0];
            // tcp-check connect addr/port: the check goes there, not to the server's own (unroutable) address.
            ServerState e1 = p.engine.routing().backend("elsewhere").state.servers()[0];
            waitFor(() -> "UP".equals(HealthState.describe(r1)) && "UP".equals(HealthState.describe(t1)) && !w1.isUp()
                    && "L7OK".equals(e1.lastCheck), 5000, "redis checks");
            assertEquals("L7OK", r1.lastCheck);
            assertTrue(w1.lastCheck.equals("L7TOUT") || w1.lastCheck.equals("L7RSP"), w1.lastCheck);
        } finally {
            redis.close();
        }
    }

    @Test
    void stateMachineMatchesHAProxy() {
        var server = new io.haquark.model.Server("s", "127.0.0.1", 80, false, 1, false, false, true, 2000, 2000, 2000,
                2, 3, 0, null, false, 0, 0, 0, 0, null, false, false, false, null, java.util.Map.of(),
                new io.haquark.model.Location("t", 1));
        ServerState s = new ServerState(server, "b", 0);
        HealthState.init(s);
        CheckResult ok = CheckResult.l4ok(1);
        CheckResult ko = CheckResult.l4con(null, 1);
        HealthState.apply(s, ok);
        assertEquals("UP", HealthState.describe(s));
        // Read off HAProxy 2.6.12's CSV (rise 2 fall 3): "UP 2/3" after one failure, "UP 1/3" after two.
        HealthState.apply(s, ko);
        assertEquals("UP 2/3", HealthState.describe(s));
        HealthState.apply(s, ko);
        assertEquals("UP 1/3", HealthState.describe(s));
        HealthState.apply(s, ok);
        assertEquals("UP", HealthState.describe(s));
        HealthState.apply(s, ko);
        HealthState.apply(s, ko);
        HealthState.apply(s, ko);
        assertEquals("DOWN", HealthState.describe(s));
        HealthState.apply(s, ok);
        assertEquals("DOWN 1/2", HealthState.describe(s));
        HealthState.apply(s, ko);
        assertEquals("DOWN", HealthState.describe(s));
        HealthState.apply(s, ok);
        HealthState.apply(s, ok);
        assertEquals("UP", HealthState.describe(s));
    }
}
