package io.haquark.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hash-based balancing places every key on the server HAProxy 2.6 places it on (issue 16: a
 * fleet mixing HAProxy and haquark keeps its caches warm): 200 keys through each hash
 * algorithm, hash function, hash type and the avalanche modifier, on weighted servers (one with
 * an explicit id, which places its consistent-hash points), same config for both.
 */
class HashPlacementTwinTest {
    private static final int KEYS = 200;

    /** frontend port placeholder, what it tests, request for key i. */
    private record Case(String port, String name, java.util.function.IntFunction<String> request) {
    }

    @Test
    void everyKeyGoesToTheServerHaproxyPicks() throws Exception {
        List<TestBackend> servers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            servers.add(new TestBackend(TestVertx.get(), "s" + i));
        }
        String pool = """
                  server s1 %s weight 1 id 3
                  server s2 %s weight 2
                  server s3 %s weight 3
                  server s4 %s weight 1 id 9
                """.formatted(servers.get(0).address(), servers.get(1).address(), servers.get(2).address(),
                servers.get(3).address());
        String config = TestConfigs.HTTP_DEFAULTS + """
                frontend uri_map
                  bind 127.0.0.1:@FE@
                  default_backend b_uri_map
                frontend uri_cons
                  bind 127.0.0.1:@URICONS@
                  default_backend b_uri_cons
                frontend param_map_wt6
                  bind 127.0.0.1:@PARAM@
                  default_backend b_param
                frontend hdr_djb2_map
                  bind 127.0.0.1:@HDR@
                  default_backend b_hdr
                frontend uri_crc32_map
                  bind 127.0.0.1:@CRC@
                  default_backend b_crc
                frontend hdr_cons_aval
                  bind 127.0.0.1:@HCA@
                  default_backend b_hca
                frontend param_aval_map
                  bind 127.0.0.1:@PAVAL@
                  default_backend b_paval
                frontend whole_uri_depth
                  bind 127.0.0.1:@DEPTH@
                  default_backend b_depth
                backend b_uri_map
                  balance uri
                %s
                backend b_uri_cons
                  balance uri
                  hash-type consistent
                %s
                backend b_param
                  balance url_param k
                  hash-type map-based wt6
                %s
                backend b_hdr
                  balance hdr(x-key)
                  hash-type map-based djb2
                %s
                backend b_crc
                  balance uri whole
                  hash-type map-based crc32
                %s
                backend b_hca
                  balance hdr(x-key)
                  hash-type consistent djb2 avalanche
                %s
                backend b_paval
                  balance url_param k
                  hash-type map-based sdbm avalanche
                %s
                backend b_depth
                  balance uri depth 2
                %s
                """.formatted(pool, pool, pool, pool, pool, pool, pool, pool);
        List<Case> cases = List.of(
                new Case("FE", "uri map-based sdbm", i -> "GET /object/" + i + ".jpg HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("URICONS", "uri consistent sdbm", i -> "GET /item-" + (i * 7919) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("PARAM", "url_param map-based wt6", i -> "GET /p?a=1&k=user" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("HDR", "hdr map-based djb2", i -> "GET / HTTP/1.1\r\nHost: x\r\nx-key: tenant-" + i + "\r\n\r\n"),
                new Case("CRC", "uri whole map-based crc32", i -> "GET /q?n=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("HCA", "hdr consistent djb2 avalanche", i -> "GET / HTTP/1.1\r\nHost: x\r\nx-key: k" + (i * 31) + "\r\n\r\n"),
                new Case("PAVAL", "url_param map-based sdbm avalanche", i -> "GET /?k=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("DEPTH", "uri depth 2", i -> "GET /a" + (i % 50) + "/b" + i + "/c HTTP/1.1\r\nHost: x\r\n\r\n"));
        try (Twin twin = Twin.start(config)) {
            for (Case c : cases) {
                List<String> ours = placements(port(twin, c.port, true), c);
                Set<String> used = new HashSet<>(ours);
                assertTrue(used.size() >= 3, c.name + ": keys spread over the servers, got " + used);
                if (twin.hasReference()) {
                    List<String> theirs = placements(port(twin, c.port, false), c);
                    for (int i = 0; i < KEYS; i++) {
                        assertEquals(theirs.get(i), ours.get(i), c.name + ": key " + i + " (" + c.request.apply(i).split("\r\n")[0] + ")");
                    }
                }
            }
        } finally {
            for (TestBackend b : servers) {
                b.close();
            }
        }
    }

    private static int port(Twin twin, String name, boolean haquark) {
        if (name.equals("FE")) {
            return haquark ? twin.haquarkPort : twin.haproxyPort;
        }
        return haquark ? twin.haquarkExtra.get(name) : twin.haproxyExtra.get(name);
    }

    /** The server each key went to, over one keep-alive connection. */
    private static List<String> placements(int port, Case c) throws IOException {
        List<String> out = new ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < KEYS; i++) {
                o.write(c.request.apply(i).getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
                out.add(servedBy(in));
            }
        }
        return out;
    }

    private static String servedBy(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String server = null;
        int length = 0;
        for (String line : text.split("\r\n")) {
            String l = line.toLowerCase();
            if (l.startsWith("x-served-by:")) {
                server = line.substring(12).trim();
            } else if (l.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return server;
    }
}
