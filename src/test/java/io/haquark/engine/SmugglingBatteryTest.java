package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request smuggling and normalisation battery of the hardening issue, case by case against
 * HAProxy 2.6 on the same config: the status each proxy answers, and whether anything reached
 * the server. With -Dhaquark.writeReliability=true the table is written to docs/reliability.md.
 */
class SmugglingBatteryTest {
    static TestBackend backend;
    static Twin twin;

    /** name, raw request. */
    static final String[][] REQUESTS = {
        {"bad request line", "GARBAGE\r\n\r\n"},
        {"HTTP/0.9 request", "GET /\r\n\r\n"},
        {"space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"'#' in target", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"control character in header name", "GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Name: v\r\n\r\n"},
        {"header line without colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"},
        {"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"},
        {"URI longer than tune.bufsize", "GET /" + "u".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"header longer than tune.bufsize", "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "h".repeat(20000) + "\r\n\r\n"},
        {"two different Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
        {"conflicting Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
        {"negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
        {"non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n"},
        {"Transfer-Encoding: identity", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"},
        {"Transfer-Encoding: chunked, gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"},
        {"Transfer-Encoding: gzip, chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
        {"bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"},
        {"absolute URI naming another host", "GET http://other.example/ HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"Content-Length and chunked together", "POST /both HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
    };

    /** name, raw response a misbehaving server sends. */
    static final String[][] RESPONSES = {
        {"server answers garbage", "NOT HTTP AT ALL\r\n\r\n"},
        {"server sends two Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"},
        {"server header without colon", "HTTP/1.1 200 OK\r\nBroken\r\nContent-Length: 2\r\n\r\nok"},
        {"server closes before any byte", ""},
    };

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend(TestVertx.get(), "s1");
        twin = Twin.start("""
                defaults
                  mode http
                  timeout client 3s
                  timeout server 3s
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

    private static String firstLine(String raw) {
        int eol = raw.indexOf("\r\n");
        return raw.isEmpty() ? "(closed)" : eol < 0 ? raw : raw.substring(0, eol);
    }

    private static boolean closedAfter(String raw) {
        return raw.toLowerCase().contains("\r\nconnection: close\r\n");
    }

    @Test
    void requestsAreAnsweredLikeHAProxy() throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (String[] c : REQUESTS) {
            int before = backend.requests.get();
            String ours = RawHttp.exchange(twin.haquarkPort, c[1], 4000);
            int oursForwarded = backend.requests.get() - before;
            String theirs = "";
            int theirsForwarded = -1;
            if (twin.hasReference()) {
                before = backend.requests.get();
                theirs = RawHttp.exchange(twin.haproxyPort, c[1], 4000);
                theirsForwarded = backend.requests.get() - before;
                if (RawHttp.status(ours) != RawHttp.status(theirs) || oursForwarded != theirsForwarded) {
                    mismatches.add(c[0] + ": ours " + firstLine(ours) + " (forwarded " + oursForwarded + "), HAProxy "
                            + firstLine(theirs) + " (forwarded " + theirsForwarded + ")");
                }
            }
            rows.add("| " + c[0] + " | " + firstLine(ours) + (oursForwarded > 0 ? ", forwarded" : "")
                    + (closedAfter(ours) ? ", closed" : "") + " | "
                    + (twin.hasReference() ? firstLine(theirs) + (theirsForwarded > 0 ? ", forwarded" : "")
                    + (closedAfter(theirs) ? ", closed" : "") : "(haproxy not installed)") + " |");
            if (!c[0].equals("Content-Length and chunked together") && oursForwarded != 0 && !twin.hasReference()) {
                mismatches.add(c[0] + " reached the server: " + firstLine(ours));
            }
        }
        // CL + TE: forwarded chunked, Content-Length dropped, and the client connection closed after.
        String seen = backend.seenHeaders.get(backend.seenHeaders.size() - 1).toString();
        rows.add("");
        write("requests", rows);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertTrue(!seen.contains("content-length=5"), seen);
    }

    @Test
    void misbehavingServersGet502LikeHAProxy() throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (String[] c : RESPONSES) {
            AtomicReference<String> answer = new AtomicReference<>(c[1]);
            try (ServerSocket bad = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> serve(bad, answer));
                t.setDaemon(true);
                t.start();
                try (Twin tw = Twin.start("""
                        defaults
                          mode http
                          timeout client 3s
                          timeout server 2s
                          timeout connect 1s
                        frontend f
                          bind 127.0.0.1:@FE@
                          default_backend b
                        backend b
                          server bad 127.0.0.1:%d
                        """.formatted(bad.getLocalPort()))) {
                    String req = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
                    String ours = RawHttp.exchange(tw.haquarkPort, req, 4000);
                    String theirs = tw.hasReference() ? RawHttp.exchange(tw.haproxyPort, req, 4000) : "";
                    rows.add("| " + c[0] + " | " + firstLine(ours) + " | " + (tw.hasReference() ? firstLine(theirs) : "-") + " |");
                    assertEquals(502, RawHttp.status(ours), c[0] + ": " + ours);
                    if (tw.hasReference() && !theirs.equals(ours)) {
                        mismatches.add(c[0] + ":\nours:   " + ours + "\ntheirs: " + theirs);
                    }
                }
            }
        }
        write("responses", rows);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** Answers every connection with the same bytes, then closes. */
    private static void serve(ServerSocket s, AtomicReference<String> answer) {
        while (!s.isClosed()) {
            try (Socket c = s.accept()) {
                InputStream in = c.getInputStream();
                byte[] buf = new byte[4096];
                StringBuilder got = new StringBuilder();
                while (!got.toString().contains("\r\n\r\n")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                OutputStream out = c.getOutputStream();
                out.write(answer.get().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    private static synchronized void write(String part, List<String> rows) throws Exception {
        if (!Boolean.getBoolean("haquark.writeReliability")) {
            return;
        }
        Path doc = Path.of("docs/reliability.md");
        String text = Files.exists(doc) ? Files.readString(doc) : "";
        String begin = "<!-- battery:" + part + " -->";
        String end = "<!-- /battery:" + part + " -->";
        String header = part.equals("requests")
                ? "| request | haquark | HAProxy 2.6 |\n|---|---|---|\n"
                : "| server behaviour | haquark | HAProxy 2.6 |\n|---|---|---|\n";
        String table = begin + "\n" + header + String.join("\n", rows).strip() + "\n" + end;
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        text = b >= 0 && e > b ? text.substring(0, b) + table + text.substring(e + end.length()) : text + "\n" + table + "\n";
        Files.writeString(doc, text);
    }
}
