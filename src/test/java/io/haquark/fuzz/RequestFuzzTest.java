package io.haquark.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests, sent whole, split at random byte boundaries and pipelined: each
 * must get well-formed HTTP answers or a clean close within the configured timeouts, and a
 * well-behaved client on its own keep-alive connection keeps getting 200 all along.
 * Bounded by haquark.fuzz.requests (default 150, ~20 s).
 */
class RequestFuzzTest {
    private static final String[] BASES = {
        "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n",
        "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    };
    private static final String[] NOISE = {"\r", "\n", "\r\n", " ", "\t", ":", "\0", "\u007f", "\u00ff", "%", "#", "?",
        "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "Host: other\r\n", "ffffffffffffffff\r\n", "-1", "0x10",
        "HTTP/1.1", "HTTP/2.0", "GET", "\r\n\r\n", "Expect: 100-continue\r\n", "Connection: close\r\n", "Upgrade: h2c\r\n"};

    @Test
    void randomRequestsGetAnswersOrCleanClosesAndOthersCarryOn() throws Exception {
        int count = Integer.getInteger("haquark.fuzz.requests", 150);
        long seed = Long.getLong("haquark.fuzz.seed", 7L);
        Random rnd = new Random(seed);
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        int port = io.haquark.support.FreePorts.next();
        try (ProxyUnderTest proxy = ProxyUnderTest.start("""
                defaults
                  mode http
                  timeout client 500ms
                  timeout server 500ms
                  timeout connect 1s
                  timeout http-request 300ms
                  timeout http-keep-alive 100ms
                frontend f
                  bind 127.0.0.1:%d
                  default_backend b
                backend b
                  server app %s
                """.formatted(port, app.address()))) {
            int answered = 0;
            int closedSilently = 0;
            for (int i = 0; i < count; i++) {
                byte[] input = input(rnd);
                String got = exchange(port, input, rnd);
                if (got == null) {
                    throw new AssertionError("input " + i + " (seed " + seed + ") neither answered nor closed: "
                            + new String(input, StandardCharsets.ISO_8859_1));
                }
                if (got.isEmpty()) {
                    closedSilently++;
                } else {
                    assertTrue(got.startsWith("HTTP/1."), "input " + i + " (seed " + seed + ") got: " + got);
                    answered++;
                }
                if (i % 25 == 0) {
                    // A well-behaved neighbour keeps getting its answers.
                    try (Socket good = new Socket("127.0.0.1", port)) {
                        good.setSoTimeout(5000);
                        good.getOutputStream().write("GET /good HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        String r = readOneResponse(good.getInputStream());
                        assertTrue(r.startsWith("HTTP/1.1 200"), "neighbour after input " + i + ": " + r);
                    }
                }
            }
            System.out.printf("request fuzz: %d inputs (seed %d): %d answered, %d closed without an answer%n",
                    count, seed, answered, closedSilently);
            assertEquals(200, Http.get(port, "/after").statusCode());
        } finally {
            app.close();
        }
    }

    static byte[] input(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int pipelined = rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(2) : 1;
        for (int p = 0; p < pipelined; p++) {
            String base = BASES[rnd.nextInt(BASES.length)];
            StringBuilder b = new StringBuilder(base);
            int edits = rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(b.length() + 1);
                switch (rnd.nextInt(4)) {
                    case 0 -> b.insert(at, NOISE[rnd.nextInt(NOISE.length)]);
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    case 2 -> {
                        if (at < b.length()) {
                            b.setCharAt(at, (char) rnd.nextInt(256));
                        }
                    }
                    default -> b.setLength(Math.min(b.length(), at));
                }
            }
            sb.append(b);
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends in random pieces; returns what came back ("" for a close without an answer), or null when nothing happened in time. */
    static String exchange(int port, byte[] input, Random rnd) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1500);
            OutputStream out = s.getOutputStream();
            int at = 0;
            try {
                while (at < input.length) {
                    int n = rnd.nextInt(3) == 0 ? input.length - at : 1 + rnd.nextInt(Math.max(1, input.length - at));
                    out.write(input, at, n);
                    out.flush();
                    at += n;
                    if (rnd.nextBoolean()) {
                        Thread.sleep(rnd.nextInt(3));
                    }
                }
            } catch (java.io.IOException closedEarly) {
                // The proxy may close as soon as it has seen enough to refuse the request.
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // Still open 1.5 s later (client and server timeouts are 500 ms): fine if an answer came (keep-alive), a hang otherwise.
                return got.size() > 0 ? got.toString(StandardCharsets.ISO_8859_1) : null;
            } catch (java.net.SocketException reset) {
                // reset by the proxy: a clean refusal
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static String readOneResponse(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            got.write(c);
            String s = got.toString(StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            if (end >= 0) {
                int cl = s.toLowerCase().indexOf("content-length: ");
                int len = cl < 0 ? 0 : Integer.parseInt(s.substring(cl + 16, s.indexOf("\r\n", cl)).trim());
                if (got.size() >= end + 4 + len) {
                    return s;
                }
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
