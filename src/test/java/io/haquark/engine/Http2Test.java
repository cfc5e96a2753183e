package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 from clients: ALPN h2 on a TLS bind and "proto h2" in clear, driven by curl (a real
 * h2 client), against HAProxy on the same config: status, protocol, what the server received.
 */
class Http2Test {

    static boolean curlAvailable() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 && out.contains("HTTP2");
        } catch (Exception e) {
            return false;
        }
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "curl ends");
        return out;
    }

    @Test
    void h2OverTlsAndInClearLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(curlAvailable(), "SKIPPED: curl with HTTP/2 is not installed");
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@ ssl crt %s alpn h2,http/1.1
                  bind 127.0.0.1:@H2C@ proto h2
                  http-request set-header X-Client-Ver %%[req.ver]
                  http-request set-header X-Ssl %%[ssl_fc]
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(TlsTest.CERT, app.address()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int tls = t.ports().get(i);
                int h2c = i == 0 ? t.haquarkExtra.get("H2C") : t.haproxyExtra.get("H2C");
                List<String> results = new ArrayList<>();
                app.seenHeaders.clear();
                String one = curl("-k", "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "https://127.0.0.1:" + tls + "/h2/a");
                results.add("h2 over TLS: " + one);
                Map<String, String> h = app.seenHeaders.get(0);
                results.add("server saw: " + h.get(":version") + " ver=" + h.get("x-client-ver") + " ssl=" + h.get("x-ssl")
                        + " internal headers=" + h.keySet().stream().filter(k -> k.startsWith("x-http2")).toList());
                // 20 requests as concurrent streams of one connection.
                List<String> urls = new ArrayList<>(List.of("-k", "--http2", "-Z", "--parallel-max", "20"));
                for (int k = 0; k < 20; k++) {
                    urls.addAll(List.of("-o", "/dev/null", "-w", "%{http_code}\\n", "https://127.0.0.1:" + tls + "/p" + k));
                }
                String many = curl(urls.toArray(new String[0]));
                results.add("20 parallel streams: " + many.lines().filter(l -> l.equals("200")).count() + " x 200");
                results.add("http/1.1 on the same bind: " + curl("-k", "--http1.1", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                        "https://127.0.0.1:" + tls + "/h1"));
                results.add("h2c prior knowledge: " + curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                        "http://127.0.0.1:" + h2c + "/h2c"));
                results.add("POST body over h2: " + curl("-k", "--http2", "-d", "hello=h2", "-o", "/dev/null", "-w", "%{http_code}",
                        "https://127.0.0.1:" + tls + "/post"));
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            assertEquals("h2 over TLS: 2 200", ours.get(0), ours.toString());
            assertEquals("server saw: HTTP_1_1 ver=2.0 ssl=1 internal headers=[]", ours.get(1), ours.toString());
            assertEquals("20 parallel streams: 20 x 200", ours.get(2));
            assertEquals("http/1.1 on the same bind: 1.1 200", ours.get(3));
            assertEquals("h2c prior knowledge: 2 200", ours.get(4));
            assertEquals("POST body over h2: 200", ours.get(5));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }

    /** server ... proto h2: the request reaches the server in HTTP/2, the answer (streamed, no length) the client whole. */
    @Test
    void h2ToServersLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(curlAvailable(), "SKIPPED: curl with HTTP/2 is not installed");
        TestBackend app = new TestBackend(TestVertx.get(), "app").handler(req -> {
            if (req.path().equals("/big")) {
                var r = req.response().setChunked(true).putHeader("x-version", req.version().name());
                io.vertx.core.buffer.Buffer chunk = io.vertx.core.buffer.Buffer.buffer("x".repeat(64 * 1024));
                for (int i = 0; i < 16; i++) {
                    r.write(chunk);
                }
                r.end();
                return;
            }
            req.body().onComplete(b -> req.response().putHeader("x-version", req.version().name())
                    .end("got " + (b.succeeded() ? b.result().length() : -1) + " bytes"));
        });
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend web
                backend web
                  server s1 %s proto h2
                """.formatted(app.address()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> results = new ArrayList<>();
                results.add(curl("-i", "http://127.0.0.1:" + port + "/small").lines()
                        .filter(l -> l.startsWith("HTTP/") || l.toLowerCase().startsWith("x-version") || l.startsWith("got")).toList().toString());
                // Only the server's own headers: none of the x-http2-* Netty's conversion adds.
                results.add(curl("-i", "http://127.0.0.1:" + port + "/small").lines().map(String::toLowerCase)
                        .filter(l -> l.startsWith("x-")).map(l -> l.substring(0, l.indexOf(':'))).toList().toString());
                results.add(curl("-d", "0123456789", "http://127.0.0.1:" + port + "/post"));
                results.add(curl("-o", "/dev/null", "-w", "%{http_code} %{size_download}", "http://127.0.0.1:" + port + "/big"));
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            assertTrue(ours.get(0).contains("x-version: HTTP_2") && ours.get(0).contains("got 0 bytes"), ours.toString());
            assertEquals("[x-served-by, x-version]", ours.get(1));
            assertEquals("got 10 bytes", ours.get(2));
            assertEquals("200 1048576", ours.get(3));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }
}
