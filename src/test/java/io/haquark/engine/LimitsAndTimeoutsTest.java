package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server maxconn and queues, retries and redispatch, and the timeouts, against HAProxy. */
class LimitsAndTimeoutsTest {
    static TestBackend slow;
    static TestBackend fast;

    @BeforeAll
    static void start() {
        var vx = TestVertx.get();
        slow = new TestBackend(vx, "slow").handler(req -> vx.setTimer(400, id -> req.response().end("slow")));
        fast = new TestBackend(vx, "fast");
    }

    @AfterAll
    static void stop() {
        slow.close();
        fast.close();
    }

    static String cfg(String timeouts, String backendBody) {
        return """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                %s
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend b
                backend b
                %s
                """.formatted(timeouts, backendBody);
    }

    static List<Integer> concurrent(int port, int n) throws Exception {
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(port, "/q").statusCode();
                } catch (Exception e) {
                    return -1;
                }
            }));
        }
        List<Integer> codes = new ArrayList<>();
        for (CompletableFuture<Integer> f : all) {
            codes.add(f.get(30, TimeUnit.SECONDS));
        }
        return codes;
    }

    @Test
    void serverMaxconnQueuesTheRest() throws Exception {
        try (Twin t = Twin.start(cfg("  timeout server 5s\n  timeout queue 5s", "  server slow %s maxconn 2".formatted(slow.address())))) {
            for (int port : t.ports()) {
                slow.maxInFlight.set(0);
                List<Integer> codes = concurrent(port, 6);
                assertEquals(List.of(200, 200, 200, 200, 200, 200), codes, "port " + port);
                assertEquals(2, slow.maxInFlight.get(), "port " + port + ": at most maxconn requests on the server");
            }
        }
    }

    @Test
    void queueTimeoutAnswers503() throws Exception {
        try (Twin t = Twin.start(cfg("  timeout server 5s\n  timeout queue 100ms", "  server slow %s maxconn 1".formatted(slow.address())))) {
            for (int port : t.ports()) {
                List<Integer> codes = concurrent(port, 3);
                assertEquals(1, codes.stream().filter(c -> c == 200).count(), "port " + port + " " + codes);
                assertEquals(2, codes.stream().filter(c -> c == 503).count(), "port " + port + " " + codes);
            }
        }
    }

    @Test
    void serverTimeoutAnswers504() throws Exception {
        try (Twin t = Twin.start(cfg("  timeout server 150ms", "  server slow %s".formatted(slow.address())))) {
            for (int port : t.ports()) {
                HttpResponse<String> r = Http.get(port, "/");
                assertEquals(504, r.statusCode(), "port " + port);
                assertTrue(r.body().contains("<h1>504 Gateway Time-out</h1>"), r.body());
            }
        }
    }

    @Test
    void connectionRefusedAfterRetriesIs503() throws Exception {
        int dead = FreePorts.next();
        try (Twin t = Twin.start(cfg("  timeout server 2s\n  retries 1", "  server dead 127.0.0.1:%d".formatted(dead)))) {
            for (int port : t.ports()) {
                long start = System.nanoTime();
                HttpResponse<String> r = Http.get(port, "/");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertEquals(503, r.statusCode(), "port " + port);
                assertTrue(r.body().contains("No server is available to handle this request."), r.body());
                // one retry after a turn-around of min(timeout connect, 1s)
                assertTrue(ms >= 900 && ms < 5000, "port " + port + " took " + ms + " ms");
            }
        }
    }

    @Test
    void redispatchMovesTheLastRetryToAnotherServer() throws Exception {
        int dead = FreePorts.next();
        try (Twin t = Twin.start(cfg("  timeout server 2s\n  retries 1\n  option redispatch",
                "  balance roundrobin\n  server dead 127.0.0.1:%d\n  server fast %s".formatted(dead, fast.address())))) {
            for (int port : t.ports()) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> r = Http.get(port, "/r" + i);
                    assertEquals(200, r.statusCode(), "port " + port);
                    assertEquals("fast", Http.servedBy(r));
                }
            }
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilently() throws Exception {
        try (Twin t = Twin.start(cfg("  timeout server 2s\n  timeout http-keep-alive 200ms\n  timeout http-request 2s",
                "  server fast %s".formatted(fast.address())))) {
            for (int port : t.ports()) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(3000);
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                    InputStream in = s.getInputStream();
                    String first = MalformedRequestTest.readResponse(in);
                    assertTrue(first.startsWith("HTTP/1.1 200"), first);
                    long start = System.nanoTime();
                    String rest = RawHttp.readAll(in);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals("", rest, "port " + port + ": closed without a 408");
                    assertTrue(ms < 1500, "closed after " + ms + " ms");
                }
            }
        }
    }

    @Test
    void frontendMaxconnLeavesExtraConnectionsInTheBacklog() throws Exception {
        String c = """
                defaults
                  mode http
                  timeout client 5s
                  timeout connect 1s
                  timeout server 5s
                frontend f
                  bind 127.0.0.1:@FE@
                  maxconn 1
                  default_backend b
                backend b
                  server fast %s
                """.formatted(fast.address());
        try (Twin t = Twin.start(c)) {
            int port = t.haquarkPort;
            try (Socket hog = new Socket("127.0.0.1", port)) {
                hog.getOutputStream().write("GET /hog HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                hog.setSoTimeout(3000);
                assertTrue(MalformedRequestTest.readResponse(hog.getInputStream()).startsWith("HTTP/1.1 200"));
                // the hog keeps its connection: a second client waits, unanswered
                CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
                    try {
                        return RawHttp.exchange(port, "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 4000);
                    } catch (Exception e) {
                        return "error " + e;
                    }
                });
                Thread.sleep(500);
                assertTrue(!second.isDone(), "the second connection must wait in the backlog: " + (second.isDone() ? second.join() : ""));
                hog.close();
                String answer = second.get(5, TimeUnit.SECONDS);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
        }
    }
}
