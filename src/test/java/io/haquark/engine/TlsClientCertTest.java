package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Client certificates (ca-file + verify optional|required), ssl_c_* and ssl_fc_* fetches,
 * strict-sni and ssl-max-ver on binds, with certificates made by openssl at test time and curl
 * as the client, against HAProxy on the same config.
 */
class TlsClientCertTest {

    static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args) + "\n" + out);
    }

    static boolean openssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static final String[] HEADERS = {"used=%[ssl_c_used]", "verify=%[ssl_c_verify]", "sdn=%[ssl_c_s_dn]",
        "cn=%[ssl_c_s_dn(CN)]", "idn=%[ssl_c_i_dn]", "serial=%[ssl_c_serial,hex]", "notafter=%[ssl_c_notafter]",
        "sig=%[ssl_c_sig_alg]", "key=%[ssl_c_key_alg]", "version=%[ssl_c_version]", "proto=%[ssl_fc_protocol]",
        "alpn=%[ssl_fc_alpn]"};

    @Test
    void clientCertificatesStrictSniAndVersionsLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(openssl() && Http2Test.curlAvailable(), "SKIPPED: needs openssl and curl");
        Path dir = Files.createTempDirectory("mtls");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/C=FR/O=Haquark Test CA/CN=test-ca");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
                "-subj", "/C=FR/ST=Ile-de-France/O=Clients/CN=client-one");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "4660",
                "-out", "client.pem", "-days", "2");
        StringBuilder rules = new StringBuilder();
        for (String h : HEADERS) {
            rules.append("  http-request set-header X-C-").append(h, 0, h.indexOf('=')).append(' ')
                    .append(h.substring(h.indexOf('=') + 1)).append('\n');
        }
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@ ssl crt %s ca-file %s verify optional alpn http/1.1
                  bind 127.0.0.1:@REQ@ ssl crt %s ca-file %s verify required
                  bind 127.0.0.1:@STRICT@ ssl crt %s strict-sni
                  bind 127.0.0.1:@TLS12@ ssl crt %s ssl-max-ver TLSv1.2
                %s  default_backend web
                backend web
                  server s1 %s
                """.formatted(TlsTest.CERT, dir.resolve("ca.pem"), TlsTest.CERT, dir.resolve("ca.pem"), TlsTest.CERT,
                TlsTest.CERT, rules, app.address()))) {
            String cert = dir.resolve("client.pem").toString();
            String key = dir.resolve("client.key").toString();
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> extra = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                int optional = t.ports().get(i);
                List<String> results = new ArrayList<>();
                app.seenHeaders.clear();
                results.add("with a certificate: " + Http2Test.curl("-k", "--cert", cert, "--key", key, "-o", "/dev/null", "-w", "%{http_code}",
                        "https://127.0.0.1:" + optional + "/c"));
                results.add(describe(app.seenHeaders.get(app.seenHeaders.size() - 1)));
                results.add("without: " + Http2Test.curl("-k", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:" + optional + "/n"));
                results.add(describe(app.seenHeaders.get(app.seenHeaders.size() - 1)));
                int req = extra.get("REQ");
                results.add("verify required, no certificate: " + Http2Test.curl("-k", "-o", "/dev/null", "-w", "%{http_code}",
                        "https://127.0.0.1:" + req + "/r"));
                results.add("verify required, certificate: " + Http2Test.curl("-k", "--cert", cert, "--key", key, "-o", "/dev/null",
                        "-w", "%{http_code}", "https://127.0.0.1:" + req + "/r"));
                int strict = extra.get("STRICT");
                results.add("strict-sni, unknown name: " + Http2Test.curl("-k", "-o", "/dev/null", "-w", "%{http_code}",
                        "--resolve", "other.test:" + strict + ":127.0.0.1", "https://other.test:" + strict + "/s"));
                results.add("strict-sni, known name: " + Http2Test.curl("-k", "-o", "/dev/null", "-w", "%{http_code}",
                        "--resolve", "corpus.test:" + strict + ":127.0.0.1", "https://corpus.test:" + strict + "/s"));
                Http2Test.curl("-k", "-o", "/dev/null", "https://127.0.0.1:" + extra.get("TLS12") + "/v");
                results.add("ssl-max-ver TLSv1.2: " + app.seenHeaders.get(app.seenHeaders.size() - 1).get("x-c-proto"));
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            assertEquals("with a certificate: 200", ours.get(0), ours.toString());
            assertTrue(ours.get(1).contains("used=1") && ours.get(1).contains("cn=client-one")
                    && ours.get(1).contains("sdn=/C=FR/ST=Ile-de-France/O=Clients/CN=client-one") && ours.get(1).contains("serial=1234"), ours.get(1));
            assertEquals("verify required, certificate: 200", ours.get(5));
            assertEquals("strict-sni, known name: 200", ours.get(7));
            assertEquals("ssl-max-ver TLSv1.2: TLSv1.2", ours.get(8));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }

    /**
     * Server "crt" (configuration.txt §5.2): the proxy presents a client certificate to a server
     * that requires one (verify required); without it the server refuses it (502, as HAProxy). A haquark
     * (or HAProxy) listener is the server here, its backend the client.
     */
    @Test
    void serverCrtPresentsAClientCertificateLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(openssl(), "SKIPPED: needs openssl");
        Path dir = Files.createTempDirectory("srvcrt");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/C=FR/O=Haquark Test CA/CN=test-ca");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
                "-subj", "/C=FR/O=Proxies/CN=proxy-one");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "7",
                "-out", "client.pem", "-days", "2");
        // HAProxy's "crt" is one file: the certificate then its key.
        Files.writeString(dir.resolve("proxy.pem"), Files.readString(dir.resolve("client.pem")) + Files.readString(dir.resolve("client.key")));
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend without_crt if { path_beg /none }
                  default_backend with_crt
                backend with_crt
                  server tls 127.0.0.1:@MTLS@ ssl crt %1$s verify none
                backend without_crt
                  server tls 127.0.0.1:@MTLS@ ssl verify none
                listen mtls
                  bind 127.0.0.1:@MTLS@ ssl crt %2$s ca-file %3$s verify required
                  http-request set-header x-cn %%[ssl_c_s_dn(CN)]
                  server app %4$s
                """.formatted(dir.resolve("proxy.pem"), TlsTest.CERT, dir.resolve("ca.pem"), app.address()))) {
            List<String> seen = new ArrayList<>();
            for (int port : t.ports()) {
                app.seenHeaders.clear();
                String with = io.haquark.support.RawHttp.exchange(port, "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                String cn = app.seenHeaders.isEmpty() ? "<none>" : app.seenHeaders.get(0).get("x-cn");
                String without = io.haquark.support.RawHttp.exchange(port, "GET /none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                seen.add(t.name(port) + ": " + io.haquark.support.RawHttp.status(with) + " cn=" + cn + ", without crt: "
                        + io.haquark.support.RawHttp.status(without));
            }
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0).replace("haquark", "haproxy"), "HAProxy vs haquark");
            }
            assertEquals("haquark: 200 cn=proxy-one, without crt: 502", seen.get(0));
        } finally {
            app.close();
        }
    }

    private static String describe(Map<String, String> h) {
        StringBuilder sb = new StringBuilder();
        for (String x : HEADERS) {
            String name = x.substring(0, x.indexOf('='));
            sb.append(name).append('=').append(h.getOrDefault("x-c-" + name, "<none>")).append(' ');
        }
        return sb.toString().trim();
    }
}
