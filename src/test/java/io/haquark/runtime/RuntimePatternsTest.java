package io.haquark.runtime;

import static io.haquark.runtime.RuntimeApiTest.tcp;
import static io.haquark.runtime.RuntimeApiTest.unix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * show/add/del/clear acl, show/add/set/del map and set maxconn through the runtime API, each
 * change visible in routing right after the command. The answers are the ones HAProxy 2.6
 * gives for the same commands (recorded from it with the same files).
 */
class RuntimePatternsTest {

    @Test
    void aclAndMapFilesChangeAtRunTime() throws Exception {
        Path dir = Files.createTempDirectory("pat");
        Path allow = Files.writeString(dir.resolve("allow.lst"), "10.0.0.1\n10.0.0.2\n");
        Path paths = Files.writeString(dir.resolve("paths.map"), "/a  be_a\n/b be_b\n");
        Path sock = dir.resolve("admin.sock");
        int userPort = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  stats socket ipv4@127.0.0.1:%d level user
                """.formatted(sock, userPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  acl allowed src -f %s
                  http-request return status 200 content-type text/plain lf-string "be=%%[path,map_beg(%s,none)]" if allowed
                  http-request deny
                """.formatted(allow, paths))) {
            int port = p.engine.boundPort("f", 0);
            assertEquals(403, Http.get(port, "/a/x").statusCode(), "127.0.0.1 is not in the file yet");

            String list = unix(sock, "show acl");
            assertTrue(list.startsWith("# id (file) description\n0 (" + allow + ") pattern loaded from file '" + allow + "'"), list);
            assertTrue(list.contains("entry_cnt=2"), list);
            String entries = unix(sock, "show acl " + allow);
            assertTrue(entries.matches("0x[0-9a-f]+ 10\\.0\\.0\\.1\n0x[0-9a-f]+ 10\\.0\\.0\\.2\n\n"), entries);
            assertEquals(entries, unix(sock, "show acl #0"));
            assertEquals("Unknown ACL identifier. Please use #<id> or <file>.\n\n", unix(sock, "show acl nope"));
            assertEquals("'not-an-ip' is not a valid IPv4 or IPv6 address.\n\n", unix(sock, "add acl " + allow + " not-an-ip"));

            // HAProxy 2.6 lets every level edit pattern files; so does haquark.
            assertEquals("\n", tcp(userPort, "add acl " + allow + " 127.0.0.1"));
            assertEquals("be=be_a", Http.get(port, "/a/x").body());

            assertEquals("entry not found.\n\n", unix(sock, "set map " + paths + " /zz x"));
            assertEquals("\n", unix(sock, "set map " + paths + " /a AAA"));
            assertEquals("be=AAA", Http.get(port, "/a/x").body());
            assertEquals("\n", unix(sock, "add map " + paths + " /c be_c"));
            assertEquals("be=be_c", Http.get(port, "/c").body());
            String map = unix(sock, "show map " + paths);
            assertTrue(map.matches("0x[0-9a-f]+ /a AAA\n0x[0-9a-f]+ /b be_b\n0x[0-9a-f]+ /c be_c\n\n"), map);
            assertEquals("Key not found.\n\n", unix(sock, "del map " + paths + " /q"));
            assertEquals("\n", unix(sock, "del map " + paths + " /c"));
            assertEquals("be=none", Http.get(port, "/c").body());
            assertEquals("Unknown map identifier. Please use #<id> or <file>.\n\n", unix(sock, "show map nope"));

            assertEquals("Key not found.\n\n", unix(sock, "del acl " + allow + " 9.9.9.9"));
            assertEquals("\n", unix(sock, "del acl " + allow + " 127.0.0.1"));
            assertEquals(403, Http.get(port, "/a/x").statusCode());
            assertEquals("\n", unix(sock, "add acl " + allow + " 127.0.0.0/8"));
            assertEquals(200, Http.get(port, "/a/x").statusCode());
            assertEquals("\n", unix(sock, "clear acl " + allow));
            assertEquals("\n", unix(sock, "show acl #0"));
            assertEquals(403, Http.get(port, "/a/x").statusCode());
        }
    }

    @Test
    void setMaxconnServerAndFrontendApplyAtOnce() throws Exception {
        List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
        TestBackend app = new TestBackend(TestVertx.get(), "app").handler(held::add);
        Path sock = Files.createTempDirectory("mx").resolve("admin.sock");
        int userPort = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  stats socket ipv4@127.0.0.1:%d level user
                """.formatted(sock, userPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  timeout queue 10s
                  server a %s maxconn 1
                """.formatted(app.address()))) {
            int port = p.engine.boundPort("f", 0);
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> get(port, "/1"));
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> get(port, "/2"));
            waitFor(() -> held.size() == 1, "the first request reaches the server");
            Thread.sleep(300);
            assertEquals(1, held.size(), "maxconn 1: the second request waits in the queue");
            assertEquals("Permission denied\n\n", tcp(userPort, "set maxconn server web/a 2"));
            assertEquals("No such server.\n\n", unix(sock, "set maxconn server web/zz 2"));
            assertEquals("maxconn string empty or preceded by garbage\n", unix(sock, "set maxconn server web/a x"));
            assertEquals("\n", unix(sock, "set maxconn server web/a 2"));
            waitFor(() -> held.size() == 2, "maxconn 2 takes the queued request");
            String stat = unix(sock, "show stat");
            assertEquals("2", stat.split("\nweb,a,")[1].split(",")[4], "slim column of web/a");
            held.forEach(r -> r.response().end("ok"));
            assertEquals(200, RawHttp.status(first.get(5, TimeUnit.SECONDS)));
            assertEquals(200, RawHttp.status(second.get(5, TimeUnit.SECONDS)));

            assertEquals("No such frontend.\n\n", unix(sock, "set maxconn frontend zz 5"));
            assertEquals("\n", unix(sock, "set maxconn frontend f 1"));
            assertEquals("1", unix(sock, "show stat").split("\nf,FRONTEND,")[1].split(",")[4], "slim of the frontend");
        } finally {
            app.close();
        }
    }

    private static String get(int port, String path) {
        try {
            return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
        } catch (Exception e) {
            return "";
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }
}
