package io.haquark.runtime;

import static io.haquark.runtime.RuntimeApiTest.tcp;
import static io.haquark.runtime.RuntimeApiTest.unix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * add server / del server / enable health through the runtime API: the server joins in
 * maintenance, takes traffic once enabled, leaves only from maintenance. Answers are HAProxy
 * 2.6's for the same commands (recorded from it).
 */
class RuntimeServersTest {

    private static Set<String> servedBy(int port, int n) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(Http.servedBy(Http.get(port, "/")));
        }
        return seen;
    }

    private static String status(Path sock, String server) throws Exception {
        String stat = unix(sock, "show stat");
        return stat.contains("\n" + server + ",") ? stat.split("\n" + server + ",")[1].split(",")[15] : null;
    }

    @Test
    void addEnableDeleteServers() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        Path sock = Files.createTempDirectory("srv").resolve("admin.sock");
        int userPort = FreePorts.next();
        int dead = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  stats socket ipv4@127.0.0.1:%d level operator
                """.formatted(sock, userPort) + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  server a %s
                backend fixed
                  balance static-rr
                  server a %s
                """.formatted(a.address(), a.address()))) {
            int port = p.engine.boundPort("f", 0);
            assertEquals("Permission denied\n\n", tcp(userPort, "add server web/b " + b.address()));
            assertEquals("New server registered.\n\n", unix(sock, "add server web/b " + b.address() + " weight 1 maxconn 50"));
            assertEquals("Already exists a server with the same name in backend.\n\n", unix(sock, "add server web/b " + b.address()));
            assertEquals("No such backend.\n", unix(sock, "add server nope/b " + b.address()));
            assertEquals("unknown keyword 'bogus'.\n\n", unix(sock, "add server web/c 127.0.0.1:1 bogus"));
            assertEquals("'cookie' option is not accepted for dynamic server\n\n", unix(sock, "add server web/c 127.0.0.1:1 cookie x"));
            assertEquals("Backend must use a dynamic load balancing to support dynamic servers.\n",
                    unix(sock, "add server fixed/b " + b.address()));
            assertEquals("'server' expects <name> and <addr>[:<port>] as arguments.\n\n", unix(sock, "add server web/c"));

            assertEquals("MAINT", status(sock, "web,b"), "a dynamic server starts in maintenance");
            assertEquals(Set.of("a"), servedBy(port, 4));
            assertEquals("\n", unix(sock, "enable server web/b"));
            assertEquals(Set.of("a", "b"), servedBy(port, 6));

            assertEquals("Only servers in maintenance mode can be deleted.\n", unix(sock, "del server web/b"));
            assertEquals("\n", unix(sock, "disable server web/b"));
            assertEquals("Server deleted.\n", unix(sock, "del server web/b"));
            assertEquals("No such server.\n", unix(sock, "del server web/b"));
            assertEquals(null, status(sock, "web,b"));
            assertEquals(Set.of("a"), servedBy(port, 4));

            // Health checks of a dynamic server start with "enable health", as in HAProxy 2.6.
            assertEquals("New server registered.\n\n", unix(sock, "add server web/d 127.0.0.1:" + dead + " check inter 200 fall 1"));
            assertEquals("\n", unix(sock, "enable server web/d"));
            assertEquals("\n", unix(sock, "enable health web/d"));
            long end = System.currentTimeMillis() + 5000;
            while (!"DOWN".equals(status(sock, "web,d")) && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            assertEquals("DOWN", status(sock, "web,d"), "the check of the dynamic server ran");
            assertEquals(Set.of("a"), servedBy(port, 4));
            assertEquals("Health checks are not configured on this server, cannot enable it.\n\n",
                    unix(sock, "enable health web/a"));
            assertFalse(unix(sock, "show servers state").contains(" web 2 b "), "deleted server gone from show servers state");
            assertTrue(unix(sock, "help").contains("add server"));
        } finally {
            a.close();
            b.close();
        }
    }
}
