package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Http;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** TLS termination with a crt file, ssl_fc and ssl_fc_sni, against HAProxy on the same config. */
class TlsTest {
    static final Path CERT = Path.of(System.getProperty("haquark.corpus", "src/test/resources/corpus"))
            .resolve("files/cert.pem").toAbsolutePath();

    /** A TLS request with SNI "localhost" and ALPN h2,http/1.1; returns the protocol chosen and the answer. */
    static String[] tlsGet(SSLContext ctx, int port, String path, String... alpn) throws Exception {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("localhost")));
            p.setApplicationProtocols(alpn);
            s.setSSLParameters(p);
            s.setSoTimeout(5000);
            s.startHandshake();
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes());
            return new String[] {s.getApplicationProtocol(), io.haquark.support.RawHttp.readAll(s.getInputStream())};
        }
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    @Test
    void terminatesTlsAndRedirectsPlainHttp() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  bind 127.0.0.1:@TLS@ ssl crt %s alpn h2,http/1.1
                  http-request redirect scheme https code 301 unless { ssl_fc }
                  http-request set-header X-SNI %%[ssl_fc_sni]
                  default_backend b
                backend b
                  server app %s
                """.formatted(CERT, app.address()))) {
            SSLContext tls = trustAll();
            for (boolean haquark : new boolean[] {true, false}) {
                if (!haquark && !t.hasReference()) {
                    continue;
                }
                int plain = haquark ? t.haquarkPort : t.haproxyPort;
                int secure = (haquark ? t.haquarkExtra : t.haproxyExtra).get("TLS");
                HttpResponse<String> redirect = Http.get(plain, "/x?y=1");
                assertEquals(301, redirect.statusCode(), "plain port of " + (haquark ? "haquark" : "haproxy"));
                assertEquals("https://127.0.0.1:" + plain + "/x?y=1", redirect.headers().firstValue("location").orElse(""));
                String[] r = tlsGet(tls, secure, "/secure", "http/1.1");
                assertEquals(200, io.haquark.support.RawHttp.status(r[1]), (haquark ? "haquark " : "haproxy ") + r[1]);
                // A client offering h2 first gets h2, from both (Http2Test drives h2 itself).
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", secure)) {
                    javax.net.ssl.SSLParameters p = s.getSSLParameters();
                    p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                    s.setSSLParameters(p);
                    s.startHandshake();
                    assertEquals("h2", s.getApplicationProtocol(), haquark ? "haquark" : "haproxy");
                }
                assertEquals("localhost", app.seenHeaders.get(app.seenHeaders.size() - 1).get("x-sni"));
            }
        } finally {
            app.close();
        }
    }
}
