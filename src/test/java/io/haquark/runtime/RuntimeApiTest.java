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
}
