package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.SocketServer;
import io.haquark.support.Twin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 requests HAProxy refuses or rewrites to keep an HTTP/1 server from being desynchronised
 * (reg-test h2_desync_attacks): a :path that is not "/..." resets the stream, a :scheme or
 * :method that is not one is a 400, a Host header beside :authority gives way to it, and a
 * request whose client closes right after sending it still reaches the server (haquark alone:
 * HAProxy races on it). Raw frames from a minimal client, compared with HAProxy 2.6.
 */
class H2RequestChecksTwinTest {

    /** Records the Host header of each request it gets, answers 200. */
    static final class HostRecorder implements AutoCloseable {
        final List<String> hosts = Collections.synchronizedList(new ArrayList<>());
        final SocketServer server = new SocketServer((c, n) -> {
            String head = H2ServerReuseTwinTest.readHead(c.getInputStream());
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("host:")) {
                    hosts.add(line.substring(5).trim());
                }
            }
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });

        HostRecorder() throws Exception {
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Test
    void badRequestsAreRefusedAndAuthorityWins() throws Exception {
        try (HostRecorder app = new HostRecorder()) {
            String cfg = """
                    defaults
                      mode http
                      timeout connect 1s
                      timeout client 5s
                      timeout server 5s
                    listen fe
                      bind 127.0.0.1:@FE@ proto h2
                      server s1 127.0.0.1:%d
                    """.formatted(app.server.port());
            try (Twin twin = Twin.start(cfg)) {
                List<String> seen = new ArrayList<>();
                for (int port : twin.ports()) {
                    app.hosts.clear();
                    List<String> r = new ArrayList<>();
                    r.add(exchange(port, "GET", "http", "/", "hostname", null, false));
                    r.add(exchange(port, "GET", "http", "hello-world", "hostname", null, false));
                    r.add(exchange(port, "GET", "http://localhost/?", "/", "hostname", null, false));
                    r.add(exchange(port, "GET?", "http", "/", "hostname", null, false));
                    r.add(exchange(port, "GET", "http", "/", "hostname", "other_host", false));
                    Thread.sleep(200);
                    r.add("hosts=" + app.hosts);
                    seen.add(String.join(" ", r));
                }
                assertEquals("200 RST 400 400 200 hosts=[hostname, hostname]", seen.get(0));
                // A client that closes right after its request: haquark still sends it (HAProxy does when it
                // reads the request before it notices the close, a race of its own: checked on haquark alone).
                app.hosts.clear();
                exchange(twin.haquarkPort, "GET", "http", "/", "closing", "other_host", true);
                for (int i = 0; i < 40 && app.hosts.isEmpty(); i++) {
                    Thread.sleep(50);
                }
                assertEquals(List.of("closing"), List.copyOf(app.hosts));
                if (seen.size() > 1) {
                    assertEquals(seen.get(1), seen.get(0), "HAProxy vs haquark");
                }
            }
        }
    }

    /** One request on a new connection: the status, "RST" when the stream was reset, "-" when not read. */
    private static String exchange(int port, String method, String scheme, String path, String authority, String host,
                                   boolean closeAtOnce) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(frame(4, 0, 0, new byte[0]));
            out.write(frame(4, 1, 0, new byte[0]));             // ack the server's SETTINGS ahead
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            literal(block, ":method", method);
            literal(block, ":scheme", scheme);
            literal(block, ":path", path);
            literal(block, ":authority", authority);
            if (host != null) {
                literal(block, "host", host);
            }
            out.write(frame(1, 5, 1, block.toByteArray()));     // HEADERS, END_STREAM | END_HEADERS
            out.flush();
            if (closeAtOnce) {
                return "-";
            }
            while (true) {
                byte[] h = in.readNBytes(9);
                if (h.length < 9) {
                    return "closed";
                }
                int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
                int type = h[3];
                int stream = ((h[5] & 0x7f) << 24) | ((h[6] & 0xff) << 16) | ((h[7] & 0xff) << 8) | (h[8] & 0xff);
                byte[] payload = in.readNBytes(length);
                if (stream != 1) {
                    continue;
                }
                if (type == 3) {
                    return "RST";
                }
                if (type == 1) {
                    return status(payload);
                }
            }
        }
    }

    /** The :status of a response HEADERS block: an indexed static entry (8-14) or a literal with name index 8. */
    private static String status(byte[] block) {
        int b = block[0] & 0xff;
        if ((b & 0x80) != 0) {
            return switch (b & 0x7f) {
                case 8 -> "200";
                case 9 -> "204";
                case 10 -> "206";
                case 11 -> "304";
                case 12 -> "400";
                case 13 -> "404";
                case 14 -> "500";
                default -> "?";
            };
        }
        // Literal with the name :status (index 8), value not Huffman-coded, three digits.
        int at = 1;
        int len = block[at] & 0x7f;
        if ((block[at] & 0x80) != 0) {
            return "huffman";
        }
        return new String(block, at + 1, len, StandardCharsets.ISO_8859_1);
    }

    private static void literal(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        out.write(0);                                           // literal without indexing, new name
        out.write(n.length);
        out.writeBytes(n);
        out.write(v.length);
        out.writeBytes(v);
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }
}
