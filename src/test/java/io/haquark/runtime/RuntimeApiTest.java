package io.haquark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runtime API over a Unix socket (admin) and TCP (user): state changes show in show stat and routing. */
class RuntimeApiTest {

    static String send(SocketChannel ch, String cmd) throws Exception {
        ch.write(ByteBuffer.wrap((cmd + "\n").getBytes(StandardCharsets.UTF_8)));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        StringBuilder sb = new StringBuilder();
        while (ch.read(buf) > 0) {
            buf.flip();
            sb.append(StandardCharsets.UTF_8.decode(buf));
            buf.clear();
        }
        ch.close();
        return sb.toString();
    }

    static String unix(Path sock, String cmd) throws Exception {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        return send(ch, cmd);
    }

    /** A frontend f to backend web (one server s) with an admin runtime socket at sock. */
    static ProxyUnderTest adminProxy(Path sock, String server) {
        return ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                """.formatted(sock) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  server s %s
                """.formatted(server));
    }

    static String tcp(int port, String cmd) throws Exception {
        return send(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)), cmd);
    }

    @Test
    void adminSocketChangesStateUserSocketCannot() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        Path sock = Files.createTempDirectory("rt").resolve("admin.sock");
        int userPort = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s mode 600 level admin
                  stats socket ipv4@127.0.0.1:%d level user
                """.formatted(sock, userPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  server a %s
                  server b %s
                """.formatted(a.address(), b.address()))) {
            int port = p.engine.boundPort("f", 0);
            assertTrue(unix(sock, "show info").contains("Name: haquark"));
            assertTrue(tcp(userPort, "show stat").startsWith("# pxname,svname,"));
            assertEquals("Permission denied\n\n", tcp(userPort, "disable server web/a"));
            assertEquals("\n", unix(sock, "disable server web/a"));
            assertTrue(unix(sock, "show stat").contains("\nweb,a,") && unix(sock, "show stat").split("\nweb,a,")[1].split(",")[15].equals("MAINT"));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                seen.add(Http.servedBy(Http.get(port, "/")));
            }
            assertEquals(Set.of("b"), seen, "a is in maintenance");
            assertEquals("\n\n", unix(sock, "set server web/a state ready; set weight web/a 50%"));
            assertEquals("0 (initial 1)\n\n", unix(sock, "get weight web/a"), "50% of weight 1");
            assertEquals("\n", unix(sock, "set weight web/a 1"));
            seen.clear();
            for (int i = 0; i < 4; i++) {
                seen.add(Http.servedBy(Http.get(port, "/")));
            }
            assertEquals(Set.of("a", "b"), seen);
            assertTrue(unix(sock, "show servers state").contains("web 1 a"));
            assertTrue(unix(sock, "bogus command").startsWith("Unknown command"));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void sessionsTablesAndCounters() throws Exception {
        // The server holds every request for a while, so sessions stay visible on it.
        TestBackend slow = new TestBackend(TestVertx.get(), "slow").handler(req ->
                TestVertx.get().setTimer(1500, id -> req.response().end("late")));
        Path sock = Files.createTempDirectory("rt").resolve("admin.sock");
        int operatorPort = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  stats socket ipv4@127.0.0.1:%d level operator
                """.formatted(sock, operatorPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  stick-table type ip size 1k expire 1m store http_req_cnt,http_req_rate(10s)
                  http-request track-sc0 src
                  default_backend web
                backend web
                  server s %s
                """.formatted(slow.address()))) {
            int port = p.engine.boundPort("f", 0);
            assertEquals(200, Http.get(port, "/first").statusCode());
            var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return io.haquark.support.RawHttp.exchange(port, "GET /held HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                } catch (Exception e) {
                    return "";
                }
            });
            Thread.sleep(300);
            String sess = unix(sock, "show sess");
            assertTrue(sess.contains("fe=f be=web srv=s req=\"GET /held HTTP/1.1\""), sess);
            String table = unix(sock, "show table f");
            assertTrue(table.startsWith("# table: f, type: ip, size:1024, used:1\n"), table);
            // The held request's stream tracks the entry, so HAProxy counts it in use (ref count) until it ends.
            assertTrue(java.util.regex.Pattern.compile("key=127\\.0\\.0\\.1 use=1 exp=(59\\d{3}|60000) http_req_cnt=2 http_req_rate\\(10000\\)=2\n")
                    .matcher(table).find(), table);
            assertEquals("Permission denied\n\n", tcp(operatorPort, "shutdown sessions server web/s"));
            assertEquals("\n", unix(sock, "shutdown sessions server web/s"));
            String held = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(!held.startsWith("HTTP/"), "the held request's connection was closed: " + held);
            assertEquals("\n", unix(sock, "clear table f key 127.0.0.1"));
            assertTrue(unix(sock, "show table f").contains("used:0"));
            assertTrue(unix(sock, "show stat").split("\nf,FRONTEND,")[1].split(",")[5].equals("2"), "stot before clearing");
            assertEquals("Permission denied\n\n", tcp(operatorPort, "clear counters all"));
            assertEquals("\n", tcp(operatorPort, "clear counters"));
            assertEquals("\n", unix(sock, "clear counters all"));
            assertTrue(unix(sock, "show stat").split("\nf,FRONTEND,")[1].split(",")[5].equals("0"), "stot after clear counters all");
        } finally {
            slow.close();
        }
    }

    @Test
    void setServerAddrMovesNewConnections() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        Path sock = Files.createTempDirectory("rt").resolve("admin.sock");
        try (ProxyUnderTest p = adminProxy(sock, a.address())) {
            int port = p.engine.boundPort("f", 0);
            assertEquals("a", Http.servedBy(Http.get(port, "/")));
            int bPort = Integer.parseInt(b.address().substring(b.address().lastIndexOf(':') + 1));
            String reply = unix(sock, "set server web/s addr 127.0.0.1 port " + bPort);
            assertTrue(reply.startsWith("IP changed from '127.0.0.1' to '127.0.0.1', port changed from"), reply);
            for (int i = 0; i < 3; i++) {
                assertEquals("b", Http.servedBy(Http.get(port, "/")), "pooled connections to the old address are not reused");
            }
            assertTrue(unix(sock, "set server web/s addr not-an-ip").startsWith("Invalid addr"));
        } finally {
            a.close();
            b.close();
        }
    }
}
