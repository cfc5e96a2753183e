package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.Diagnostics;
import io.haquark.support.FreePorts;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An in-process reload (SIGHUP/SIGUSR2) keeps every client connection: keep-alive clients that
 * never retry (a closed socket or a "Connection: close" is counted, as wrk counts read errors)
 * send requests while the configuration is reloaded 100 times. Before the fix, connections of
 * the replaced model were closed after their current response without telling the client,
 * which wrk saw as socket read errors.
 */
class ReloadKeepAliveTest {
    static final int PORT = FreePorts.next();

    static String cfg(int variant, TestBackend a, TestBackend b) {
        String servers = variant % 2 == 0 ? "  server a " + a.address() + "\n"
                : "  server a " + a.address() + "\n  server b " + b.address() + "\n";
        return TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:%d
                  http-response set-header x-variant %d
                  default_backend web
                backend web
                %s""".formatted(PORT, variant, servers);
    }

    @Test
    void hundredReloadsCloseNoClientConnection() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(0, a, b))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            java.util.Set<String> variantsSeen = ConcurrentHashMap.newKeySet();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    // bounded: one connection per client, at most 50 000 requests, only while reloads run
                    try (Socket s = new Socket("127.0.0.1", PORT)) {
                        s.setSoTimeout(5000);
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        for (int i = 0; !stop.get() && i < 50_000; i++) {
                            out.write(("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            String head = readHead(in);
                            if (head == null) {
                                failures.computeIfAbsent("connection closed by the proxy", k -> new AtomicInteger()).incrementAndGet();
                                return;
                            }
                            String lower = head.toLowerCase();
                            skipBody(in, lower);
                            if (!head.startsWith("HTTP/1.1 200")) {
                                failures.computeIfAbsent(head.substring(0, head.indexOf('\r')), k -> new AtomicInteger()).incrementAndGet();
                            } else {
                                ok.incrementAndGet();
                            }
                            int v = lower.indexOf("x-variant: ");
                            if (v >= 0) {
                                variantsSeen.add(lower.substring(v + 11, lower.indexOf('\r', v)));
                            }
                            if (lower.contains("\r\nconnection: close")) {
                                failures.computeIfAbsent("Connection: close", k -> new AtomicInteger()).incrementAndGet();
                                return;
                            }
                        }
                    } catch (IOException e) {
                        failures.computeIfAbsent(e.toString(), k -> new AtomicInteger()).incrementAndGet();
                    }
                });
                t.start();
                clients.add(t);
            }
            for (int r = 1; r <= 100; r++) {
                Thread.sleep(20);
                p.engine.reload(ReloadTest.parse(cfg(r, a, b)), Path.of("."), new Diagnostics());
            }
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            System.out.printf("100 reloads, keep-alive clients: %d requests, failures %s, variants seen %d%n",
                    ok.get(), failures, variantsSeen.size());
            assertEquals(Map.of(), Map.copyOf(failures), "no connection closed, no failed request");
            assertTrue(ok.get() > 400, "load ran: " + ok.get());
            // The kept connections did move on to the new models (not served by the first one forever).
            assertTrue(variantsSeen.contains("100"), "the last model answered on kept connections: " + variantsSeen);
            assertTrue(variantsSeen.size() > 10, "models seen: " + variantsSeen);
        } finally {
            a.close();
            b.close();
        }
    }

    /** The response head up to the blank line, or null at end of stream. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    static void skipBody(InputStream in, String lowerHead) throws IOException {
        int i = lowerHead.indexOf("content-length: ");
        if (i >= 0) {
            long n = Long.parseLong(lowerHead.substring(i + 16, lowerHead.indexOf('\r', i)).trim());
            for (long k = 0; k < n; k++) {
                if (in.read() < 0) {
                    throw new IOException("body cut");
                }
            }
        } else if (lowerHead.contains("transfer-encoding: chunked")) {
            while (true) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        throw new IOException("chunk cut");
                    }
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
                int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
                for (int k = 0; k < size + 2; k++) {
                    in.read();
                }
                if (size == 0) {
                    return;
                }
            }
        }
    }
}
