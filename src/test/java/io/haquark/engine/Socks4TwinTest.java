package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * server "socks4" and "check-via-socks4" (configuration.txt §5.2): requests, and checks when asked,
 * reach the server through a SOCKS4 proxy; the CONNECT requests the proxy receives (command,
 * port, address, and the user id "HAProxy", which HAProxy sends) and the answers are HAProxy 2.6's.
 */
class Socks4TwinTest {
    @Test
    void requestsAndChecksGoThroughTheProxy() throws Exception {
        List<String> connects = new CopyOnWriteArrayList<>();
        try (SocketServer app = new SocketServer((c, n) -> {
            InputStream in = c.getInputStream();
            String head;
            while ((head = SocketServer.readHead(in)) != null) {
                String body = head.substring(0, head.indexOf("\r\n"));
                c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        });
             SocketServer socks = new SocketServer((c, n) -> {
                 DataInputStream in = new DataInputStream(c.getInputStream());
                 byte[] req = new byte[8];
                 in.readFully(req);
                 StringBuilder user = new StringBuilder();
                 for (int b = in.read(); b > 0; b = in.read()) {
                     user.append((char) b);
                 }
                 int port = ((req[2] & 0xff) << 8) | (req[3] & 0xff);
                 connects.add(HexFormat.of().formatHex(req, 0, 2) + " " + (port == app.port() ? "APP" : port) + " "
                         + HexFormat.of().formatHex(req, 4, 8) + " user='" + user + "'");
                 OutputStream out = c.getOutputStream();
                 out.write(new byte[] {0, 0x5a, 0, 0, 0, 0, 0, 0});
                 try (Socket up = new Socket(InetAddress.getByAddress(java.util.Arrays.copyOfRange(req, 4, 8)), port)) {
                     Thread pump = new Thread(() -> {
                         try {
                             up.getInputStream().transferTo(out);
                         } catch (Exception ignored) {
                             // one side closed
                         }
                     });
                     pump.start();
                     try {
                         in.transferTo(up.getOutputStream());
                     } catch (Exception ignored) {
                         // one side closed
                     }
                     pump.join(2000);
                 }
             });
             Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                     frontend probe
                       bind 127.0.0.1:@FE@
                       http-request return status 200
                     frontend f
                       bind 127.0.0.1:@F@
                       default_backend b
                     backend b
                       option httpchk GET /check
                       http-reuse never
                       server s 127.0.0.1:%d socks4 127.0.0.1:%d check check-via-socks4 inter 30s
                     """.formatted(app.port(), socks.port()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int port = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("F");
                Thread.sleep(700);                         // a check has gone through the proxy
                connects.clear();
                List<String> r = new ArrayList<>();
                r.add(RawHttp.exchange(port, "GET /one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000));
                Thread.sleep(600);
                r.add(connects.stream().distinct().sorted().toList().toString());
                seen.add(r);
            }
            List<String> ours = seen.get(0);
            assertTrue(ours.get(0).endsWith("GET /one HTTP/1.1"), ours.toString());
            assertEquals("[0401 APP 7f000001 user='HAProxy']", ours.get(1), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }
}
