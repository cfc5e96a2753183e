package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** stick on / stick match + store-request, force-persist, ignore-persist, option persist, monitor fail — against HAProxy. */
class PersistenceRulesTest {

    private static String get(int port, String path, String extraHeaders) throws Exception {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders + "\r\n", 5000);
    }

    private static String outcome(String raw) {
        int status = RawHttp.status(raw);
        List<String> served = CookiePersistenceTest.headers(raw, "x-served-by");
        return status + ":" + (served.isEmpty() ? "-" : served.get(0));
    }

    @Test
    void stickOnSourceKeepsTheFirstServer() throws Exception {
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  balance roundrobin
                  stick-table type string len 32 size 1k expire 1m
                  stick on req.hdr(x-user)
                  server s1 %s
                  server s2 %s
                """.formatted(s1.address(), s2.address()))) {
            List<List<String>> all = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> seen = new ArrayList<>();
                for (String user : new String[] {"alice", "bob", "alice", "carol", "bob", "alice", "", ""}) {
                    seen.add(outcome(get(port, "/", user.isEmpty() ? "" : "X-User: " + user + "\r\n")));
                }
                all.add(seen);
            }
            // alice -> s1, bob -> s2, carol -> s1 (round robin), then each sticks; no key: plain round robin.
            assertEquals(List.of("200:s1", "200:s2", "200:s1", "200:s1", "200:s2", "200:s1", "200:s2", "200:s1"), all.get(0));
            if (all.size() > 1) {
                assertEquals(all.get(1), all.get(0), "haquark vs HAProxy");
            }
            assertEquals("s1", t.haquark.engine.routing().table("b").lookup("alice").server);
        } finally {
            s1.close();
            s2.close();
        }
    }

    @Test
    void forceIgnoreAndOptionPersistWithAServerInMaintenance() throws Exception {
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  monitor-uri /health
                  monitor fail if { nbsrv(b) lt 2 }
                  use_backend p if { path_beg /p }
                  default_backend b
                backend b
                  cookie SRV insert indirect
                  force-persist if { req.hdr(x-force) 1 }
                  ignore-persist if { path_beg /ignore }
                  server s1 %s cookie one disabled
                  server s2 %s cookie two
                backend p
                  option persist
                  cookie SRV insert indirect
                  server s1 %s cookie one disabled
                  server s2 %s cookie two
                """.formatted(s1.address(), s2.address(), s1.address(), s2.address()))) {
            List<List<String>> all = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> seen = new ArrayList<>();
                seen.add(outcome(get(port, "/", "Cookie: SRV=one\r\n")));
                seen.add(outcome(get(port, "/", "Cookie: SRV=one\r\nX-Force: 1\r\n")));
                seen.add(outcome(get(port, "/ignore", "Cookie: SRV=two\r\nX-Force: 1\r\n")));
                seen.add(outcome(get(port, "/p", "Cookie: SRV=one\r\n")));
                seen.add(outcome(get(port, "/p", "Cookie: SRV=two\r\n")));
                String health = get(port, "/health", "");
                seen.add(health.substring(0, health.indexOf("\r\n")) + " " + health.substring(health.indexOf("\r\n\r\n") + 4).trim());
                all.add(seen);
            }
            assertEquals(List.of("200:s2", "200:s1", "200:s2", "200:s1", "200:s2",
                    "HTTP/1.1 503 Service Unavailable <html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>"),
                    all.get(0));
            if (all.size() > 1) {
                assertEquals(all.get(1), all.get(0), "haquark vs HAProxy");
            }
        } finally {
            s1.close();
            s2.close();
        }
    }
}
