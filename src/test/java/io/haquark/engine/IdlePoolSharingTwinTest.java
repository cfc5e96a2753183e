package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle server connections are shared between event loops (tune.idle-pool.shared, on by
 * default, as HAProxy shares them between threads): with "http-reuse always" every client
 * after the first reuses the one server connection, whichever loop accepted it, so the
 * receiving proxy sees no further first request (reg-test connection/http_reuse_always).
 * With "safe", a client's first request gets a connection of its own. Compared with HAProxy 2.6.
 */
class IdlePoolSharingTwinTest {

    @Test
    void everyLoopReusesTheIdleConnection() throws Exception {
        String cfg = """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                listen sender
                  bind 127.0.0.1:@FE@
                  http-reuse always
                  server srv 127.0.0.1:@RCV@
                listen safe
                  bind 127.0.0.1:@SAFE@
                  server srv 127.0.0.1:@RCV2@
                listen receiver
                  bind 127.0.0.1:@RCV@
                  bind 127.0.0.1:@RCV2@
                  http-request return status 200
                  http-after-response set-header first %[http_first_req]
                """;
        try (Twin twin = Twin.start(cfg)) {
            List<String> results = new ArrayList<>();
            for (int port : twin.ports()) {
                boolean hq = port == twin.haquarkPort;
                StringBuilder r = new StringBuilder("always:");
                for (int i = 0; i < 6; i++) {
                    r.append(' ').append(firstFlags(port, 1));
                    Thread.sleep(50);                  // the connection is parked idle before the next client
                }
                int safe = hq ? twin.haquarkExtra.get("SAFE") : twin.haproxyExtra.get("SAFE");
                r.append(" safe:");
                for (int i = 0; i < 6; i++) {
                    r.append(' ').append(firstFlags(safe, 2));
                }
                results.add(r.toString());
            }
            assertEquals("always: 1 0 0 0 0 0 safe: 10 10 10 10 10 10", results.get(0));
            if (results.size() > 1) {
                assertEquals(results.get(1), results.get(0), "HAProxy vs haquark");
            }
        }
    }

    /** Requests on one new client connection: the receiver's http_first_req of each. */
    private static String firstFlags(int port, int requests) throws Exception {
        StringBuilder flags = new StringBuilder();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            for (int i = 0; i < requests; i++) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String head = H2ServerReuseTwinTest.readHead(in);
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("first:")) {
                        flags.append(line.substring(6).trim());
                    }
                }
            }
        }
        return flags.toString();
    }
}
