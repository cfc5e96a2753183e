package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bind without "proto" speaks HTTP/2 to a client that opens with HTTP/2's preface (prior
 * knowledge), as HAProxy's HTTP/1 side upgrades on it; "option disable-h2-upgrade" and
 * "proto h1" answer the preface 400 instead; HTTP/1 clients are untouched. Compared with HAProxy 2.6.
 */
class H2PrefaceUpgradeTwinTest {

    @Test
    void prefaceOnAPlainBindSwitchesToHttp2() throws Exception {
        String cfg = """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend plain
                  bind 127.0.0.1:@FE@
                  http-request return status 200 hdr x-ver %[req.ver]
                frontend disabled
                  bind 127.0.0.1:@OFF@
                  option disable-h2-upgrade
                  http-request return status 200
                frontend h1only
                  bind 127.0.0.1:@H1@ proto h1
                  http-request return status 200
                """;
        try (Twin twin = Twin.start(cfg)) {
            List<String> seen = new ArrayList<>();
            for (int port : twin.ports()) {
                Map<String, Integer> extra = port == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                seen.add(preface(port) + " | " + preface(extra.get("OFF")) + " | " + preface(extra.get("H1"))
                        + " | " + http1(port));
            }
            assertEquals("h2 SETTINGS, HEADERS :status 200 | HTTP/1.1 400 | HTTP/1.1 400 | HTTP/1.1 200", seen.get(0));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "HAProxy vs haquark");
            }
        }
    }

    /** Preface, SETTINGS, then a GET on stream 1 (literal headers): what comes back first. */
    private static String preface(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            all.writeBytes(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            byte[] block = {0, 7, ':', 'm', 'e', 't', 'h', 'o', 'd', 3, 'G', 'E', 'T',
                    0, 7, ':', 's', 'c', 'h', 'e', 'm', 'e', 4, 'h', 't', 't', 'p',
                    0, 5, ':', 'p', 'a', 't', 'h', 1, '/',
                    0, 10, ':', 'a', 'u', 't', 'h', 'o', 'r', 'i', 't', 'y', 1, 'x'};
            byte[] headers = new byte[9 + block.length];
            headers[2] = (byte) block.length;
            headers[3] = 1;
            headers[4] = 5;
            headers[8] = 1;
            System.arraycopy(block, 0, headers, 9, block.length);
            all.writeBytes(headers);
            s.getOutputStream().write(all.toByteArray());       // in one write: a 400 closes the connection
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] first = in.readNBytes(9);
            if (first.length >= 4 && first[0] == 'H') {
                byte[] rest = in.readNBytes(3);
                return new String(first, StandardCharsets.ISO_8859_1).substring(0, 9) + new String(rest, StandardCharsets.ISO_8859_1);
            }
            if (first.length < 9 || first[3] != 4) {
                return "other";
            }
            in.readNBytes(((first[1] & 0xff) << 8) | (first[2] & 0xff));
            // Frames until the HEADERS of stream 1.
            while (true) {
                byte[] h = in.readNBytes(9);
                if (h.length < 9) {
                    return "h2 SETTINGS, closed";
                }
                int len = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
                byte[] payload = in.readNBytes(len);
                if (h[3] == 1 && h[8] == 1) {
                    return "h2 SETTINGS, HEADERS :status " + ((payload[0] & 0xff) == 0x88 ? "200" : "?");
                }
            }
        }
    }

    private static String http1(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
        }
    }
}
