package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import org.junit.jupiter.api.Test;

/**
 * rate-limit sessions 5 (configuration.txt §4.2): 15 connections one after the other all get
 * their answer (none refused: they wait in the backlog), the first five at once and the rest at
 * about five a second, so the run takes 2-3 s on HAProxy 2.6 and must take as long here.
 */
class RateLimitSessionsTwinTest {

    @Test
    void connectionsBeyondTheRateWaitTheirTurn() throws Exception {
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  rate-limit sessions 5
                  http-request return status 200
                """;
        try (Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                // A second of quiet: the limit counts over a sliding second.
                Thread.sleep(1100);
                long start = System.nanoTime();
                for (int i = 0; i < 15; i++) {
                    String answer = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10000);
                    assertEquals(200, RawHttp.status(answer), who + " #" + i + ": " + answer);
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= 1500 && ms <= 6000, who + ": 15 sessions at 5/s took " + ms + " ms");
            }
        }
    }
}
