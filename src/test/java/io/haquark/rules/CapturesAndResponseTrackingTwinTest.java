package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.runtime.RuntimeApiTestAccess;
import io.haquark.support.RawHttp;
import io.haquark.support.Syslog;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Actions that were accepted and skipped until now: "tcp-request content capture" (a slot of its
 * own, in %hr and capture.req.hdr), "tcp-request content set-log-level silent", "http-response
 * track-sc0" (the entry counts the request and its bytes as a request-side track would) and
 * "http-after-response capture ... id". Logs and "show table" compared with HAProxy 2.6.
 */
class CapturesAndResponseTrackingTwinTest {

    @Test
    void capturesLogLevelsAndResponseTracking() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        String cfg = """
                global
                  stats socket ipv4@127.0.0.1:@CLI@ level admin
                  log 127.0.0.1:@LOG@ local0
                defaults
                  log global
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend probed
                  mode http
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend tcpfe
                  mode tcp
                  bind 127.0.0.1:@TCP@
                  tcp-request inspect-delay 1s
                  tcp-request content capture req.payload(0,3) len 2
                  tcp-request content set-log-level silent if { req.payload(0,1) -m str q }
                  tcp-request content reject
                  log-format "tcp cap=%%[capture.req.hdr(0)] hr=%%hr"
                backend t
                  stick-table type ip size 10 store conn_cnt,http_req_cnt,http_err_cnt,gpc0,sess_cnt
                listen web
                  mode http
                  bind 127.0.0.1:@WEB@
                  declare capture response len 10
                  log-format "web cap=%%[capture.res.hdr(0)] st=%%ST"
                  http-response track-sc0 src table t
                  http-response sc-inc-gpc0(0)
                  http-after-response capture status id 0
                  server s %s
                """.formatted(app.address());
        try (app; Twin twin = Twin.start(cfg)) {
            List<String> seen = new ArrayList<>();
            for (int instance : twin.ports()) {
                Map<String, Integer> extra = instance == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                List<String> out = new ArrayList<>();
                try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                    RawHttp.exchange(extra.get("TCP"), "abcdef", 3000);
                    RawHttp.exchange(extra.get("TCP"), "qrstuv", 3000);
                    RawHttp.exchange(extra.get("TCP"), "xyz", 3000);
                    for (int i = 0; i < 2; i++) {
                        out.add("status " + RawHttp.status(RawHttp.exchange(extra.get("WEB"),
                                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000)));
                    }
                    List<String> lines = new ArrayList<>(Syslog.drain(log, 4));
                    lines.sort(null);                  // the two TCP streams end in either order
                    out.addAll(lines);
                }
                out.add(RuntimeApiTestAccess.tcp(extra.get("CLI"), "show table t").replaceAll("0x[0-9a-f]+:", "0x:"));
                seen.add(String.join("\n", out));
            }
            String ours = seen.get(0);
            assertEquals(true, ours.contains("tcp cap=ab hr={ab}") && !ours.contains("cap=qr") && ours.contains("gpc0=2"), ours);
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "HAProxy vs haquark");
            }
        }
    }
}
