package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tarpit, silent-drop and the json / ipmask / url_dec converters, against HAProxy. */
class MoreActionsTest {

    @Test
    void tarpitSilentDropAndConverters() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                  timeout tarpit 300ms
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request tarpit if { path_beg /trap }
                  http-request silent-drop if { path_beg /drop }
                  http-request set-header X-Net %%[src,ipmask(24)]
                  http-request set-header X-Dec %%[url_param(q),url_dec]
                  http-request set-header X-Json %%[req.hdr(x-in),json]
                  default_backend b
                backend b
                  server app %s
                """.formatted(app.address()))) {
            for (int port : t.ports()) {
                long start = System.nanoTime();
                String trap = RawHttp.exchange(port, "GET /trap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertEquals(500, RawHttp.status(trap), "port " + port + " " + trap);
                assertTrue(ms >= 250, "held for timeout tarpit: " + ms + " ms");
                String drop = RawHttp.exchange(port, "GET /drop HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
                // No answer at all: haquark closes; HAProxy even hides the close from the client (it times out).
                assertTrue(RawHttp.status(drop) < 0, "port " + port + " no answer: " + drop);
                RawHttp.exchange(port, "GET /c?q=a%20b%2Fc HTTP/1.1\r\nHost: x\r\nX-In: say \"hi\"\\\r\nConnection: close\r\n\r\n", 5000);
                Map<String, String> h = app.seenHeaders.get(app.seenHeaders.size() - 1);
                assertEquals("127.0.0.0", h.get("x-net"), "port " + port);
                assertEquals("a b/c", h.get("x-dec"), "port " + port);
                assertEquals("say \\\"hi\\\"\\\\", h.get("x-json"), "port " + port);
            }
        } finally {
            app.close();
        }
    }

    @Test
    void setTimeoutServerAndSilentLogLevel() throws Exception {
        TestBackend slow = new TestBackend(TestVertx.get(), "slow").handler(req ->
                TestVertx.get().setTimer(1200, id -> req.response().end("late")));
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request set-log-level silent if { path /short }
                  default_backend b
                backend b
                  http-request set-timeout server 300ms if { path /short }
                  http-request set-timeout server int(400) if { path /expr }
                  server s %s
                """.formatted(slow.address()))) {
            for (int port : t.ports()) {
                for (String[] c : new String[][] {{"/short", "504"}, {"/expr", "504"}, {"/long", "200"}}) {
                    long start = System.nanoTime();
                    String raw = RawHttp.exchange(port, "GET " + c[0] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(Integer.parseInt(c[1]), RawHttp.status(raw), c[0] + " on port " + port);
                    if (c[1].equals("504")) {
                        assertTrue(ms < 1100, c[0] + " took " + ms + " ms on port " + port);
                    }
                }
            }
        } finally {
            slow.close();
        }
    }
}
