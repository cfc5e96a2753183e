package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.SocketServer;
import io.haquark.support.Syslog;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * retry-on (configuration.txt §4.2): a request the server failed after it was sent goes again
 * when the event is listed, an empty answer, a broken one, a response timeout or a status; a
 * POST's body is sent again too; "retries" bounds the attempts; without retry-on (connection
 * failures only) or with http-request disable-l7-retry the failure reaches the client. Answers,
 * how often the server saw each request, and the logged retry counts, compared with HAProxy 2.6.
 */
class L7RetryTwinTest {

    /** Fails the first request of each path the way its name says, then answers 200 with what it got. */
    static final class Flaky implements AutoCloseable {
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        final SocketServer server = new SocketServer((c, n) -> serve(c));

        Flaky() throws Exception {
        }

        private void serve(Socket c) throws Exception {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            String head;
            while ((head = H2ServerReuseTwinTest.readHead(in)) != null) {
                String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                String body = "";
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        body = new String(in.readNBytes(Integer.parseInt(line.substring(15).trim())), StandardCharsets.ISO_8859_1);
                    }
                }
                int n = hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                boolean fail = n == 1 || path.endsWith("/always503");
                if (fail && path.endsWith("/empty")) {
                    return;
                }
                if (fail && path.endsWith("/junk")) {
                    out.write("garbage here\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return;
                }
                if (fail && path.endsWith("/slow")) {
                    Thread.sleep(800);
                    return;
                }
                String answer = fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"
                        : "HTTP/1.1 200 OK\r\nContent-Length: " + (body.length() + 4) + "\r\n\r\nok: " + body;
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Test
    void requestsAreRetriedOnTheEventsListed() throws Exception {
        try (Flaky app = new Flaky()) {
            String cfg = """
                    global
                      log 127.0.0.1:@LOG@ local0
                    defaults
                      mode http
                      log global
                      log-format "%%HP %%ST rc=%%rc"
                      timeout connect 1s
                      timeout client 5s
                      timeout server 400ms
                    listen probed
                      bind 127.0.0.1:@FE@
                      http-request return status 200
                    listen retrying
                      bind 127.0.0.1:@RT@
                      retry-on all-retryable-errors
                      retries 2
                      http-request disable-l7-retry if { path_end /disabled }
                      server s 127.0.0.1:%1$d
                    listen plain
                      bind 127.0.0.1:@PL@
                      retries 2
                      server s 127.0.0.1:%1$d
                    """.formatted(app.server.port());
            try (Twin twin = Twin.start(cfg)) {
                List<String> seen = new ArrayList<>();
                for (int instance : twin.ports()) {
                    Map<String, Integer> extra = instance == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                    String p = instance == twin.haquarkPort ? "/hq" : "/ha";
                    List<String> out = new ArrayList<>();
                    try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                        for (String path : List.of("/s503", "/empty", "/junk", "/slow", "/always503", "/disabled")) {
                            out.add(path + " " + answer(extra.get("RT"), "GET " + p + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                        }
                        out.add("/post " + answer(extra.get("RT"),
                                "POST " + p + "/post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
                        out.add("plain /s503 " + answer(extra.get("PL"), "GET " + p + "/plain/s503 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                        List<String> lines = new ArrayList<>();
                        for (String l : Syslog.drain(log, 8)) {
                            lines.add(l.replace(p + "/", "/"));
                        }
                        lines.sort(null);                  // datagrams of back-to-back requests may swap
                        out.addAll(lines);
                    }
                    List<String> counts = new ArrayList<>();
                    for (String path : List.of("/s503", "/empty", "/junk", "/slow", "/always503", "/disabled", "/post", "/plain/s503")) {
                        AtomicInteger n = app.hits.get(p + path);
                        counts.add(path + "=" + (n == null ? 0 : n.get()));
                    }
                    out.add("server saw " + counts);
                    seen.add(String.join("\n", out));
                }
                String ours = seen.get(0);
                assertEquals(true, ours.contains("/post 200 ok: hello") && ours.contains("/s503=2"), ours);
                if (seen.size() > 1) {
                    assertEquals(seen.get(1), ours, "HAProxy vs haquark");
                }
            }
        }
    }

    private static String answer(int port, String request) throws Exception {
        String raw = RawHttp.exchange(port, request, 5000);
        return RawHttp.status(raw) + " " + RawHttp.body(raw);
    }
}
