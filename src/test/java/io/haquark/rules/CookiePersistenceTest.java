package io.haquark.rules;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cookie insert / rewrite / prefix persistence, compared with HAProxy on the same config. */
class CookiePersistenceTest {

    static String get(int port, String cookie) throws Exception {
        return RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n", 5000);
    }

    static List<String> headers(String raw, String name) {
        List<String> out = new ArrayList<>();
        for (String line : raw.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                out.add(line.substring(c + 1).trim());
            }
        }
        return out;
    }

    static String servedBy(String raw) {
        List<String> h = headers(raw, "x-served-by");
        return h.isEmpty() ? "-" : h.get(0);
    }

    @Test
    void insertIndirectNocache() throws Exception {
        // Last-Modified makes the answers cacheable: that is when nocache adds "cache-control: private".
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1").handler(req ->
                req.response().putHeader("Last-Modified", "Sat, 28 Nov 2026 03:38:52 GMT").end("s1"));
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2").handler(req ->
                req.response().putHeader("Last-Modified", "Sat, 28 Nov 2026 03:38:52 GMT").end("s2"));
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  balance roundrobin
                  cookie SRV insert indirect nocache httponly
                  server s1 %s cookie one
                  server s2 %s cookie two
                """.formatted(s1.address(), s2.address()))) {
            List<List<String>> perProxy = new ArrayList<>();
            for (int port : t.ports()) {
                String first = get(port, null);
                List<String> set = headers(first, "set-cookie");
                String server = servedBy(first);
                assertEquals(List.of("SRV=" + (server.equals("s1") ? "one" : "two") + "; path=/; HttpOnly"), set, first);
                assertEquals(List.of("private"), headers(first, "cache-control"), "port " + port + (port == t.haquarkPort ? " haquark\n" : " haproxy\n") + first);
                // the cookie pins every later request, and is not shown to the server (indirect)
                for (int i = 0; i < 3; i++) {
                    String again = get(port, "SRV=two; other=1");
                    assertEquals("s2", servedBy(again));
                    assertEquals(List.of(), headers(again, "set-cookie"));
                    assertEquals("other=1", s2.seenHeaders.get(s2.seenHeaders.size() - 1).get("cookie"));
                }
                // an unknown value is re-balanced and reset
                String unknown = get(port, "SRV=nobody");
                assertEquals(1, headers(unknown, "set-cookie").size(), unknown);
                perProxy.add(set);
            }
        } finally {
            s1.close();
            s2.close();
        }
    }

    @Test
    void rewriteAndPrefix() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app").handler(req ->
                req.response().putHeader("Set-Cookie", "JSESSIONID=abc; Path=/app").end("ok"));
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend pfx if { hdr(x-mode) prefix }
                  default_backend rw
                backend rw
                  cookie JSESSIONID rewrite
                  server a %s cookie A1
                backend pfx
                  cookie JSESSIONID prefix
                  server a %s cookie A1
                """.formatted(app.address(), app.address()))) {
            for (int port : t.ports()) {
                String rw = get(port, null);
                assertEquals(List.of("JSESSIONID=A1; Path=/app"), headers(rw, "set-cookie"), "port " + port);
                String pfx = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Mode: prefix\r\nConnection: close\r\n"
                        + "Cookie: JSESSIONID=A1~xyz\r\n\r\n", 5000);
                assertEquals(List.of("JSESSIONID=A1~abc; Path=/app"), headers(pfx, "set-cookie"), "port " + port);
                assertEquals("JSESSIONID=xyz", app.seenHeaders.get(app.seenHeaders.size() - 1).get("cookie"), "port " + port);
            }
            assertNull(null);
        } finally {
            app.close();
        }
    }

    @Test
    void maxidleMaxlifePostonlyPreserve() throws Exception {
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1").handler(req -> {
            if (req.path().equals("/own")) {
                req.response().putHeader("Set-Cookie", "SRV=mine; path=/x");
            }
            req.response().end("s1");
        });
        long now = System.currentTimeMillis() / 1000;
        String old = io.haquark.engine.CookiePersistenceAccess.encodeDate(now - 7200);
        // A few seconds ahead, so the date cannot fall behind the clock while the test runs.
        String fresh = io.haquark.engine.CookiePersistenceAccess.encodeDate(now + 4);
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend post if { path_beg /post }
                  use_backend keep if { path_beg /own }
                  default_backend dated
                backend dated
                  cookie SRV insert maxidle 30m maxlife 2h
                  server s1 %s cookie one
                backend post
                  cookie SRV insert postonly
                  server s1 %s cookie one
                backend keep
                  cookie SRV insert preserve
                  server s1 %s cookie one
                """.formatted(s1.address(), s1.address(), s1.address()))) {
            List<List<String>> all = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> seen = new ArrayList<>();
                for (String cookie : new String[] {null, "SRV=one|" + fresh + "|" + fresh, "SRV=one|" + old + "|" + old,
                        "SRV=one|" + fresh, "SRV=two|" + fresh + "|" + fresh}) {
                    seen.add(String.join(",", headers(get(port, cookie), "set-cookie")).replaceAll("\\|[A-Za-z0-9+/]{5}", "|D"));
                }
                seen.add(String.join(",", headers(RawHttp.exchange(port, "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 5000), "set-cookie")));
                seen.add(String.join(",", headers(RawHttp.exchange(port, "GET /post HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000), "set-cookie")));
                seen.add(String.join(",", headers(RawHttp.exchange(port, "GET /own HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000), "set-cookie")));
                all.add(seen);
            }
            assertEquals(List.of("SRV=one|D|D; path=/", "", "SRV=one|D|D; path=/", "SRV=one|D|D; path=/", "SRV=one|D|D; path=/",
                    "SRV=one; path=/", "", "SRV=mine; path=/x"), all.get(0));
            if (all.size() > 1) {
                assertEquals(all.get(1), all.get(0), "haquark vs HAProxy");
            }
        } finally {
            s1.close();
        }
    }
}
