package io.haquark.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "filter trace" (configuration.txt §9.1) through a real socket: every callback of the chain
 * is reported, the frontend's filter before the backend's, and the messages pass unchanged
 * (HAProxy 2.6 answers the same with the same config).
 */
class TraceFilterTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Consumer<String> saved;

    @BeforeEach
    void listen() {
        saved = TraceFilter.out;
        TraceFilter.out = lines::add;
    }

    @AfterEach
    void restore() {
        TraceFilter.out = saved;
    }

    @Test
    void everyCallbackOfBothProxiesRunsInOrderAndTheExchangeIsUnchanged() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  filter trace name FE hexdump
                  default_backend b
                backend b
                  filter trace name BE random-forwarding
                  server s1 %s
                """.formatted(backend.address()))) {
            String body = "hello filters";
            String post = "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            String mine = RawHttp.exchange(twin.haquarkPort, post, 5000);
            assertEquals(200, RawHttp.status(mine), mine);
            if (twin.hasReference()) {
                String theirs = RawHttp.exchange(twin.haproxyPort, post, 5000);
                assertEquals(RawHttp.status(theirs), RawHttp.status(mine));
                assertEquals(theirs.substring(theirs.indexOf("\r\n\r\n")), mine.substring(mine.indexOf("\r\n\r\n")), "same body");
            }
            List<String> fe = lines.stream().filter(l -> l.contains("[FE ")).map(TraceFilterTest::callback).toList();
            List<String> be = lines.stream().filter(l -> l.contains("[BE ")).map(TraceFilterTest::callback).toList();
            List<String> expected = List.of("start", "request headers", "request data", "response headers", "response data", "end");
            assertEquals(expected, dedupe(fe), String.join("\n", lines));
            assertEquals(expected, dedupe(be), String.join("\n", lines));
            // The frontend's filter sees each step before the backend's.
            int feStart = indexOf("[FE ", "start");
            int beStart = indexOf("[BE ", "start");
            assertTrue(feStart >= 0 && feStart < beStart, String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("[FE ") && l.contains("68 65 6c 6c 6f")), "hexdump of the body");
            assertTrue(lines.stream().noneMatch(l -> l.contains("[BE ") && l.contains("68 65 6c 6c 6f")), "no hexdump without the option");
        } finally {
            backend.close();
        }
    }

    @Test
    void bodyHeldByWaitForBodyStillPassesTheFilters() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (io.haquark.support.ProxyUnderTest p = io.haquark.support.ProxyUnderTest.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  http-request wait-for-body time 2s
                  filter trace name HELD
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            int port = p.engine.boundPort("f", 0);
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                var out = s.getOutputStream();
                out.write("POST /w HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n".getBytes());
                out.flush();
                Thread.sleep(100);
                out.write("hello".getBytes());
                out.flush();
                assertEquals(200, RawHttp.status(RawHttp.readAll(s.getInputStream())));
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains("[HELD ") && l.contains("request data: 5 byte(s)")), String.join("\n", lines));
        } finally {
            backend.close();
        }
    }

    private int indexOf(String id, String callback) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(id) && callback(lines.get(i)).equals(callback)) {
                return i;
            }
        }
        return -1;
    }

    private static String callback(String line) {
        String rest = line.substring(line.indexOf("[txn ") + 15);
        return rest.substring(0, rest.indexOf(':')).trim();
    }

    /** Body data may come in several parts: one entry per run of the same callback. */
    private static List<String> dedupe(List<String> in) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : in) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
