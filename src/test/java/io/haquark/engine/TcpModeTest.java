package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mode tcp: bytes relayed both ways, round robin per connection, layer 4 routing, against HAProxy. */
class TcpModeTest {
    static NetServer a;
    static NetServer b;
    static int portA;
    static int portB;

    static NetServer echo(String name, int port) throws Exception {
        NetServer s = TestVertx.get().createNetServer().connectHandler(so -> {
            so.write(name + ">");
            so.handler(buf -> so.write(buf.toString().toUpperCase()));
        });
        s.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return s;
    }

    @BeforeAll
    static void start() throws Exception {
        portA = FreePorts.next();
        portB = FreePorts.next();
        a = echo("a", portA);
        b = echo("b", portB);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    static String talk(int port, String send) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            byte[] greet = new byte[2];
            in.readNBytes(greet, 0, 2);
            s.getOutputStream().write(send.getBytes(StandardCharsets.ISO_8859_1));
            byte[] back = in.readNBytes(send.length());
            return new String(greet, StandardCharsets.ISO_8859_1) + new String(back, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void relaysBytesAndBalancesConnections() throws Exception {
        try (Twin t = Twin.start(TestConfigs.TCP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend pool
                backend pool
                  balance roundrobin
                  server a 127.0.0.1:%d
                  server b 127.0.0.1:%d
                """.formatted(portA, portB))) {
            for (int port : t.ports()) {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    seen.add(talk(port, "hello" + i));
                }
                // Strict alternation; which server starts differs because the harness' readiness
                // probe to HAProxy is itself a TCP session that takes a turn.
                for (int i = 0; i < 4; i++) {
                    assertEquals("HELLO" + i, seen.get(i).substring(2), "port " + port);
                }
                assertEquals(seen.get(0).charAt(0), seen.get(2).charAt(0), "port " + port + " " + seen);
                assertEquals(seen.get(1).charAt(0), seen.get(3).charAt(0), "port " + port + " " + seen);
                assertTrue(seen.get(0).charAt(0) != seen.get(1).charAt(0), "port " + port + " " + seen);
                if (port == t.haquarkPort) {
                    assertEquals("a>HELLO0", seen.get(0), "declaration order");
                }
            }
        }
    }

    @Test
    void layer4AclsRouteAndLargeTransfersKeepEveryByte() throws Exception {
        try (Twin t = Twin.start(TestConfigs.TCP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend only_b if { src 127.0.0.0/8 } { dst_port @FE@ }
                  default_backend only_a
                backend only_a
                  server a 127.0.0.1:%d
                backend only_b
                  server b 127.0.0.1:%d
                """.formatted(portA, portB))) {
            for (int port : t.ports()) {
                assertTrue(talk(port, "x").startsWith("b>"), "port " + port);
                String big = "z".repeat(300_000);
                assertEquals("b>" + big.toUpperCase(), talk(port, big), "port " + port);
            }
        }
    }
}
