package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.FreePorts;
import io.haquark.support.RawHttp;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS to servers: ssl verify none with sni, and health checks over TLS, against HAProxy. */
class ServerTlsTest {

    @Test
    void proxiesToATlsServer() throws Exception {
        String cert = TlsTest.CERT.toString();
        int port = FreePorts.next();
        String[] sni = {null};
        HttpServer tlsServer = TestVertx.get().createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(cert)))
                .requestHandler(req -> {
                    sni[0] = req.connection().indicatedServerName();
                    req.response().putHeader("x-served-by", "tls").end(req.path().equals("/health") ? "ok" : "secure");
                });
        tlsServer.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  server s 127.0.0.1:%d ssl verify none sni str(corpus.test)
                """.formatted(port);
        try (Twin t = Twin.start(cfg)) {
            for (int p : t.ports()) {
                String raw = RawHttp.exchange(p, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(raw), (p == t.haquarkPort ? "haquark " : "haproxy ") + raw);
                assertEquals("corpus.test", sni[0], "port " + p);
            }
        }
        // ssl-server-verify none: a server without its own "verify" is not verified either.
        String byGlobal = "global\n  ssl-server-verify none\n" + cfg.replace(" ssl verify none ", " ssl ");
        try (Twin t = Twin.start(byGlobal)) {
            for (int p : t.ports()) {
                String raw = RawHttp.exchange(p, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(raw), (p == t.haquarkPort ? "haquark " : "haproxy ") + raw);
            }
        }
        // Health checks of an ssl server speak TLS (with check-sni); checked on haquark alone.
        try (io.haquark.support.ProxyUnderTest p = io.haquark.support.ProxyUnderTest.start(cfg.replace("@FE@", "0")
                .replace("  server s", "  option httpchk GET /health\n  timeout check 3s\n  server s")
                .replace("sni str(corpus.test)", "sni str(corpus.test) check inter 500 check-sni corpus.test"))) {
            var st = p.engine.routing().backend("b").state.servers()[0];
            for (int i = 0; i < 100 && !"L7OK".equals(st.lastCheck); i++) {
                Thread.sleep(50);
            }
            assertEquals("L7OK", st.lastCheck, "the check spoke TLS: " + st.lastCheckDesc);
        } finally {
            tlsServer.close();
        }
    }
}
