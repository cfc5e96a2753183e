package io.haquark.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RDP in mode tcp (configuration.txt "balance rdp-cookie", "persist rdp-cookie"): the user name
 * of the connection request's "mstshash" cookie is hashed onto a server, and a "msts" cookie
 * naming a server's address and port brings the session back to it; the same server answers
 * through haquark as through HAProxy 2.6.
 */
class RdpCookieTwinTest {
    /** An X.224 connection request carrying "Cookie: <cookie>\r\n", behind its TPKT header. */
    static byte[] connectionRequest(String cookie) {
        byte[] line = ("Cookie: " + cookie + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int len = 11 + line.length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {3, 0, (byte) (len >> 8), (byte) len, (byte) (len - 5), (byte) 0xe0, 0, 0, 0, 0, 0});
        b.writeBytes(line);
        return b.toByteArray();
    }

    private static String serverFor(int port, byte[] request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(4000);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            byte[] b = new byte[16];
            int n = in.read(b);
            return n <= 0 ? "none" : new String(b, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void rdpCookiesPickTheServersHaproxyPicks() throws Exception {
        List<SocketServer> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "s" + i;
            servers.add(new SocketServer((c, n) -> {
                c.getInputStream().read(new byte[200]);
                c.getOutputStream().write(name.getBytes(StandardCharsets.ISO_8859_1));
                c.getOutputStream().flush();
            }));
        }
        try (Twin t = Twin.start(TestConfigs.TCP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  default_backend rdp
                frontend by_user
                  bind 127.0.0.1:@USER@
                  default_backend rdp
                backend rdp
                  balance rdp-cookie
                  persist rdp-cookie
                  tcp-request inspect-delay 2s
                  tcp-request content accept if RDP_COOKIE
                  server s1 127.0.0.1:%d weight 1
                  server s2 127.0.0.1:%d weight 2
                  server s3 127.0.0.1:%d weight 1
                """.formatted(servers.get(0).port(), servers.get(1).port(), servers.get(2).port()))) {
            List<List<String>> runs = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int port = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("USER");
                List<String> got = new ArrayList<>();
                for (int u = 0; u < 30; u++) {
                    got.add(serverFor(port, connectionRequest("mstshash=user" + u)));
                }
                for (SocketServer s : servers) {
                    int p = s.port();
                    long ip = 1L << 24 | 127;             // 127.0.0.1 read as a little-endian number
                    int swapped = ((p & 0xff) << 8) | (p >> 8);
                    got.add("msts " + serverFor(port, connectionRequest("msts=" + ip + "." + swapped + ".0000")));
                }
                runs.add(got);
            }
            List<String> ours = runs.get(0);
            assertEquals(List.of("msts s1", "msts s2", "msts s3"), ours.subList(30, 33), ours.toString());
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
