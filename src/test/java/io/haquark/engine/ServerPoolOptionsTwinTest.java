package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.runtime.RuntimeApiTestAccess;
import io.haquark.support.SocketServer;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server options on connection reuse (configuration.txt §5.2): "pool-max-conn 0" gives each
 * request its own server connection, closed after it; "max-reuse" does not limit HTTP/1
 * connections (HAProxy applies it to multiplexed ones); "non-stick" keeps the server out of stick
 * tables. Which server connection each request used, compared with HAProxy 2.6.
 */
class ServerPoolOptionsTwinTest {

    /** Answers every request; notes "connection path" per request, and "connection closed". */
    static final class Recorder implements AutoCloseable {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final SocketServer server = new SocketServer(this::serve);

        Recorder() throws Exception {
        }

        private void serve(Socket c, int id) throws Exception {
            try {
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                String head;
                while ((head = H2ServerReuseTwinTest.readHead(in)) != null) {
                    events.add(id + " " + head.substring(4, head.indexOf(' ', 4)));
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } finally {
                events.add(id + " closed");
            }
        }

        void reset() {
            events.clear();
            server.resetCount();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Test
    void poolOptionsAsHAProxy() throws Exception {
        try (Recorder app = new Recorder()) {
            String cfg = """
                    global
                      stats socket ipv4@127.0.0.1:@CLI@ level admin
                    defaults
                      mode http
                      timeout connect 1s
                      timeout client 5s
                      timeout server 5s
                    listen probed
                      bind 127.0.0.1:@FE@
                      http-request return status 200
                    listen reuse1
                      bind 127.0.0.1:@R1@
                      http-reuse always
                      server s 127.0.0.1:%1$d max-reuse 1
                    listen nopool
                      bind 127.0.0.1:@NP@
                      server s 127.0.0.1:%1$d pool-max-conn 0
                    listen sticky
                      bind 127.0.0.1:@ST@
                      stick-table type ip size 10
                      stick on src
                      server s 127.0.0.1:%1$d non-stick
                    """.formatted(app.server.port());
            try (Twin twin = Twin.start(cfg)) {
                List<String> seen = new ArrayList<>();
                for (int instance : twin.ports()) {
                    Map<String, Integer> extra = instance == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                    List<String> out = new ArrayList<>();
                    app.reset();
                    // One client after the other, each once the previous connection is parked idle.
                    for (String[] client : new String[][] {{"/a1", "/a2"}, {"/b1"}, {"/c1"}, {"/d1"}}) {
                        requests(extra.get("R1"), client);
                        Thread.sleep(50);
                    }
                    Thread.sleep(200);
                    out.add("max-reuse 1: " + requestsOnly(app.events));
                    app.reset();
                    requests(extra.get("NP"), "/n1");
                    requests(extra.get("NP"), "/n2", "/n3");
                    Thread.sleep(300);
                    List<String> np = new ArrayList<>(app.events);
                    Collections.sort(np);
                    out.add("pool-max-conn 0: " + np);
                    requests(extra.get("ST"), "/s1");
                    out.add(RuntimeApiTestAccess.tcp(extra.get("CLI"), "show table sticky").trim());
                    seen.add(String.join("\n", out));
                }
                String ours = seen.get(0);
                assertEquals(true, ours.contains("pool-max-conn 0: [1 /n1, 1 closed, 2 /n2, 2 closed, 3 /n3, 3 closed]"), ours);
                if (seen.size() > 1) {
                    assertEquals(seen.get(1), ours, "HAProxy vs haquark");
                }
            }
        }
    }

    /** The request lines only (which connection served which path), in order. */
    private static List<String> requestsOnly(List<String> events) {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (String e : events) {
                if (!e.endsWith("closed")) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Requests one after the other on one keep-alive client connection. */
    private static void requests(int port, String... paths) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            for (String p : paths) {
                s.getOutputStream().write(("GET " + p + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String head = H2ServerReuseTwinTest.readHead(in);
                in.readNBytes(head != null && head.contains("Content-Length: 2") || head != null && head.contains("content-length: 2") ? 2 : 0);
            }
        }
    }
}
