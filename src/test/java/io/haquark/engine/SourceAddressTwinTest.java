package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import org.junit.jupiter.api.Test;

/**
 * "source" (configuration.txt §4.2): a backend's server connections leave from its source
 * address, a server's own "source" wins over the backend's, in HTTP and TCP mode; the same
 * config on HAProxy 2.6 shows the servers the same peer addresses.
 */
class SourceAddressTwinTest {

    @Test
    void serversSeeTheConfiguredSourceAddress() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        app.handler(req -> req.response().putHeader("x-peer", req.remoteAddress().host()).end("ok"));
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  use_backend own if { path_beg /own }
                  default_backend shared
                backend shared
                  source 127.0.0.2
                  server s1 %1$s check inter 300
                backend own
                  source 127.0.0.2
                  server s2 %1$s source 127.0.0.3
                listen t
                  mode tcp
                  bind 127.0.0.1:@TCP@
                  source 127.0.0.4:0
                  server s3 %1$s
                """.formatted(app.address());
        try (app; Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                int tcp = port == twin.haquarkPort ? twin.haquarkExtra.get("TCP") : twin.haproxyExtra.get("TCP");
                assertEquals("127.0.0.2", peer(port, "/"), who);
                assertEquals("127.0.0.3", peer(port, "/own"), who);
                assertEquals("127.0.0.4", peer(tcp, "/"), who + " tcp");
            }
        }
    }

    private static String peer(int port, String path) throws Exception {
        String answer = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        assertEquals(200, RawHttp.status(answer), answer);
        for (String line : answer.split("\r\n")) {
            if (line.toLowerCase().startsWith("x-peer:")) {
                return line.substring(7).trim();
            }
        }
        return null;
    }
}
