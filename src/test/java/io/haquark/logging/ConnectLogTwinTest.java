package io.haquark.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.Syslog;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A frontend that logs without a format (no option httplog, tcplog nor log-format) logs each
 * connection once as it is accepted: "Connect from <src> to <dst> (<frontend>/<MODE>)", with the
 * addresses of a PROXY header when there is one, as HAProxy 2.6 does; with httplog, the usual
 * line instead.
 */
class ConnectLogTwinTest {

    /** The lines received, sorted; loopback ports, dates and timers vary from run to run. */
    private static List<String> drain(DatagramSocket log) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Syslog.drain(log)) {
            lines.add(line.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:P").replaceAll("\\[\\d\\d/\\w+/\\d{4}:[\\d:.]+\\]", "[date]")
                    .replaceAll(" \\d+/\\d+/\\d+/\\d+/\\d+ ", " T ").replaceAll(" \\d+/\\d+/\\d+ ", " T ")
                    // Bytes of an http-request return answer: HAProxy counts 49 for the 57 it sends (not this test's subject).
                    .replaceAll(" 200 \\d+ ", " 200 B "));
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void connectionsAreLoggedOnceWithoutAFormatLikeHAProxy() throws Exception {
        try (Twin t = Twin.start("""
                global
                  log 127.0.0.1:@LOG@ local0
                """ + TestConfigs.HTTP_DEFAULTS + """
                  log global
                frontend plain
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend proxied
                  bind 127.0.0.1:@PP@ accept-proxy
                  http-request return status 200
                frontend formatted
                  option httplog
                  bind 127.0.0.1:@HL@
                  http-request return status 200
                frontend tcp
                  mode tcp
                  bind 127.0.0.1:@TCP@
                  default_backend relay
                backend relay
                  mode tcp
                  server s 127.0.0.1:@HL@
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> extra = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                String get = "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
                try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                    List<String> out = new ArrayList<>();
                    RawHttp.exchange(t.ports().get(i), get, 5000);
                    out.addAll(drain(log));
                    RawHttp.exchange(extra.get("PP"), "PROXY TCP4 10.1.2.3 10.9.8.7 1111 2222\r\n" + get, 5000);
                    out.addAll(drain(log));
                    RawHttp.exchange(extra.get("TCP"), get, 5000);
                    out.addAll(drain(log));
                    seen.add(out);
                }
            }
            List<String> ours = seen.get(0);
            String report = String.join("\n", ours);
            assertEquals("<134> Connect from 127.0.0.1:P to 127.0.0.1:P (plain/HTTP)", ours.get(0), report);
            assertEquals("<134> Connect from 10.1.2.3:1111 to 10.9.8.7:2222 (proxied/HTTP)", ours.get(1), report);
            if (seen.size() > 1) {
                assertEquals(String.join("\n", seen.get(1)), report, "haquark vs HAProxy");
            }
        }
    }
}
