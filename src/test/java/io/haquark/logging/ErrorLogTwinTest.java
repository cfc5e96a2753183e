package io.haquark.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Syslog;
import io.haquark.support.Twin;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Connections that fail before a request (configuration.txt "error-log-format", fc_err,
 * fc_err_str): a TLS handshake refused, closed or timed out, a PROXY header truncated, absent,
 * foreign or invalid. HAProxy 2.6 logs each with error-log-format, or as "<src> [<date>]
 * <frontend>/<bind>: <error>" when the frontend logs with a format; the same lines here.
 */
class ErrorLogTwinTest {
    private static final Path CERT = Path.of(System.getProperty("haquark.corpus", "src/test/resources/corpus"))
            .resolve("files/cert.pem").toAbsolutePath();

    private static void send(int port, String data, long holdMs) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            if (data != null) {
                s.getOutputStream().write(data.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            Thread.sleep(holdMs);
        }
    }

    @Test
    void failedConnectionsAreLoggedAsHaproxyLogsThem() throws Exception {
        try (Twin t = Twin.start("""
                defaults
                  mode http
                  timeout client 800ms
                  timeout server 5s
                  timeout connect 1s
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend f
                  bind 127.0.0.1:@TLS@ ssl crt %1$s
                  bind 127.0.0.1:@PP@ accept-proxy name pp
                  log 127.0.0.1:@LOG@ local0
                  option httplog
                  http-request return status 200
                frontend g
                  bind 127.0.0.1:@TLSG@ ssl crt %1$s
                  bind 127.0.0.1:@PPG@ accept-proxy
                  log 127.0.0.1:@LOG@ local1
                  error-log-format "ERR %%ci %%[fc_err] %%[fc_err_str] %%ft %%b %%s %%ST %%[so_id]"
                  http-request return status 200
                frontend quiet
                  bind 127.0.0.1:@TLSQ@ ssl crt %1$s
                  log 127.0.0.1:@LOG@ local2
                  http-request return status 200
                """.formatted(CERT))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                try (DatagramSocket log = new DatagramSocket(p.get("LOG"), InetAddress.getLoopbackAddress())) {
                    for (String tls : new String[] {"TLS", "TLSG", "TLSQ"}) {
                        send(p.get(tls), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200);
                        send(p.get(tls), null, 0);
                    }
                    send(p.get("TLSG"), null, 1300);          // past timeout client
                    for (String pp : new String[] {"PP", "PPG"}) {
                        send(p.get(pp), "GARBAGE\r\n\r\n", 200);
                        send(p.get(pp), "GET / HTTP/1.1\r\nHost: abcdefghijklmnop\r\n\r\n", 200);
                        send(p.get(pp), "PROXY TCP4 1.2.3.4 x 1 2\r\n", 200);
                        send(p.get(pp), null, 0);
                    }
                    List<String> lines = new ArrayList<>();
                    for (String l : Syslog.drain(log)) {
                        lines.add(l.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:P").replaceAll("\\[\\d\\d/\\w+/\\d{4}:[\\d:.]+\\]", "[date]"));
                    }
                    lines.sort(null);
                    seen.add(lines);
                }
            }
            List<String> ours = seen.get(0);
            String report = String.join("\n", ours);
            assertTrue(ours.contains("<134> 127.0.0.1:P [date] f/1: SSL handshake failure"), report);
            assertTrue(ours.contains("<142> ERR 127.0.0.1 26 Timeout during SSL handshake g~ g <NOSRV> 0 1"), report);
            assertTrue(ours.contains("<134> 127.0.0.1:P [date] f/pp: Received an invalid PROXY protocol header"), report);
            if (seen.size() > 1) {
                assertEquals(String.join("\n", seen.get(1)), report, "haquark vs HAProxy");
            }
        }
    }
}
