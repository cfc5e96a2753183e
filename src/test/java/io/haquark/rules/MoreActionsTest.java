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
}
