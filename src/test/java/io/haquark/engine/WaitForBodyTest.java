package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * http-request wait-for-body (configuration.txt §4.2), the first rule that yields: the rules
 * stop until the body (or "at-least" bytes of it) is in, then go on with req.body visible;
 * 408 when it does not come in time. Compared with HAProxy 2.6 when it is installed.
 */
class WaitForBodyTest {

    @Test
    void rulesResumeWithTheBodyOrAnswer408() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request wait-for-body time 300ms if { path /a }
                  http-request wait-for-body time 2s at-least 1000 if { path /b }
                  http-request deny deny_status 403 if { req.body -m sub secret }
                  http-request set-header X-Body-Len %%[req.body_len]
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                // The body comes 100 ms after the headers: the rule waits for it, and the deny sees it.
                assertEquals(403, post(port, "/a", "a secret word", "a secret word".length(), 100), who);
                // Without wait-for-body the rules ran on the headers alone.
                assertEquals(200, post(port, "/c", "a secret word", "a secret word".length(), 100), who);
                // Announced 100 bytes, sent 13 and stopped: the wait ends with 408.
                assertEquals(408, post(port, "/a", "a secret word", 100, 0), who);
                // at-least 1000: the rules go on once 1000 of the 1500 bytes are in.
                backend.seenHeaders.clear();
                assertEquals(200, post(port, "/b", "x".repeat(1500), 1500, 100), who);
                Map<String, String> h = backend.seenHeaders.get(0);
                long seen = Long.parseLong(h.get("x-body-len"));
                assertTrue(seen >= 1000 && seen <= 1500, who + " saw a body of " + seen + " bytes at the rules");
            }
        } finally {
            backend.close();
        }
    }

    @Test
    void optionHttpBufferRequestMakesTheRulesSeeTheBody() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                  option http-buffer-request
                  timeout http-request 500ms
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request deny deny_status 403 if { req.body -m sub secret }
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                assertEquals(403, post(port, "/x", "a secret word", "a secret word".length(), 100), who);
                assertEquals(200, post(port, "/x", "a public word", "a public word".length(), 100), who);
                assertEquals(408, post(port, "/x", "a secret word", 100, 0), who);
            }
        } finally {
            backend.close();
        }
    }

    @Test
    void responseRulesWaitForTheResponseBodyOr504() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1").handler(req -> {
            var res = req.response().putHeader("content-length", "20");
            res.write("0123456789");
            if (req.path().equals("/slow")) {
                TestVertx.get().setTimer(150, id -> res.end("abcdefghij"));
            } else {
                // /stall: the rest never comes (the connection closes after a while).
                TestVertx.get().setTimer(3000, id -> req.connection().close());
            }
        });
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  http-response wait-for-body time 400ms if { status 200 }
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                String slow = RawHttp.exchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(slow), who + ": " + slow);
                assertTrue(slow.endsWith("0123456789abcdefghij"), who + ": " + slow);
                String stall = RawHttp.exchange(port, "GET /stall HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(504, RawHttp.status(stall), who + ": " + stall);
            }
        } finally {
            backend.close();
        }
    }

    /** Sends the headers, waits, then the body in two halves; returns the status (0 when closed without one). */
    private static int post(int port, String path, String body, int contentLength, int delayMs) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + contentLength
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(delayMs);
            byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
            int half = b.length / 2;
            out.write(b, 0, half);
            out.flush();
            Thread.sleep(delayMs / 2);
            out.write(b, half, b.length - half);
            out.flush();
            InputStream in = s.getInputStream();
            return RawHttp.status(RawHttp.readAll(in));
        }
    }
}
