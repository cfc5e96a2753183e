package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Client certificate verification on binds (configuration.txt §5.1 "verify", "ca-file",
 * "crl-file", "crt-ignore-err", "ca-ignore-err") and the ssl_c_verify / ssl_c_err /
 * ssl_c_ca_err / ssl_c_ca_err_depth fetches: a small PKI (root, two intermediates, one revoked,
 * leaves good, expired, revoked, from an unknown CA, self-signed) made by "openssl ca", curl as the
 * client, the same config on haquark and HAProxy, every answer compared.
 */
class TlsVerifyTest {
    private static final String REPORT = "http-request return status 200 content-type text/plain lf-string "
            + "\"verify=%[ssl_c_verify] err=%[ssl_c_err] ca_err=%[ssl_c_ca_err] depth=%[ssl_c_ca_err_depth] used=%[ssl_c_used]"
            + " cn=%[ssl_c_s_dn(CN)] chain=%[ssl_c_chain_der,hex,length] f=%[ssl_f_s_dn(CN)]\\n\"";

    /** One certificate authority run by "openssl ca" in its own directory. */
    private record Ca(Path dir, String name) {
        Path cnf() {
            return dir.resolve(name + ".cnf");
        }

        Path pem() {
            return dir.resolve(name + ".pem");
        }

        static Ca create(Path dir, String name, Ca parent) throws Exception {
            Ca ca = new Ca(dir, name);
            Files.createDirectories(dir.resolve(name + "-certs"));
            Files.writeString(dir.resolve(name + "-index.txt"), "");
            Files.writeString(dir.resolve(name + "-crlnumber"), "01\n");
            Files.writeString(ca.cnf(), """
                    [ca]
                    default_ca = own
                    [own]
                    database = %1$s-index.txt
                    new_certs_dir = %1$s-certs
                    certificate = %1$s.pem
                    private_key = %1$s.key
                    rand_serial = yes
                    crlnumber = %1$s-crlnumber
                    default_md = sha256
                    default_days = 30
                    default_crl_days = 30
                    policy = any
                    unique_subject = no
                    [any]
                    commonName = supplied
                    [ca_ext]
                    basicConstraints = critical,CA:true
                    keyUsage = critical,keyCertSign,cRLSign
                    [leaf_ext]
                    basicConstraints = CA:false
                    extendedKeyUsage = clientAuth
                    [server_ext]
                    basicConstraints = CA:false
                    extendedKeyUsage = serverAuth
                    subjectAltName = DNS:srv.test
                    """.formatted(name));
            if (parent == null) {
                TlsClientCertTest.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", name + ".key", "-out", name + ".pem", "-days", "30", "-subj", "/CN=" + name,
                        "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            } else {
                parent.issue(name, "ca_ext");
            }
            return ca;
        }

        /** A key and a certificate signed by this CA, valid now unless dates are given. */
        void issue(String cn, String ext, String... dates) throws Exception {
            TlsClientCertTest.openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", cn + ".key", "-out", cn + ".csr", "-subj", "/CN=" + cn);
            List<String> cmd = new ArrayList<>(List.of("ca", "-config", cnf().toString(), "-batch", "-notext", "-in", cn + ".csr",
                    "-out", cn + ".pem", "-extensions", ext));
            cmd.addAll(List.of(dates));
            TlsClientCertTest.openssl(dir, cmd.toArray(new String[0]));
        }

        void revoke(String cn) throws Exception {
            TlsClientCertTest.openssl(dir, "ca", "-config", cnf().toString(), "-revoke", cn + ".pem");
        }

        Path crl() throws Exception {
            TlsClientCertTest.openssl(dir, "ca", "-config", cnf().toString(), "-gencrl", "-out", name + ".crl");
            return dir.resolve(name + ".crl");
        }
    }

