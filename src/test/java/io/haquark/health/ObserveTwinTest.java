package io.haquark.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.SocketServer;
import io.haquark.support.Syslog;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Health observing (configuration.txt §5.2 "observe", "error-limit", "on-error"): a server whose
 * checks pass but whose answers are 500 is taken down after "error-limit" consecutive errors,
 * by mark-down, or by fail-check with "fall 1"; the requests after it get 503 and the log says
 * "reason: Health analyze". Compared with HAProxy 2.6.
 */
class ObserveTwinTest {

    @Test
    void errorsInTheTrafficTakeTheServerDown() throws Exception {
        try (SocketServer app = new SocketServer((c, n) -> {
            InputStream in = c.getInputStream();
            String head;
            while ((head = SocketServer.readHead(in)) != null) {
                String status = head.startsWith("GET /health") ? "200 OK" : "500 Internal Server Error";
                c.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        })) {
            String cfg = """
                    global
                      log 127.0.0.1:@LOG@ local0
                    defaults
                      mode http
                      timeout connect 1s
                      timeout client 5s
                      timeout server 5s
                    listen probed
                      bind 127.0.0.1:@FE@
                      http-request return status 200
                    backend b1
                      log global
                      option httpchk GET /health
                      server s1 127.0.0.1:%1$d check inter 20s observe layer7 error-limit 2 on-error mark-down
                    backend b2
                      log global
                      option httpchk GET /health
                      server s2 127.0.0.1:%1$d check inter 20s fall 1 rise 2 observe layer7 error-limit 3 on-error fail-check
                    frontend f
                      bind 127.0.0.1:@F@
                      use_backend b2 if { path_beg /b2 }
                      default_backend b1
                    """.formatted(app.port());
            try (Twin twin = Twin.start(cfg)) {
                List<String> seen = new ArrayList<>();
                for (int instance : twin.ports()) {
                    Map<String, Integer> extra = instance == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                    Thread.sleep(1500);                     // the first checks have passed
                    List<String> out = new ArrayList<>();
                    try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                        StringBuilder codes = new StringBuilder();
                        for (String path : List.of("/a", "/a", "/a", "/b2", "/b2", "/b2", "/b2")) {
                            codes.append(RawHttp.status(RawHttp.exchange(extra.get("F"),
                                    "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000))).append(' ');
                        }
                        out.add(codes.toString().trim());
                        for (String line : Syslog.drain(log, 4)) {
                            out.add(line.replaceAll("\\d+ sessions active", "N sessions active"));
                        }
                    }
                    seen.add(String.join("\n", out));
                }
                String ours = seen.get(0);
                assertEquals(true, ours.startsWith("500 500 503 500 500 500 503"), ours);
                if (seen.size() > 1) {
                    assertEquals(seen.get(1), ours, "HAProxy vs haquark");
                }
            }
        }
    }
}
