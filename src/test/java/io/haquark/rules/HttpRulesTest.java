package io.haquark.rules;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * http-request / http-response / redirect rules through real sockets, each compared with
 * HAProxy on the same config: status, Location, headers sent back, headers the server got.
 */
class HttpRulesTest {
    static TestBackend echo;
    static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        echo = new TestBackend(TestVertx.get(), "echo");
        twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  acl blocked path_beg /blocked
                  acl old path_beg /old
                  http-request deny if blocked
                  http-request deny deny_status 429 if { path_beg /slow-down }
                  http-request return status 200 content-type text/plain string "pong" if { path /ping }
                  http-request redirect location /new/place code 301 if { path /moved }
                  http-request redirect prefix /v2 if { path_beg /v1 }
                  http-request redirect scheme https if { path_beg /secure }
                  http-request set-header X-Client %%[src] if { path_beg /hdr }
                  http-request add-header X-Added one
                  http-request add-header X-Added two
                  http-request del-header X-Remove-Me
                  http-request replace-header X-Rewrite (.*)-old \\1-new
                  http-request set-path /rewritten%%[path] if { path_beg /set-path }
                  http-request set-query a=1 if { path_beg /set-query }
                  http-request set-var(txn.host) req.hdr(host)
                  http-request set-var(txn.path) path
                  http-request set-header X-Host-Var %%[var(txn.host)]
                  http-request allow if { path_beg /allowed }
                  http-request deny if { path_beg /allowed }
                  redirect location /legacy-target if old
                  http-response set-header X-Resp set
                  http-response add-header X-Resp-Added yes
                  http-response del-header X-Body-Length
                  http-response set-status 202 if { var(txn.path) -m beg /accepted }
                  default_backend b
                backend b
                  http-request set-header X-Backend-Rule applied
                  http-response set-header X-Backend-Resp yes
                  server echo %s
                """.formatted(echo.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        twin.close();
        echo.close();
    }

    static String get(int port, String path, String... headers) throws Exception {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return RawHttp.exchange(port, req.append("\r\n").toString(), 5000);
    }

    static String header(String raw, String name) {
        for (String line : raw.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                return line.substring(c + 1).trim();
            }
        }
        return null;
    }

    static Map<String, String> lastSeen() {
        return echo.seenHeaders.get(echo.seenHeaders.size() - 1);
    }

    @Test
    void answersProducedByRulesMatchHAProxy() throws Exception {
        String[][] cases = {
                {"/blocked", "403", null},
                {"/slow-down", "429", null},
                {"/ping", "200", null},
                {"/moved", "301", "/new/place"},
                {"/v1/items?x=1", "302", "/v2/v1/items?x=1"},
                {"/secure/login", "302", "https://example.org/secure/login"},
                {"/old/page", "302", "/legacy-target"},
                {"/allowed/x", "200", null},
                {"/accepted", "202", null},
        };
        for (int port : twin.ports()) {
            for (String[] c : cases) {
                String raw = get(port, c[0]);
                assertEquals(Integer.parseInt(c[1]), RawHttp.status(raw), "port " + port + " " + c[0] + "\n" + raw);
                if (c[2] != null) {
                    assertEquals(c[2], header(raw, "location"), "port " + port + " " + c[0]);
                }
            }
            String pong = get(port, "/ping");
            assertTrue(pong.endsWith("\r\n\r\npong"), pong);
            assertEquals("text/plain", header(pong, "content-type"));
        }
    }

    @Test
    void requestHeadersAreRewrittenLikeHAProxy() throws Exception {
        for (int port : twin.ports()) {
            get(port, "/hdr/x", "X-Remove-Me", "1", "X-Rewrite", "value-old");
            Map<String, String> h = lastSeen();
            assertEquals("127.0.0.1", h.get("x-client"), "port " + port);
            assertEquals("one|two", h.get("x-added"), "port " + port);
            assertEquals(null, h.get("x-remove-me"), "port " + port);
            assertEquals("value-new", h.get("x-rewrite"), "port " + port);
            assertEquals("example.org", h.get("x-host-var"), "port " + port);
            assertEquals("applied", h.get("x-backend-rule"), "port " + port);

            get(port, "/set-path/a?q=2");
            assertEquals("/rewritten/set-path/a?q=2", lastSeen().get(":uri"), "port " + port);
            get(port, "/set-query/b?old=1");
            assertEquals("/set-query/b?a=1", lastSeen().get(":uri"), "port " + port);
        }
    }

    @Test
    void responseHeadersAreRewrittenLikeHAProxy() throws Exception {
        for (int port : twin.ports()) {
            String raw = get(port, "/resp");
            assertEquals(200, RawHttp.status(raw));
            assertEquals("set", header(raw, "x-resp"), "port " + port);
            assertEquals("yes", header(raw, "x-resp-added"), "port " + port);
            assertEquals("yes", header(raw, "x-backend-resp"), "port " + port);
            assertEquals(null, header(raw, "x-body-length"), "port " + port);
        }
    }

    @Test
    void deniedRequestsAreCounted() throws Exception {
        long before = twin.haquark.engine.routing().frontends.get("f").state.counters.deniedRequests.sum();
        get(twin.haquarkPort, "/blocked");
        assertEquals(before + 1, twin.haquark.engine.routing().frontends.get("f").state.counters.deniedRequests.sum());
    }
}