    @Test
    void verifyErrorsAndIgnoredErrorsLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(TlsClientCertTest.openssl() && Http2Test.curlAvailable(), "SKIPPED: needs openssl and curl");
        Path dir = Files.createTempDirectory("pki");
        Ca root = Ca.create(dir, "root", null);
        Ca inter = Ca.create(dir, "inter", root);
        Ca gone = Ca.create(dir, "gone", root);
        Ca stranger = Ca.create(dir, "stranger", null);
        inter.issue("good", "leaf_ext");
        inter.issue("expired", "leaf_ext", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z");
        inter.issue("revoked", "leaf_ext");
        inter.revoke("revoked");
        gone.issue("orphan", "leaf_ext");
        root.revoke("gone");
        stranger.issue("unknown", "leaf_ext");
        TlsClientCertTest.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "self.key", "-out", "self.pem", "-days", "30", "-subj", "/CN=self");
        Files.writeString(dir.resolve("crls.pem"), Files.readString(root.crl()) + Files.readString(inter.crl())
                + Files.readString(gone.crl()));
        // Each client sends its certificate followed by its issuing intermediate, as a PEM chain file.
        Map<String, String> chains = new LinkedHashMap<>();
        for (String[] c : new String[][] {{"good", "inter"}, {"expired", "inter"}, {"revoked", "inter"}, {"orphan", "gone"},
            {"unknown", "stranger"}, {"self", null}, {"good-alone", null}}) {
            String leaf = c[0].replace("-alone", "");
            Files.writeString(dir.resolve(c[0] + "-chain.pem"), Files.readString(dir.resolve(leaf + ".pem"))
                    + (c[1] == null ? "" : Files.readString(dir.resolve(c[1] + ".pem"))));
            chains.put(c[0], leaf);
        }
        String bind = "ssl crt " + TlsTest.CERT + " ca-file " + root.pem();
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend all_ignored
                  bind 127.0.0.1:@FE@ %1$s verify optional crl-file %2$s crt-ignore-err all ca-ignore-err all
                  %3$s
                frontend strict
                  bind 127.0.0.1:@STRICT@ %1$s verify optional crl-file %2$s
                  %3$s
                frontend some_ignored
                  bind 127.0.0.1:@SOME@ %1$s verify required crl-file %2$s crt-ignore-err 10,20 ca-ignore-err 23
                  %3$s
                frontend root_crl_only
                  bind 127.0.0.1:@ROOTCRL@ %1$s verify optional crl-file %4$s crt-ignore-err 3
                  %3$s
                frontend no_crl
                  bind 127.0.0.1:@NOCRL@ %1$s verify optional crt-ignore-err 18
                  %3$s
                """.formatted(bind, dir.resolve("crls.pem"), REPORT, dir.resolve("root.crl")))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> extra = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                List<String> results = new ArrayList<>();
                Map<String, Integer> ports = new LinkedHashMap<>();
                ports.put("all_ignored", t.ports().get(i));
                for (String name : new String[] {"STRICT", "SOME", "ROOTCRL", "NOCRL"}) {
                    ports.put(name.toLowerCase(java.util.Locale.ROOT), extra.get(name));
                }
                for (var p : ports.entrySet()) {
                    results.add(p.getKey() + " without a certificate: " + Http2Test.curl("-k", "-w", "%{http_code}",
                            "https://127.0.0.1:" + p.getValue() + "/").trim());
                    for (var c : chains.entrySet()) {
                        results.add(p.getKey() + " " + c.getKey() + ": " + Http2Test.curl("-k", "-w", "%{http_code}",
                                "--cert", dir.resolve(c.getKey() + "-chain.pem").toString(), "--key",
                                dir.resolve(c.getValue() + ".key").toString(), "https://127.0.0.1:" + p.getValue() + "/").trim());
                    }
                }
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            String report = String.join("\n", ours);
            if (seen.size() > 1) {
                assertEquals(String.join("\n", seen.get(1)), report, "haquark vs HAProxy");
            }
            assertEquals("all_ignored good: verify=0 err=0 ca_err=0 depth=0 used=1 cn=good chain=" + 2 * derLength(dir, "inter")
                    + " f=corpus.test\n200", ours.get(1), report);
            assertEquals("all_ignored expired: verify=10 err=10 ca_err=0 depth=0 used=1 cn=expired chain=" + 2 * derLength(dir, "inter")
                    + " f=corpus.test\n200", ours.get(2), report);
            assertEquals("strict revoked: 000", ours.get(11), report);
        }
    }

    /**
     * Servers' certificates (configuration.txt §5.2 "verify", "ca-file", "crl-file", "verifyhost",
     * "ssl-max-ver"): checked against the CA and the CRL, the name against verifyhost or the SNI;
     * a refused one is a failed connection (503), as HAProxy answers.
     */
    @Test
    void serverCertificatesVerifiedLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(TlsClientCertTest.openssl(), "SKIPPED: needs openssl");
        Path dir = Files.createTempDirectory("spki");
        Ca root = Ca.create(dir, "root", null);
        Ca inter = Ca.create(dir, "inter", root);
        inter.issue("srv", "server_ext");
        inter.issue("srvrevoked", "server_ext");
        inter.revoke("srvrevoked");
        Files.writeString(dir.resolve("crls.pem"), Files.readString(root.crl()) + Files.readString(inter.crl()));
        for (String n : new String[] {"srv", "srvrevoked"}) {
            Files.writeString(dir.resolve(n + "-full.pem"), Files.readString(dir.resolve(n + ".pem"))
                    + Files.readString(inter.pem()) + Files.readString(dir.resolve(n + ".key")));
        }
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend %%[path,field(2,/)]
                backend ok
                  server s 127.0.0.1:@GOOD@ ssl verify required ca-file %1$s crl-file %2$s sni str(srv.test)
                backend nosni
                  server s 127.0.0.1:@GOOD@ ssl verify required ca-file %1$s crl-file %2$s
                backend wronghost
                  server s 127.0.0.1:@GOOD@ ssl verify required ca-file %1$s verifyhost other.test
                backend wrongsni
                  server s 127.0.0.1:@GOOD@ ssl verify required ca-file %1$s sni str(other.test)
                backend revoked
                  server s 127.0.0.1:@REVOKED@ ssl verify required ca-file %1$s crl-file %2$s sni str(srv.test)
                backend nocrl
                  server s 127.0.0.1:@REVOKED@ ssl verify required ca-file %1$s sni str(srv.test)
                backend v12
                  server s 127.0.0.1:@GOOD@ ssl verify none ssl-max-ver TLSv1.2
                backend nov13
                  server s 127.0.0.1:@GOOD@ ssl verify none no-tlsv13
                frontend good
                  bind 127.0.0.1:@GOOD@ ssl crt %3$s
                  http-request return status 200 content-type text/plain lf-string "%%[ssl_fc_protocol] %%[ssl_fc_sni]"
                frontend bad
                  bind 127.0.0.1:@REVOKED@ ssl crt %4$s
                  http-request return status 200 content-type text/plain lf-string "%%[ssl_fc_protocol]"
                """.formatted(root.pem(), dir.resolve("crls.pem"), dir.resolve("srv-full.pem"), dir.resolve("srvrevoked-full.pem")))) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> results = new ArrayList<>();
                for (String b : new String[] {"ok", "nosni", "wronghost", "wrongsni", "revoked", "nocrl", "v12", "nov13"}) {
                    String r = io.haquark.support.RawHttp.exchange(port, "GET /" + b + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                    results.add(b + ": " + io.haquark.support.RawHttp.status(r) + " " + r.substring(r.indexOf("\r\n\r\n") + 4).trim());
                }
                seen.add(results);
            }
            List<String> ours = seen.get(0);
            assertEquals("ok: 200 TLSv1.3 srv.test", ours.get(0), ours.toString());
            assertEquals("revoked: 503", ours.get(4).substring(0, 12), ours.toString());
            assertEquals("v12: 200 TLSv1.2", ours.get(6), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }

    /** ssl_fc_* and ssl_bc_* connection fetches (configuration.txt §7.3.4) for TLS 1.2 and 1.3, as HAProxy answers them. */
    @Test
    void connectionFetchesLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(Http2Test.curlAvailable(), "SKIPPED: needs curl");
        String fc = "%[ssl_fc] %[ssl_fc_protocol] %[ssl_fc_cipher] %[ssl_fc_alg_keysize] %[ssl_fc_use_keysize] %[ssl_fc_has_sni]"
                + " %[ssl_fc_has_crt] %[ssl_fc_has_early] %[ssl_fc_session_id,hex,length] %[ssl_fc_sni]";
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@ ssl crt %1$s
                  http-request return status 200 content-type text/plain lf-string "%2$s\\n"
                frontend plain
                  bind 127.0.0.1:@PLAIN@
                  default_backend tls12
                backend tls12
                  http-response set-header x-bc "%%[ssl_bc] %%[ssl_bc_protocol] %%[ssl_bc_cipher] %%[ssl_bc_alg_keysize] %%[ssl_s_s_dn(CN)]"
                  server s 127.0.0.1:@FE@ ssl verify none ssl-max-ver TLSv1.2 ciphers ECDHE-RSA-AES256-GCM-SHA384
                """.formatted(TlsTest.CERT, fc))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int port = t.ports().get(i);
                int plain = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("PLAIN");
                List<String> out = new ArrayList<>();
                out.add(Http2Test.curl("-k", "https://127.0.0.1:" + port + "/").trim());
                out.add(Http2Test.curl("-k", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", "--resolve",
                        "corpus.test:" + port + ":127.0.0.1", "https://corpus.test:" + port + "/").trim());
                out.add(Http2Test.curl("-s", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:" + plain + "/").lines()
                        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-bc:")).findFirst().orElse("<none>").trim());
                seen.add(out);
            }
            List<String> ours = seen.get(0);
            assertEquals("1 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 128 128 1 0 0 64 corpus.test", ours.get(1), ours.toString());
            assertEquals("x-bc: 1 TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384 256 corpus.test", ours.get(2), ours.toString());
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }

    /** The length in bytes of a certificate's DER form. */
    private static long derLength(Path dir, String name) throws Exception {
        var cf = java.security.cert.CertificateFactory.getInstance("X.509");
        try (var in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            return cf.generateCertificate(in).getEncoded().length;
        }
    }
}
