package io.haquark.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tune.http.maxhdr, tune.bufsize with tune.maxrewrite, and timeout http-request against a
 * slowloris client: the same answers as HAProxy 2.6 on the same config.
 */
class ResourceLimitsTest {

    private static String statusLine(String raw) {
        return raw.isEmpty() ? "closed" : raw.lines().findFirst().orElse("");
    }

    @Test
    void headerCountBufferAndRewriteLimits() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        String big = "v".repeat(1500);
        try (Twin t = Twin.start("""
                global
                  tune.http.maxhdr 10
                  tune.bufsize 4096
                  tune.maxrewrite 1024
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request set-header X-Big %s if { path_beg /rewrite }
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(big, app.address()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> answers = new ArrayList<>();
                StringBuilder nine = new StringBuilder();
                StringBuilder twelve = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    (i < 8 ? nine : twelve).append("X-H").append(i).append(": ").append(i).append("\r\n");
                }
                answers.add("9 headers: " + statusLine(RawHttp.exchange(port, "GET /a HTTP/1.1\r\nHost: x\r\n" + nine
                        + "Connection: close\r\n\r\n", 5000)));
                answers.add("21 headers: " + statusLine(RawHttp.exchange(port, "GET /a HTTP/1.1\r\nHost: x\r\n" + nine + twelve
                        + "Connection: close\r\n\r\n", 5000)));
                String filler = "X-Fill: " + "f".repeat(2000) + "\r\n";
                answers.add("rewrite into the reserve: " + statusLine(RawHttp.exchange(port, "GET /rewrite HTTP/1.1\r\nHost: x\r\n"
                        + filler + "Connection: close\r\n\r\n", 5000)));
                answers.add("small request, same rewrite: " + statusLine(RawHttp.exchange(port, "GET /rewrite HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n", 5000)));
                seen.add(answers);
            }
            assertTrue(seen.get(0).get(0).endsWith("200 OK"), seen.get(0).toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }

    /** One header byte every 300 ms: timeout http-request ends it with 408 after ~1 s, as HAProxy. */
    @Test
    void slowlorisGets408() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 5s
                  timeout connect 1s
                  timeout http-request 1s
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(app.address()))) {
            List<String> seen = new ArrayList<>();
            for (int port : t.ports()) {
                long start = System.currentTimeMillis();
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    byte[] req = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    InputStream in = s.getInputStream();
                    int i = 0;
                    try {
                        while (i < req.length && System.currentTimeMillis() - start < 4000) {
                            out.write(req[i++]);
                            out.flush();
                            Thread.sleep(300);
                            if (in.available() > 0) {
                                break;
                            }
                        }
                    } catch (java.io.IOException closed) {
                        // the proxy closed while we were still sending
                    }
                    String raw = RawHttp.readAll(in);
                    long took = System.currentTimeMillis() - start;
                    seen.add(statusLine(raw));
                    assertTrue(took < 3000, "ended after " + took + " ms");
                }
            }
            assertTrue(seen.get(0).startsWith("HTTP/1.1 408"), seen.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }
}
