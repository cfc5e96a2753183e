package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1 requests HAProxy 2.6 accepts or normalises in its own way, through both proxies to a
 * server that answers with the bytes it received (issue 16): bare LF line ends, the same
 * Content-Length twice or as a list, different ones (400), HTTP/1.0 forwarded as HTTP/1.0 with
 * "connection: keep-alive", HTTP/1.0 with a chunked body, an absolute-form target on monitor-uri.
 */
class HttpParsingTwinTest {

    @Test
    void requestsReachTheServerAsHaproxySendsThem() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("bare LF", "GET /a HTTP/1.1\nHost: x\nConnection: close\n\n");
        requests.put("Content-Length twice", "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
        requests.put("Content-Length list", "POST /g HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\nConnection: close\r\n\r\nabc");
        requests.put("different Content-Lengths", "POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd");
        requests.put("HTTP/1.0 chunked", "POST /c HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        requests.put("HTTP/1.0", "GET /e HTTP/1.0\r\nHost: x\r\n\r\n");
        // HTTP/1.0 GET/HEAD/DELETE with a body: 413 (a POST goes through, an empty body too).
        requests.put("HTTP/1.0 GET with a body", "GET /h HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        requests.put("HTTP/1.0 DELETE chunked", "DELETE /h HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        requests.put("HTTP/1.0 GET empty body", "GET /i HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        requests.put("HTTP/1.1 GET with a body", "GET /j HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
        requests.put("absolute monitor-uri", "GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                     frontend f
                       bind 127.0.0.1:@FE@
                       monitor-uri /health
                       default_backend b
                     backend b
                       server s 127.0.0.1:%d
                     """.formatted(echo.getLocalPort()))) {
            Thread server = new Thread(() -> serve(echo));
            server.setDaemon(true);
            server.start();
            for (Map.Entry<String, String> r : requests.entrySet()) {
                String ours = RawHttp.exchange(twin.haquarkPort, r.getValue(), 5000);
                assertTrue(ours.startsWith("HTTP/1.1 "), r.getKey() + ": " + ours);
                if (twin.hasReference()) {
                    String theirs = RawHttp.exchange(twin.haproxyPort, r.getValue(), 5000);
                    // The first line and what the server received must agree; error pages may differ in case.
                    assertEquals(theirs.substring(0, theirs.indexOf("\r\n")), ours.substring(0, ours.indexOf("\r\n")), r.getKey());
                    if (RawHttp.status(theirs) == 200) {
                        assertEquals(theirs.substring(theirs.indexOf("\r\n\r\n")), ours.substring(ours.indexOf("\r\n\r\n")), r.getKey());
                    }
                }
            }
        }
    }

    /** Answers each request with the bytes it received (head and body), then closes. */
    private static void serve(ServerSocket echo) {
        while (!echo.isClosed()) {
            try (Socket s = echo.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int length = 0;
                boolean chunked = false;
                while (!got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    got.write(b);
                }
                for (String line : got.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                    String l = line.toLowerCase();
                    if (l.startsWith("content-length:")) {
                        length = Integer.parseInt(l.substring(15).trim());
                    } else if (l.startsWith("transfer-encoding:")) {
                        chunked = true;
                    }
                }
                if (chunked) {
                    while (!got.toString(StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        got.write(b);
                    }
                } else {
                    got.write(in.readNBytes(length));
                }
                byte[] body = got.toByteArray();
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(body);
            } catch (java.io.IOException e) {
                // one exchange failed or the socket closed: go on with the next one
            }
        }
    }
}
