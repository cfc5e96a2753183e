package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tcp-request connection track-sc0: the connection counts in conn_cur/conn_rate, and rules see it. */
class ConnectionTrackingTest {

    @Test
    void connectionRateLimitRejectsAtLayer4LikeHAProxy() throws Exception {
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  stick-table type ip size 1k expire 10s store conn_cur,conn_cnt,conn_rate(2s),http_req_cnt
                  tcp-request connection track-sc0 src
                  tcp-request connection reject if { sc_conn_rate(0) gt 3 }
                  http-request return status 200 content-type text/plain lf-string "cur=%[sc_conn_cur(0)] cnt=%[sc_conn_cnt(0)] rate=%[sc_conn_rate(0)] req=%[sc_http_req_cnt(0)]"
                """)) {
            // HAProxyProcess connected once (HAProxy counts that empty connection as an aborted request) to see HAProxy listening; give haquark the same first connection.
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", t.ports().get(0))) {
                probe.setSoLinger(true, 0);
            }
            Thread.sleep(100);
            List<List<String>> seen = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String raw;
                    try {
                        raw = RawHttp.exchange(port, "GET /c" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                    } catch (java.net.SocketException reset) {
                        raw = "";
                    }
                    bodies.add(!raw.startsWith("HTTP/") ? "rejected" : raw.substring(raw.indexOf("\r\n\r\n") + 4));
                    // Both proxies release the tracked entry just after the close reaches the client;
                    // without a pause conn_cur of the next connection races with that release (seen in CI on HAProxy).
                    Thread.sleep(60);
                }
                seen.add(bodies);
            }
            assertEquals(List.of("cur=1 cnt=2 rate=2 req=2", "cur=1 cnt=3 rate=3 req=3", "rejected",
                    "rejected", "rejected"), seen.get(0), "haquark");
            assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
        }
    }

    /**
     * http-request track-sc0: HAProxy counts each tracking stream (each request) in conn_cnt,
     * conn_rate and conn_cur of the entry, also on a kept-alive connection (reg-test
     * stick-table/src_conn_rate). haquark counted nothing before.
     */
    @Test
    void httpRequestTrackingCountsEachStreamLikeHAProxy() throws Exception {
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                listen li
                  bind 127.0.0.1:@FE@
                  http-request track-sc0 src table t
                  http-request deny if { src_conn_rate(t) gt 3 }
                  http-request return status 200 content-type text/plain lf-string "cnt=%[sc0_conn_cnt] rate=%[src_conn_rate(t)] cur=%[sc0_conn_cur]"
                backend t
                  stick-table type ip size 1m expire 1m store conn_rate(1m),conn_cnt,conn_cur
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> answers = new ArrayList<>();
                // Two requests on one kept-alive connection, then three on connections of their own.
                String two = RawHttp.exchange(port, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                for (String part : two.split("HTTP/1.1 ")) {
                    if (!part.isEmpty()) {
                        answers.add(part.substring(0, 3) + " " + part.substring(part.indexOf("\r\n\r\n") + 4).replaceAll("HTTP.*", ""));
                    }
                }
                for (int i = 0; i < 3; i++) {
                    // HAProxy releases a closed stream's tracking a moment after the client has read the
                    // close: give it that moment, or conn_cur races (seen as cur=2 in CI once).
                    Thread.sleep(100);
                    String raw = RawHttp.exchange(port, "GET /c" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                    answers.add(raw.substring(9, 12) + " " + (raw.startsWith("HTTP/1.1 200") ? raw.substring(raw.indexOf("\r\n\r\n") + 4) : ""));
                }
                seen.add(answers);
            }
            assertEquals(List.of("200 cnt=1 rate=1 cur=1", "200 cnt=2 rate=2 cur=1", "200 cnt=3 rate=3 cur=1",
                    "403 ", "403 "), seen.get(0), "haquark");
            assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
        }
    }
}
