package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * use-server picks the server before balancing, passes over a disabled one, and a name built by
 * %[...] that names no server leaves the request to the balancer; http-send-name-header replaces
 * the client's header with the chosen server's name (configuration.txt §4.2). The same requests
 * go to HAProxy 2.6; a tcp listen takes use-server too.
 */
class UseServerTwinTest {

    @Test
    void useServerAndNameHeaderAsHaproxy() throws Exception {
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2");
        TestBackend s3 = new TestBackend(TestVertx.get(), "s3");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  balance roundrobin
                  http-send-name-header X-Srv
                  use-server s2 if { req.hdr(x-to) s2 }
                  use-server s3 if { req.hdr(x-to) s3 }
                  use-server %%[req.hdr(x-dyn)] if { req.hdr(x-dyn) -m found }
                  server s1 %s
                  server s2 %s
                  server s3 %s disabled
                listen t
                  mode tcp
                  bind 127.0.0.1:@TCP@
                  use-server s2 if TRUE
                  server s1 %s
                  server s2 %s
                """.formatted(s1.address(), s2.address(), s3.address(), s1.address(), s2.address());
        try (s1; s2; s3; Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                for (int i = 0; i < 4; i++) {
                    assertEquals("s2", servedBy(port, "x-to: s2\r\nX-Srv: forged", s1, s2), who);
                    // s3 is disabled: the rule is passed over and the balancer decides.
                    assertNotEquals("s3", servedBy(port, "x-to: s3", s1, s2), who);
                    assertEquals("s1", servedBy(port, "x-dyn: s1", s1, s2), who);
                    assertNotEquals("s3", servedBy(port, "x-dyn: nope", s1, s2), who);
                }
                int tcp = port == twin.haquarkPort ? twin.haquarkExtra.get("TCP") : twin.haproxyExtra.get("TCP");
                for (int i = 0; i < 3; i++) {
                    String answer = RawHttp.exchange(tcp, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                    assertEquals("s2", header(answer, "x-served-by"), who + " tcp: " + answer);
                }
            }
            assertEquals(0, s3.requests.get());
        }
    }

    /**
     * stick store-response: the session cookie a server sets is stored with that server's name,
     * and "stick match" on the request cookie sends the session back to it (configuration.txt §4.2).
     */
    @Test
    void storeResponseSendsTheSessionBackToItsServer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2");
        for (TestBackend s : List.of(s1, s2)) {
            s.handler(req -> {
                if (req.getHeader("cookie") == null) {
                    req.response().putHeader("set-cookie", "SID=" + s.name + "-" + sessions.incrementAndGet() + "; path=/");
                }
                req.response().end("ok");
            });
        }
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  balance roundrobin
                  stick-table type string len 32 size 1k expire 1m
                  stick store-response res.cook(SID)
                  stick match req.cook(SID)
                  server s1 %s
                  server s2 %s
                """.formatted(s1.address(), s2.address());
        try (s1; s2; Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                for (int session = 0; session < 4; session++) {
                    String first = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                    String owner = header(first, "x-served-by");
                    String cookie = header(first, "set-cookie");
                    assertTrue(cookie != null && cookie.startsWith("SID=" + owner + "-"), who + ": " + first);
                    String sid = cookie.substring(0, cookie.indexOf(';'));
                    for (int i = 0; i < 3; i++) {
                        String again = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + sid
                                + "\r\nConnection: close\r\n\r\n", 5000);
                        assertEquals(owner, header(again, "x-served-by"), who + ", " + sid + ": " + again);
                    }
                }
            }
        }
    }

    /** The server that answered; the name header it saw must be its own name, once. */
    private static String servedBy(int port, String headers, TestBackend... servers) throws Exception {
        String answer = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\nConnection: close\r\n\r\n", 5000);
        assertEquals(200, RawHttp.status(answer), answer);
        String name = header(answer, "x-served-by");
        for (TestBackend s : servers) {
            if (s.name.equals(name)) {
                List<Map<String, String>> seen = s.seenHeaders;
                assertEquals(name, seen.get(seen.size() - 1).get("x-srv"), headers);
            }
        }
        assertTrue(name != null, answer);
        return name;
    }

    private static String header(String answer, String name) {
        for (String line : answer.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
