package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * option prefer-last-server (configuration.txt §4.2): a keep-alive client's requests stay on the
 * server its first one reached, where roundrobin alone rotates them; the same servers answer
 * through haquark as through HAProxy 2.6.
 */
class PreferLastServerTwinTest {
    private static List<String> fiveRequests(int port) throws Exception {
        List<String> got = new ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 5; i++) {
                out.write(("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String head = SocketServer.readHead(in);
                int len = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                got.add(new String(in.readNBytes(len), StandardCharsets.ISO_8859_1));
            }
        }
        return got;
    }

    @Test
    void keepAliveRequestsStayOnTheirServer() throws Exception {
        List<SocketServer> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "s" + i;
            servers.add(new SocketServer((c, n) -> {
                while (SocketServer.readHead(c.getInputStream()) != null) {
                    c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + name).getBytes(StandardCharsets.ISO_8859_1));
                    c.getOutputStream().flush();
                }
            }));
        }
        String pool = "";
        for (int i = 0; i < 3; i++) {
            pool += "  server s" + (i + 1) + " 127.0.0.1:" + servers.get(i).port() + "\n";
        }
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend last
                  bind 127.0.0.1:@LAST@
                  default_backend last
                frontend rr
                  bind 127.0.0.1:@RR@
                  default_backend rr
                frontend never
                  bind 127.0.0.1:@NEVER@
                  default_backend never
                backend last
                  option prefer-last-server
                  max-keep-alive-queue 10
                %s
                backend rr
                %s
                backend never
                  option prefer-last-server
                  http-reuse never
                %s
                """.formatted(pool, pool, pool))) {
            List<List<String>> runs = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                List<String> r = new ArrayList<>();
                r.addAll(fiveRequests(p.get("LAST")));
                r.addAll(fiveRequests(p.get("RR")));
                r.addAll(fiveRequests(p.get("NEVER")));
                runs.add(r);
            }
            List<String> ours = runs.get(0);
            assertEquals(3, ours.subList(5, 10).stream().distinct().count(), ours.toString());
            if (runs.size() > 1) {
                assertEquals(runs.get(1), runs.get(0), "haquark vs HAProxy");
            }
        } finally {
            for (SocketServer s : servers) {
                s.close();
            }
        }
    }
}
