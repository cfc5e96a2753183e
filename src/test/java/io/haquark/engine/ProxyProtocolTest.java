package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import io.vertx.core.net.NetServer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PROXY protocol: accept-proxy sets the client address, send-proxy announces it; against HAProxy. */
class ProxyProtocolTest {

    @Test
    void acceptProxyAndSendProxy() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        int rawPort = FreePorts.next();
        CopyOnWriteArrayList<String> headers = new CopyOnWriteArrayList<>();
        NetServer raw = TestVertx.get().createNetServer().connectHandler(so -> so.handler(b -> {
            String text = b.toString();
            if (text.startsWith("PROXY ")) {
                headers.add(text.substring(0, text.indexOf("\r\n")));
            }
            so.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            so.close();
        }));
        raw.listen(rawPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@ accept-proxy
                  option forwardfor
                  use_backend announce if { path_beg /announce }
                  default_backend b
                backend b
                  server app %s
                backend announce
                  server raw 127.0.0.1:%d send-proxy
                """.formatted(app.address(), rawPort))) {
            for (int port : t.ports()) {
                String r = RawHttp.exchange(port, "PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\n"
                        + "GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(r), r);
                assertEquals("203.0.113.7", app.seenHeaders.get(app.seenHeaders.size() - 1).get("x-forwarded-for"), "port " + port);
                String a = RawHttp.exchange(port, "PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\n"
                        + "GET /announce HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(a), a);
                assertTrue(!headers.isEmpty(), "the server got a PROXY header");
                assertEquals("PROXY TCP4 203.0.113.7 198.51.100.1 40000 443", headers.get(headers.size() - 1), "port " + port);
            }
        } finally {
            raw.close();
            app.close();
        }
    }
}
