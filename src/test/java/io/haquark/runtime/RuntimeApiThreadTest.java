package io.haquark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A runtime API command that has to wait (here "add server" behind the engine's lock, which a
 * reload holds while it reads files and binds) waits on the runtime API's own thread: the
 * event loops keep serving traffic meanwhile.
 */
class RuntimeApiThreadTest {

    @Test
    void helpListsTheCommandsOfTheSocketsLevelAndEachOneIsKnown() throws Exception {
        Path sock = Files.createTempDirectory("rt").resolve("admin.sock");
        int userPort = io.haquark.support.FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  stats socket ipv4@127.0.0.1:%d level user
                """.formatted(sock, userPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  server s 127.0.0.1:1
                """)) {
            String admin = RuntimeApiTest.unix(sock, "help");
            String user = RuntimeApiTest.tcp(userPort, "help");
            // As HAProxy's CLI does, a level sees the commands it may run.
            assertTrue(admin.contains("add server") && admin.contains("shutdown sessions") && admin.contains("show stat"), admin);
            assertTrue(user.contains("show stat") && !user.contains("add server") && !user.contains("shutdown sessions"), user);
            assertEquals("Permission denied\n\n", RuntimeApiTest.tcp(userPort, "disable server web/s"));
            for (RuntimeApi.Command c : RuntimeApi.COMMANDS) {
                String[] words = c.words().toArray(new String[0]);
                assertEquals(c, RuntimeApi.find(words), "dispatch finds " + c.words());
                // Experimental commands are only listed after "experimental-mode on", as in HAProxy.
                assertEquals(!c.experimental(), admin.contains(c.usage()), "help lists " + c.usage());
            }
        }
    }

    @Test
    void aCommandWaitingForTheEngineDoesNotHoldUpRequests() throws Exception {
        TestBackend web = new TestBackend(TestVertx.get(), "web");
        Path sock = Files.createTempDirectory("rt").resolve("admin.sock");
        try (ProxyUnderTest p = RuntimeApiTest.adminProxy(sock, web.address())) {
            int port = p.engine.boundPort("f", 0);
            CountDownLatch locked = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (p.engine) {
                    locked.countDown();
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            holder.start();
            assertTrue(locked.await(2, TimeUnit.SECONDS));
            CompletableFuture<String> added = CompletableFuture.supplyAsync(() -> {
                try {
                    return RuntimeApiTest.unix(sock, "add server web/extra 127.0.0.1:1");
                } catch (Exception e) {
                    return e.toString();
                }
            });
            Thread.sleep(150);
            // Fresh connections land on every event loop in turn, the one that took the command included.
            for (int i = 0; i < 8; i++) {
                long t0 = System.nanoTime();
                String r = RawHttp.exchange(port, "GET /" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, RawHttp.status(r), r);
                assertTrue(ms < 700, "request " + i + " waited " + ms + " ms for the runtime API command");
            }
            holder.join();
            assertEquals("New server registered.\n\n", added.get(5, TimeUnit.SECONDS));
        } finally {
            web.close();
        }
    }
}
