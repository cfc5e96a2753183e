package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What rules do to the client's TCP connection, as HAProxy 2.6 does it (configuration.txt §4.2):
 * silent-drop (no packet at all) and reject (a reset at layer 4, a close later), set-tos and
 * set-mark on the socket (read back with ss), expect-proxy layer4, and the 103 of early-hint;
 * set-priority-class ordering a server's queue.
 */
class Layer4ActionsTwinTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    /** What the client sees within 700 ms: "silent", "EOF", "RST" or the first line of data. */
    static String outcome(int port, String send) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(700);
            if (send != null) {
                s.getOutputStream().write(send.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            InputStream in = s.getInputStream();
            byte[] b = new byte[200];
            int n = in.read(b);
            if (n < 0) {
                return "EOF";
            }
            String got = new String(b, 0, n, StandardCharsets.ISO_8859_1);
            return got.contains("\r\n") ? got.substring(0, got.indexOf("\r\n")) : got;
        } catch (SocketTimeoutException e) {
            return "silent";
        } catch (SocketException e) {
            return "RST";
        }
    }

    @Test
    void dropsAndRejectsCloseAsHaproxyCloses() throws Exception {
        try (SocketServer server = new SocketServer((c, n) -> {
            c.getInputStream().read(new byte[100]);
            c.getOutputStream().write("pingpong".getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(300);
        });
             Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                     frontend probe
                       bind 127.0.0.1:@FE@
                       http-request return status 200
                     frontend l4drop
                       bind 127.0.0.1:@L4DROP@
                       tcp-request connection silent-drop
                     frontend l4reject
                       bind 127.0.0.1:@L4REJECT@
                       tcp-request connection reject
                     frontend sessdrop
                       bind 127.0.0.1:@SESSDROP@
                       tcp-request session silent-drop if { src 127.0.0.1 }
                     frontend httpdrop
                       bind 127.0.0.1:@HTTPDROP@
                       http-request silent-drop
                     frontend httpreject
                       bind 127.0.0.1:@HTTPREJECT@
                       http-request reject
                     frontend tcpdrop
                       mode tcp
                       bind 127.0.0.1:@TCPDROP@
                       tcp-request inspect-delay 1s
                       tcp-request content silent-drop if { req.len gt 0 }
                       default_backend echo
                     frontend tcpreject
                       mode tcp
                       bind 127.0.0.1:@TCPREJECT@
                       tcp-request inspect-delay 1s
                       tcp-request content reject if { req.len gt 0 }
                       default_backend echo
                     frontend resdrop
                       mode tcp
                       bind 127.0.0.1:@RESDROP@
                       default_backend echodrop
                     backend echo
                       mode tcp
                       server s 127.0.0.1:%1$d
                     backend echodrop
                       mode tcp
                       tcp-response inspect-delay 1s
                       tcp-response content silent-drop if { res.payload(0,4) -m str ping }
                       server s 127.0.0.1:%1$d
                     """.formatted(server.port()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                List<String> r = new ArrayList<>();
                r.add("connection silent-drop, nothing sent: " + outcome(p.get("L4DROP"), null));
                r.add("connection reject: " + outcome(p.get("L4REJECT"), null));
                r.add("session silent-drop: " + outcome(p.get("SESSDROP"), null));
                r.add("http-request silent-drop: " + outcome(p.get("HTTPDROP"), REQUEST));
                r.add("http-request reject: " + outcome(p.get("HTTPREJECT"), REQUEST));
                r.add("tcp content silent-drop: " + outcome(p.get("TCPDROP"), "ping"));
                r.add("tcp content reject: " + outcome(p.get("TCPREJECT"), "ping"));
                r.add("tcp-response silent-drop: " + outcome(p.get("RESDROP"), "ping"));
                seen.add(r);
            }
            List<String> ours = seen.get(0);
            assertEquals("connection silent-drop, nothing sent: silent", ours.get(0), ours.toString());
            assertEquals("connection reject: RST", ours.get(1), ours.toString());
            assertEquals("http-request silent-drop: silent", ours.get(3), ours.toString());
            assertEquals("tcp-response silent-drop: silent", ours.get(7), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }

    /** The client connection's tos / fwmark / mss / keep-alive timer as ss shows them (server side of port). */
    static String socketView(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            s.getInputStream().read(new byte[100]);
            Process p = new ProcessBuilder("ss", "-tnieo", "--tos", "state", "established", "( sport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            p.waitFor();
            List<String> parts = new ArrayList<>();
            for (String re : new String[] {"%lo", "tos:0x[0-9a-f]+", "fwmark:0x[0-9a-f]+", "\\bmss:\\d+", "timer:\\(keepalive,(\\d+min)?"}) {
                Matcher m = Pattern.compile(re).matcher(out);
                parts.add(m.find() ? m.group() : "-");
            }
            return String.join(" ", parts);
        }
    }

    @Test
    void tosMarkMssAndKeepAliveOnTheClientSocket() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/ss").canExecute() || new java.io.File("/bin/ss").canExecute(),
                "SKIPPED: needs ss (iproute2)");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend marked
                  bind 127.0.0.1:@MARKED@
                  http-request set-tos 0x20
                  http-request set-mark 5
                  http-request return status 200
                frontend early
                  bind 127.0.0.1:@EARLY@ mss 1200 interface lo
                  option clitcpka
                  clitcpka-idle 77
                  tcp-request connection set-mark 0x7
                  http-request return status 200
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                seen.add(List.of(socketView(p.get("MARKED")), socketView(p.get("EARLY"))));
            }
            List<String> ours = seen.get(0);
            assertTrue(ours.get(0).startsWith("- tos:0x20 fwmark:0x5"), ours.toString());
            assertTrue(ours.get(1).startsWith("%lo") && ours.get(1).contains("fwmark:0x7") && ours.get(1).contains("timer:(keepalive,1min"),
                    ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }

    @Test
    void expectProxyAndEarlyHints() throws Exception {
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend pp
                  bind 127.0.0.1:@PP@
                  tcp-request connection expect-proxy layer4 if { src 127.0.0.1 }
                  http-request return status 200 content-type text/plain lf-string "%[src]:%[src_port] %[dst]:%[dst_port]"
                frontend hints
                  bind 127.0.0.1:@HINTS@
                  http-request early-hint link "</style.css>; rel=preload"
                  http-request early-hint link "</app.js>; rel=preload" if { path /two }
                  http-request early-hint link "</x.js>; rel=preload"
                  http-request set-var(txn.a) str(1)
                  http-request early-hint link "</y.js>; rel=preload"
                  http-request return status 200 content-type text/plain string ok
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                String proxied = io.haquark.support.RawHttp.exchange(p.get("PP"),
                        "PROXY TCP4 192.0.2.7 198.51.100.9 4242 8443\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                String one = io.haquark.support.RawHttp.exchange(p.get("HINTS"), "GET /one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                String two = io.haquark.support.RawHttp.exchange(p.get("HINTS"), "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
                String old = io.haquark.support.RawHttp.exchange(p.get("HINTS"), "GET /two HTTP/1.0\r\nHost: x\r\n\r\n", 3000);
                seen.add(List.of(proxied.substring(proxied.indexOf("\r\n\r\n") + 4), head103(one), head103(two), head103(old)));
            }
            List<String> ours = seen.get(0);
            assertEquals("192.0.2.7:4242 198.51.100.9:8443", ours.get(0), ours.toString());
            assertTrue(ours.get(2).startsWith("http/1.1 103 early hints"), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }

    /** The 103 answers before the final one (lower-cased), or "no 103". */
    private static String head103(String answer) {
        if (!answer.startsWith("HTTP/1.1 103")) {
            return "no 103: " + answer.substring(0, answer.indexOf("\r\n"));
        }
        return answer.substring(0, answer.indexOf("HTTP/1.1 200")).toLowerCase();
    }

    @Test
    void priorityClassOrdersTheQueue() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (SocketServer server = new SocketServer((c, n) -> {
            String head = SocketServer.readHead(c.getInputStream());
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            order.add(path);
            Thread.sleep(path.equals("/first") ? 600 : 50);
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
             Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                     frontend probe
                       bind 127.0.0.1:@FE@
                       http-request return status 200
                     frontend f
                       bind 127.0.0.1:@Q@
                       http-request set-priority-class int(10) if { path /low }
                       http-request set-priority-class int(-10) if { path /high }
                       http-request set-priority-offset int(-5000) if { path /soon }
                       default_backend one
                     backend one
                       server s 127.0.0.1:%d maxconn 1
                     """.formatted(server.port()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int port = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("Q");
                order.clear();
                List<Thread> clients = new ArrayList<>();
                for (String path : new String[] {"/first", "/low", "/plain", "/soon", "/high"}) {
                    Thread c = new Thread(() -> {
                        try {
                            io.haquark.support.RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                        } catch (Exception ignored) {
                            // the order is what is checked
                        }
                    });
                    c.start();
                    clients.add(c);
                    Thread.sleep(100);
                }
                for (Thread c : clients) {
                    c.join(6000);
                }
                seen.add(new ArrayList<>(order));
            }
            assertEquals(List.of("/first", "/high", "/soon", "/plain", "/low"), seen.get(0), seen.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }
}
