package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * "send-proxy-v2-ssl-cn" and "proxy-v2-options ssl-cipher,cert-sig,cert-key" (configuration.txt
 * §5.2): the PROXY v2 header's SSL TLV as the server receives it, for a client in clear and for a
 * TLS client with a certificate, byte for byte as HAProxy 2.6 sends it.
 */
class ProxyV2SslTwinTest {
    @Test
    void sslTlvAsHaproxySendsIt() throws Exception {
        Assumptions.assumeTrue(TlsClientCertTest.openssl() && Http2Test.curlAvailable(), "SKIPPED: needs openssl and curl");
        Path dir = Files.createTempDirectory("pp2ssl");
        TlsClientCertTest.openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=pp2-ca");
        TlsClientCertTest.openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
                "-subj", "/O=Clients/CN=client-two");
        TlsClientCertTest.openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "7",
                "-out", "client.pem", "-days", "2");
        LinkedBlockingQueue<String> tlvs = new LinkedBlockingQueue<>();
        try (SocketServer server = new SocketServer((c, n) -> {
            DataInputStream in = new DataInputStream(c.getInputStream());
            byte[] fixed = new byte[16];
            in.readFully(fixed);
            int len = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
            byte[] rest = new byte[len];
            in.readFully(rest);
            tlvs.add(HexFormat.of().formatHex(rest, 12, rest.length));   // past the IPv4 addresses and ports
            SocketServer.readHead(in);
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
             Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                     frontend f
                       bind 127.0.0.1:@FE@
                       bind 127.0.0.1:@TLS@ ssl crt %s ca-file %s verify optional alpn http/1.1 ssl-max-ver TLSv1.2 ciphers ECDHE-RSA-AES128-GCM-SHA256
                       default_backend b
                     backend b
                       http-reuse never
                       server s 127.0.0.1:%d send-proxy-v2-ssl-cn proxy-v2-options ssl-cipher,cert-sig,cert-key
                     """.formatted(TlsTest.CERT, dir.resolve("ca.pem"), server.port()))) {
            tlvs.clear();                          // Twin's start-up probes
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int plain = t.ports().get(i);
                int tls = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("TLS");
                List<String> results = new ArrayList<>();
                Http2Test.curl("-o", "/dev/null", "http://127.0.0.1:" + plain + "/p");
                results.add("clear: " + tlvs.poll(5, TimeUnit.SECONDS));
                Http2Test.curl("-k", "--cert", dir.resolve("client.pem").toString(), "--key", dir.resolve("client.key").toString(),
                        "-o", "/dev/null", "https://127.0.0.1:" + tls + "/t");
                results.add("tls with a certificate: " + tlvs.poll(5, TimeUnit.SECONDS));
                Http2Test.curl("-k", "-o", "/dev/null", "https://127.0.0.1:" + tls + "/n");
                results.add("tls without: " + tlvs.poll(5, TimeUnit.SECONDS));
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            // 0x20 TLV of 5 bytes: client 0, verify 0.
            assertEquals("clear: 2000050000000000", ours.get(0), ours.toString());
            assertTrue(ours.get(1).contains(HexFormat.of().formatHex("client-two".getBytes(StandardCharsets.ISO_8859_1))), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }
}
