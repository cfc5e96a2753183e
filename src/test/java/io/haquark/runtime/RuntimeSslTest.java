package io.haquark.runtime;

import static io.haquark.runtime.RuntimeApiTest.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The TLS commands of the runtime API (management.txt "set/commit/abort/new/del ssl cert",
 * "add/del/show ssl crt-list", "new/set/commit ssl ca-file"), driven on haquark and HAProxy with
 * the same files: every answer compared, and the certificate each server name gets in a real
 * handshake after each change.
 */
class RuntimeSslTest {

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static boolean openssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A self-signed certificate and its key in one PEM file, for the name given. */
    private static Path pem(Path dir, String name) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".crt", "-days", "30", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name);
        Path p = dir.resolve(name + ".pem");
        Files.writeString(p, Files.readString(dir.resolve(name + ".crt")) + Files.readString(dir.resolve(name + ".key")));
        return p;
    }

    /** The CN of the certificate a handshake with this server name gets, or "refused". */
    private static String served(int port, String sni) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) {
                }

                public void checkServerTrusted(X509Certificate[] c, String a) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(sni)));
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate c = (X509Certificate) s.getSession().getPeerCertificates()[0];
                return c.getSubjectX500Principal().getName();
            }
        } catch (Exception e) {
            return "refused";
        }
    }

    @Test
    void certificatesAndCrtListsChangeAtRunTimeLikeHAProxy() throws Exception {
        Assumptions.assumeTrue(openssl(), "SKIPPED: needs openssl");
        Path dir = Files.createTempDirectory("rtssl");
        Path a = pem(dir, "a.test");
        Path b = pem(dir, "b.test");
        Path c = pem(dir, "c.test");
        Path ca = dir.resolve("b.test.crt");
        Path list = Files.writeString(dir.resolve("list.txt"), a + " a.test\n");
        try (Twin t = Twin.start("""
                global
                  stats socket ipv4@127.0.0.1:@CLI@ level admin
                """ + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@ ssl crt %s
                  bind 127.0.0.1:@LIST@ ssl crt-list %s strict-sni
                  http-request return status 200
                """.formatted(a, list))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> extra = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                int cli = extra.get("CLI");
                int fe = t.ports().get(i);
                int strict = extra.get("LIST");
                List<String> out = new ArrayList<>();
                out.add(tcp(cli, "show ssl cert"));
                out.add(tcp(cli, "set ssl cert " + a + " <<\n" + Files.readString(b).strip() + "\n"));
                out.add(tcp(cli, "show ssl cert"));
                out.add(tcp(cli, "show ssl cert *" + a).replaceAll("(?m)^(notBefore|notAfter|Serial|SHA1 FingerPrint): .*\n", ""));
                out.add("before commit: " + served(fe, "x.test"));
                out.add(tcp(cli, "commit ssl cert " + a));
                out.add("after commit: " + served(fe, "x.test") + ", strict a.test: " + served(strict, "a.test"));
                out.add(tcp(cli, "abort ssl cert " + a));
                out.add(tcp(cli, "commit ssl cert " + a));
                out.add(tcp(cli, "set ssl cert " + dir.resolve("none.pem") + " <<\n" + Files.readString(b).strip() + "\n"));
                out.add(tcp(cli, "set ssl cert " + a + " <<\nnot a certificate\n"));
                out.add(tcp(cli, "show ssl cert " + dir.resolve("none.pem")));
                out.add(tcp(cli, "new ssl cert " + c));
                out.add(tcp(cli, "new ssl cert " + c));
                out.add(tcp(cli, "show ssl cert " + c));
                out.add(tcp(cli, "add ssl crt-list " + list + " " + c));
                out.add(tcp(cli, "set ssl cert " + c + " <<\n" + Files.readString(c).strip() + "\n"));
                out.add(tcp(cli, "commit ssl cert " + c));
                out.add("strict c.test before add: " + served(strict, "c.test"));
                out.add(tcp(cli, "add ssl crt-list " + list + "/ <<\n" + c + " [verify none] c.test !d.test\n"));
                out.add(tcp(cli, "add ssl crt-list " + list + " <<\n" + c + " [ca-file " + ca + "] c.test\n"));
                out.add(tcp(cli, "show ssl crt-list"));
                out.add(tcp(cli, "show ssl crt-list -n " + list));
                out.add("strict c.test after add: " + served(strict, "c.test"));
                out.add(tcp(cli, "del ssl cert " + c));
                out.add(tcp(cli, "del ssl crt-list " + list + " " + dir.resolve("nothing.pem")));
                out.add(tcp(cli, "del ssl crt-list " + list + " " + c));
                out.add("strict c.test after del: " + served(strict, "c.test"));
                out.add(tcp(cli, "del ssl cert " + c));
                out.add(tcp(cli, "show ssl cert"));
                out.add(tcp(cli, "new ssl ca-file extra.crt"));
                out.add(tcp(cli, "set ssl ca-file extra.crt <<\n" + Files.readString(ca).strip() + "\n"));
                out.add(tcp(cli, "show ssl ca-file"));
                out.add(tcp(cli, "commit ssl ca-file extra.crt"));
                out.add(tcp(cli, "show ssl ca-file extra.crt").replaceAll("(?m)^(notBefore|notAfter|Serial|SHA1 FingerPrint): .*\n", ""));
                out.add(tcp(cli, "del ssl ca-file extra.crt"));
                out.add(tcp(cli, "del ssl ca-file extra.crt"));
                seen.add(out);
            }
            List<String> ours = seen.get(0);
            String report = String.join("\n----\n", ours);
            assertTrue(ours.get(6).startsWith("after commit: CN=b.test, strict a.test: CN=b.test"), report);
            assertTrue(ours.get(23).equals("strict c.test after add: CN=c.test"), report);
            assertTrue(ours.get(27).equals("strict c.test after del: refused"), report);
            if (seen.size() > 1) {
                List<String> theirs = seen.get(1).stream().map(s -> s.replaceAll("@system-ca - \\d+ certificate\\(s\\)\n", "")).toList();
                for (int i = 0; i < ours.size(); i++) {
                    assertEquals(theirs.get(i), ours.get(i), "answer " + i + " differs from HAProxy's\n" + report);
                }
            }
        }
    }
}
