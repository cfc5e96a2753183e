package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Servers spoken to in HTTP/2 ("server ... proto h2"): a client's requests share one HTTP/2
 * connection, so a chain h1 → h2 → h1 keeps one connection to the last server, as HAProxy does
 * (reg-tests http_bodyless_response, tcp_to_http_upgrade). HEAD answers carry no body whatever
 * the server sent ("http-request set-method GET"), and the body is drained, not cut. The h1
 * side refuses the method PRI (HTTP/2's preface) with 400, and "switch-mode http proto h1"
 * keeps a preface from becoming HTTP/2. Compared with HAProxy 2.6 on the same config.
 */
class H2ServerReuseTwinTest {

    /** A server that takes one connection at a time and notes which one each request came on. */
    static final class OneConnectionServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private int connections;

        OneConnectionServer() throws Exception {
            thread = new Thread(this::serve, "one-connection-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    c.setSoTimeout(3000);
                    int id = ++connections;
                    InputStream in = c.getInputStream();
                    OutputStream out = c.getOutputStream();
                    String head;
                    while ((head = readHead(in)) != null) {
                        String line = head.substring(0, head.indexOf('\r'));
                        String lower = head.toLowerCase();
                        if (lower.contains("transfer-encoding: chunked")) {
                            readChunked(in);
                        }
                        seen.add(id + " " + line + (lower.contains("transfer-encoding") ? " (chunked)" : ""));
                        String path = line.split(" ")[1];
                        if (path.endsWith("3")) {
                            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n" + "a".repeat(15)
                                    + "\r\n1000\r\n" + "b".repeat(4096) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        } else {
                            String body = path.endsWith("2") ? "c".repeat(20000) : "body of " + path;
                            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.flush();
                    }
                } catch (Exception e) {
                    // the connection ended; take the next one
                }
            }
        }

        private static void readChunked(InputStream in) throws Exception {
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.trim(), 16);
                in.readNBytes(n + 2);
                if (n == 0) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    static String readLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }

    static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Connection numbers counted from 1 for this instance's requests. */
    private static List<String> renumbered(List<String> seen) {
        List<String> ids = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (String line : seen) {
            String id = line.substring(0, line.indexOf(' '));
            if (!ids.contains(id)) {
                ids.add(id);
            }
            out.add((ids.indexOf(id) + 1) + line.substring(line.indexOf(' ')));
        }
        return out;
    }

    @Test
    void clientRequestsShareOneH2ConnectionAndHeadAnswersHaveNoBody() throws Exception {
        try (OneConnectionServer app = new OneConnectionServer()) {
            String cfg = """
                    global
                      tune.idle-pool.shared off
                    defaults
                      mode http
                      timeout connect 1s
                      timeout client 5s
                      timeout server 5s
                    listen fe
                      bind 127.0.0.1:@FE@
                      server int 127.0.0.1:@INT@ proto h2
                    listen int
                      bind 127.0.0.1:@INT@ proto h2
                      http-request set-method GET
                      server s1 127.0.0.1:%d
                    listen h1only
                      bind 127.0.0.1:@H1@ proto h1
                      http-request return status 200
                    frontend switching
                      mode tcp
                      bind 127.0.0.1:@SW@
                      tcp-request inspect-delay 1s
                      tcp-request content switch-mode http proto h1 if HTTP
                      tcp-request content reject
                      default_backend local
                    backend local
                      mode http
                      http-request return status 200
                    """.formatted(app.port());
            try (Twin twin = Twin.start(cfg)) {
                List<String> results = new ArrayList<>();
                for (int port : twin.ports()) {
                    boolean hq = port == twin.haquarkPort;
                    app.seen.clear();
                    StringBuilder r = new StringBuilder();
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setSoTimeout(5000);
                        for (String req : List.of("HEAD /r1", "HEAD /r2", "HEAD /r3", "GET /r4")) {
                            s.getOutputStream().write((req + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            String head = readHead(s.getInputStream());
                            r.append(head == null ? "closed" : head.substring(9, 12)).append(' ');
                            if (req.startsWith("GET") && head != null) {
                                r.append(new String(s.getInputStream().readNBytes(11), StandardCharsets.ISO_8859_1)).append(' ');
                            }
                        }
                    }
                    r.append(renumbered(app.seen));
                    for (String extra : List.of("H1", "SW")) {
                        int p = hq ? twin.haquarkExtra.get(extra) : twin.haproxyExtra.get(extra);
                        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p)) {
                            s.setSoTimeout(5000);
                            s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            String head = readHead(s.getInputStream());
                            r.append(' ').append(extra).append('=').append(head == null ? "closed" : head.substring(9, 12));
                        }
                    }
                    results.add(r.toString());
                }
                assertEquals("200 200 200 200 body of /r4 [1 GET /r1 HTTP/1.1, 1 GET /r2 HTTP/1.1, 1 GET /r3 HTTP/1.1,"
                        + " 1 GET /r4 HTTP/1.1] H1=400 SW=400", results.get(0));
                if (results.size() > 1) {
                    assertEquals(results.get(1), results.get(0), "HAProxy vs haquark");
                }
            }
        }
    }
}
