package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * strict-mode and tune.maxrewrite (configuration.txt "http-request strict-mode",
 * "tune.maxrewrite"): with a small buffer, header rewrites beyond the room kept for them fail; in
 * strict mode the answer is 500, with strict-mode off the rewrite is skipped. A body that fills
 * the buffer leaves only maxrewrite; a small request leaves the rest of the buffer. Compared with
 * HAProxy 2.6 on the same requests.
 */
class StrictModeTwinTest {
    private static final String V = "1234567890".repeat(6);

    @Test
    void failedRewritesLikeHAProxy() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start("""
                global
                  tune.bufsize 2048
                  tune.maxrewrite 128
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                  option http-buffer-request
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request set-header x-a %1$s
                  http-request set-header x-b %1$s if { path_beg /two }
                  http-request strict-mode off if { path_beg /soft }
                  http-request set-header x-c %1$s if { path_beg /soft }
                  http-request add-header x-d %1$s%1$s%1$s if { path_beg /small }
                  http-request return status 200 content-type text/plain lf-string "b=%%[req.hdr(x-b)] c=%%[req.hdr(x-c)] d=%%[req.hdr_cnt(x-d)]"
                """.formatted(V))) {
            List<List<String>> seen = new ArrayList<>();
            String body = "x".repeat(2000);
            for (int port : t.ports()) {
                List<String> out = new ArrayList<>();
                for (String path : new String[] {"/one", "/two", "/soft", "/small"}) {
                    for (boolean withBody : new boolean[] {true, false}) {
                        String req = withBody ? "POST " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2000\r\n\r\n" + body
                                : "GET " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
                        String r = RawHttp.exchange(port, req, 5000);
                        out.add(path + (withBody ? " body: " : ": ") + RawHttp.status(r) + " " + r.substring(r.indexOf("\r\n\r\n") + 4).trim());
                    }
                }
                seen.add(out);
            }
            List<String> ours = seen.get(0);
            assertEquals("/two body: 500", ours.get(2).substring(0, 14), ours.toString());
            assertEquals("/two: 200 b=" + V + " c= d=0", ours.get(3), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }
}
