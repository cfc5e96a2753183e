package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import io.vertx.core.net.NetServer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bind forms (port ranges, several binds, IPv6) and the 502 for a broken server answer. */
class ListenersAndErrorsTest {

    @Test
    void portRangesAndSeveralBinds() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        int first = FreePorts.next();
        int second = FreePorts.next();
        int other = FreePorts.next();
        // a range of two consecutive ports needs both free; fall back to the two we were given
        String range = second == first + 1 ? first + "-" + second : first + "," + "127.0.0.1:" + second;
        try (ProxyUnderTest p = ProxyUnderTest.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:%s
                  bind 127.0.0.1:%d
                  default_backend b
                backend b
                  server app %s
                """.formatted(range, other, app.address()))) {
            assertEquals(3, p.engine.listeners().size());
            for (int port : new int[] {first, second, other}) {
                assertEquals(200, Http.get(port, "/").statusCode(), "port " + port);
            }
        } finally {
            app.close();
        }
    }

    @Test
    void ipv6Bind() throws Exception {
        boolean hasV6 = NetworkInterface.networkInterfaces().anyMatch(i -> i.inetAddresses().anyMatch(a -> a instanceof Inet6Address
                && a.isLoopbackAddress()));
        if (!hasV6) {
            System.out.println("*** no IPv6 loopback here: the IPv6 bind test is SKIPPED ***");
            return;
        }
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        int port = FreePorts.next();
        try (ProxyUnderTest p = ProxyUnderTest.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind [::1]:%d
                  default_backend b
                backend b
                  server app %s
                """.formatted(port, app.address()))) {
            String raw;
            try (java.net.Socket s = new java.net.Socket(InetAddress.getByName("::1"), port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /v6 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
                raw = RawHttp.readAll(s.getInputStream());
            }
            assertEquals(200, RawHttp.status(raw), raw);
        } finally {
            app.close();
        }
    }

    @Test
    void brokenServerAnswerIs502LikeHAProxy() throws Exception {
        int port = FreePorts.next();
        NetServer garbage = TestVertx.get().createNetServer().connectHandler(so -> so.handler(b -> {
            so.write("THIS IS NOT HTTP\r\n\r\n");
            so.close();
        }));
        garbage.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  server junk 127.0.0.1:%d
                """.formatted(port))) {
            String ours = RawHttp.exchange(t.haquarkPort, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            assertEquals(502, RawHttp.status(ours), ours);
            assertTrue(ours.contains("The server returned an invalid or incomplete response."), ours);
            if (t.hasReference()) {
                String theirs = RawHttp.exchange(t.haproxyPort, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(theirs, ours);
            }
        } finally {
            garbage.close();
        }
    }
}
