package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bind "accept-netscaler-cip" (configuration.txt §5.1): the NetScaler Client IP header in front of
 * the request gives the client's addresses (src, dst and their ports), in its legacy and standard
 * forms, for IPv4 and IPv6; a wrong magic number ends the connection. Same answers as HAProxy 2.6.
 */
class NetscalerCipTwinTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /** The client's IP and TCP headers as a NetScaler copies them. */
    private static byte[] headers(byte[] src, byte[] dst, int sport, int dport) {
        boolean v6 = src.length == 16;
        ByteBuffer b = ByteBuffer.allocate(v6 ? 60 : 40);
        if (v6) {
            b.put((byte) 0x60).put(new byte[3]).putShort((short) 20).put((byte) 6).put((byte) 64).put(src).put(dst);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 0).putShort((short) 0).put((byte) 64).put((byte) 6)
                    .putShort((short) 0).put(src).put(dst);
        }
        b.putShort((short) sport).putShort((short) dport).put(new byte[16]);
        return b.array();
    }

    private static byte[] cip(long magic, boolean legacy, byte[] headers) {
        ByteBuffer b = ByteBuffer.allocate(12 + headers.length);
        b.putInt((int) magic);
        if (legacy) {
            b.putInt(headers.length);
        } else {
            b.put((byte) 0).put((byte) 0).putShort((short) headers.length);
        }
        b.put(headers);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static String exchange(int port, byte[] prefix) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(3000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(prefix);
            out.writeBytes(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(out.toByteArray());
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "closed" : answer.substring(0, answer.indexOf("\r\n")) + " | "
                    + answer.substring(answer.indexOf("\r\n\r\n") + 4);
        } catch (java.net.SocketException e) {
            return "reset";
        }
    }

    @Test
    void clientAddressesComeFromTheCipHeader() throws Exception {
        byte[] v4 = headers(new byte[] {(byte) 192, 0, 2, 10}, new byte[] {(byte) 198, 51, 100, 20}, 40000, 443);
        byte[] v6 = headers(InetAddress.getByName("2001:db8::1").getAddress(), InetAddress.getByName("2001:db8::2").getAddress(), 5555, 80);
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend cip
                  bind 127.0.0.1:@CIP@ accept-netscaler-cip 1234
                  http-request return status 200 content-type text/plain lf-string "%[src]:%[src_port] %[dst]:%[dst_port]"
                """)) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                int port = p.get("CIP");
                seen.add(List.of(exchange(port, cip(1234, true, v4)), exchange(port, cip(1234, false, v4)),
                        exchange(port, cip(1234, true, v6)), exchange(port, cip(4321, true, v4))));
            }
            List<String> ours = seen.get(0);
            assertEquals("HTTP/1.1 200 OK | 192.0.2.10:40000 198.51.100.20:443", ours.get(0), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }
}
