package io.haquark.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * rfc5424 log lines byte for byte as HAProxy 2.6 sends them (configuration.txt §4.2 "log-format-sd",
 * §3.1 "log-tag", "log-send-hostname"): the timestamp with microseconds and a numeric offset, "-"
 * for the host name unless log-send-hostname gives one, the tag, and the structured data that
 * log-format-sd formats ("-" without it). Only the timestamp and the pid differ between the two.
 */
class Rfc5424TwinTest {
    private static List<String> receive(DatagramSocket log, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        byte[] buf = new byte[4096];
        log.setSoTimeout(3000);
        while (lines.size() < count) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                log.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).trim();
            lines.add(line.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d", "TS")
                    .replaceAll(" haproxy \\d+ ", " haproxy PID "));
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void structuredDataTagAndHostAsHaproxy() throws Exception {
        try (Twin t = Twin.start("""
                global
                  log-tag haproxy
                  log-send-hostname edge-1
                """ + TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend sd
                  bind 127.0.0.1:@SD@
                  log 127.0.0.1:@LOG@ format rfc5424 local0
                  log-format "%ci %ST %HM"
                  log-format-sd [exampleSDID@1234\\ status=\\"%ST\\"\\ uri=\\"%HU\\"]
                  http-request return status 204
                frontend nosd
                  bind 127.0.0.1:@NOSD@
                  log 127.0.0.1:@LOG@ format rfc5424 local3
                  log-format "%ci %ST"
                  http-request return status 200
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                try (DatagramSocket log = new DatagramSocket(p.get("LOG"), InetAddress.getLoopbackAddress())) {
                    RawHttp.exchange(p.get("SD"), "GET /a?b=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 3000);
                    RawHttp.exchange(p.get("NOSD"), "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 3000);
                    seen.add(receive(log, 2));
                }
            }
            List<String> ours = seen.get(0);
            assertEquals(List.of("<134>1 TS edge-1 haproxy PID - [exampleSDID@1234 status=\"204\" uri=\"/a?b=1\"] 127.0.0.1 204 GET",
                    "<158>1 TS edge-1 haproxy PID - - 127.0.0.1 200"), ours);
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }
}
