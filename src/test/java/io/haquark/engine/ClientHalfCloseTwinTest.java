package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that ends its sending side right after its request ("printf 'GET / ...' | nc" does)
 * still gets the answer, from a server as from the proxy itself, then the connection closes;
 * requests pipelined behind the first are not answered. Compared with HAProxy 2.6.
 */
class ClientHalfCloseTwinTest {

    @Test
    void aRequestFollowedByFinIsAnswered() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        String cfg = """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request return status 203 if { path /local }
                  default_backend b
                backend b
                  server s %s
                """.formatted(app.address());
        try (app; Twin twin = Twin.start(cfg)) {
            List<String> seen = new ArrayList<>();
            for (int port : twin.ports()) {
                StringBuilder r = new StringBuilder();
                r.append(statuses(halfClosed(port, "GET /a HTTP/1.0\r\n\r\n")));
                r.append(' ').append(statuses(halfClosed(port, "GET /local HTTP/1.1\r\nHost: x\r\n\r\n")));
                r.append(' ').append(statuses(halfClosed(port,
                        "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")));
                seen.add(r.toString());
            }
            assertEquals("[200] [203] [200]", seen.get(0), String.join(" / ", seen));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "HAProxy vs haquark");
            }
        }
    }

    /** Sends the bytes, shuts the sending side, reads until the proxy closes. */
    private static String halfClosed(int port, String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return RawHttp.readAll(s.getInputStream());
        }
    }

    private static List<Integer> statuses(String raw) {
        List<Integer> out = new ArrayList<>();
        for (String line : raw.split("\r\n")) {
            if (line.startsWith("HTTP/1.")) {
                out.add(Integer.parseInt(line.substring(9, 12)));
            }
        }
        return out;
    }
}
