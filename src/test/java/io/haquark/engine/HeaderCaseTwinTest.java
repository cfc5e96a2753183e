package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Options of HTTP/1 peers that mind details (configuration.txt §3.2, §4.2): global h1-case-adjust
 * and h1-case-adjust-file with option h1-case-adjust-bogus-client / -server (names in a given
 * case towards HTTP/1 clients and servers), option http-use-proxy-header, option checkcache (the
 * answer goes through), each compared byte for byte with HAProxy 2.6.
 */
class HeaderCaseTwinTest {
    @Test
    void headerNamesAndProxyOptionsAsHaproxy() throws Exception {
        Path file = Files.createTempFile("case", ".txt");
        Files.writeString(file, "# names for a bogus client\nx-request-id X-Request-ID\n\netag ETag\n");
        try (SocketServer server = new SocketServer((c, n) -> {
            while (true) {
                String head = SocketServer.readHead(c.getInputStream());
                if (head == null) {
                    return;
                }
                String seen = head.replace("\r\n", "|");
                String extra = head.contains("GET /cache") ? "Set-Cookie: s=1\r\nCache-Control: max-age=60\r\n" : "";
                c.getOutputStream().write(("HTTP/1.1 200 OK\r\nEtag: \"v1\"\r\nX-Request-Id: 7\r\nProxy-Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n" + extra + "Content-Length: "
                        + seen.length() + "\r\n\r\n" + seen).getBytes(StandardCharsets.ISO_8859_1));
            }
        });
             Twin t = Twin.start("""
                     global
                       h1-case-adjust content-length Content-Length
                       h1-case-adjust x-forwarded-for X-Forwarded-For
                       h1-case-adjust-file %s
                     """.formatted(file) + TestConfigs.HTTP_DEFAULTS + """
                     frontend probe
                       bind 127.0.0.1:@FE@
                       http-request return status 200
                     frontend adjusted
                       bind 127.0.0.1:@ADJ@
                       option h1-case-adjust-bogus-client
                       option http-use-proxy-header
                       default_backend adjusted
                     frontend plain
                       bind 127.0.0.1:@PLAIN@
                       default_backend plain
                     backend adjusted
                       option h1-case-adjust-bogus-server
                       option forwardfor
                       option checkcache
                       server s 127.0.0.1:%1$d
                     backend plain
                       option forwardfor
                       server s 127.0.0.1:%1$d
                     """.formatted(server.port()))) {
            List<List<String>> seen = new ArrayList<>();
            String[] requests = {
                "GET /a HTTP/1.1\r\nHost: x\r\nX-Request-Id: 9\r\nKeep-Alive: 300\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                "GET http://x/b HTTP/1.1\r\nHost: x\r\nProxy-Connection: close\r\nConnection: close\r\n\r\n",
                "GET /c HTTP/1.0\r\nHost: x\r\nProxy-Connection: keep-alive\r\n\r\n",
                "GET /cache HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"};
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                List<String> r = new ArrayList<>();
                for (String req : requests) {
                    r.add("adjusted: " + RawHttp.exchange(p.get("ADJ"), req, 3000));
                    r.add("plain: " + RawHttp.exchange(p.get("PLAIN"), req, 3000));
                }
                seen.add(r);
            }
            List<String> ours = seen.get(0);
            assertTrue(ours.get(0).contains("Content-Length: ") && ours.get(0).contains("ETag: ") && ours.get(0).contains("X-Request-ID: 7")
                    && ours.get(0).contains("|X-Request-ID: 9|") && ours.get(0).contains("|X-Forwarded-For: "), ours.get(0));
            assertTrue(ours.get(1).contains("content-length: ") && ours.get(1).contains("|x-request-id: 9|"), ours.get(1));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
