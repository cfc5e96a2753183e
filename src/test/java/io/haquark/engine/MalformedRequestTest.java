package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Requests HAProxy rejects get the same bytes back from haquark (status line, headers,
 * HTML body), and a bad request never disturbs other connections.
 */
class MalformedRequestTest {
    static TestBackend backend;
    static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend(TestVertx.get(), "s1");
        twin = Twin.start("""
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 2s
                  timeout http-request 1s
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        twin.close();
        backend.close();
    }

    static final String[][] CASES = {
            {"garbage request line", "GARBAGE\r\n\r\n"},
            {"space in header name", "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n"},
            {"conflicting content-length", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"},
            {"non-numeric content-length", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"},
            {"unknown transfer-encoding", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"},
            {"two different Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
            {"three parts in the URI", "GET /a b HTTP/1.1\r\n\r\n"},
            {"blank before the request line", " GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
            {"bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
            {"too many headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(150) + "\r\n"},
            {"URI longer than a buffer", "GET /" + "a".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
            {"headers larger than a buffer", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20000) + "\r\n\r\n"},
            {"incomplete request (timeout http-request)", "GET / HTTP/1.1\r\nHost: x\r\n"},
    };

    @TestFactory
    Stream<DynamicTest> rejectedLikeHAProxy() {
        return Stream.of(CASES).map(c -> DynamicTest.dynamicTest(c[0], () -> {
            int before = backend.requests.get();
            String ours = RawHttp.exchange(twin.haquarkPort, c[1], 4000);
            int code = RawHttp.status(ours);
            assertTrue(code == 400 || code == 408, c[0] + ": " + ours);
            assertEquals(0, backend.requests.get() - before, "nothing reached the server for " + c[0]);
            if (twin.hasReference()) {
                String theirs = RawHttp.exchange(twin.haproxyPort, c[1], 4000);
                assertEquals(theirs, ours, c[0]);
            }
        }));
    }

    @Test
    void aBadRequestDoesNotDisturbOtherConnections() throws Exception {
        try (Socket good = new Socket("127.0.0.1", twin.haquarkPort)) {
            OutputStream out = good.getOutputStream();
            InputStream in = good.getInputStream();
            good.setSoTimeout(5000);
            out.write("GET /one HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String first = readResponse(in);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            for (String[] c : CASES) {
                if (!c[0].contains("timeout")) {
                    RawHttp.exchange(twin.haquarkPort, c[1], 3000);
                }
            }
            out.write("GET /two HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String second = readResponse(in);
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.contains("s1 GET /two"), second);
        }
        assertEquals(200, Http.get(twin.haquarkPort, "/three").statusCode());
    }

    /** Reads one response with a content-length body from a keep-alive connection. */
    static String readResponse(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int contentLength = -1;
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return sb.toString();
            }
            sb.append((char) b);
        }
        for (String line : sb.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < contentLength; i++) {
            sb.append((char) in.read());
        }
        return sb.toString();
    }
}
