package io.haquark.rules;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Http;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classic rate-limit recipe with a stick table: 429 past the rate, back to 200 after the period. */
class RateLimitTest {

    @Test
    void denies429AfterTheRateAndRecovers() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  stick-table type ip size 100k expire 10s store http_req_rate(1s),http_req_cnt
                  http-request track-sc0 src
                  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 5 }
                  default_backend b
                backend b
                  server app %s
                """.formatted(app.address()))) {
            for (int port : t.ports()) {
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    codes.add(Http.get(port, "/r" + i).statusCode());
                }
                assertEquals(List.of(200, 200, 200, 200, 200, 429, 429, 429), codes, "port " + port);
                Thread.sleep(2100);
                assertEquals(200, Http.get(port, "/later").statusCode(), "port " + port + " recovered");
            }
            var table = t.haquark.engine.routing().table("f");
            assertEquals(1, table.size());
            assertEquals(9L, table.lookup("127.0.0.1").httpReqCnt.get());
        } finally {
            app.close();
        }
    }
}
