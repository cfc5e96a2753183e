package io.haquark.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigException;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Faults and limits through real sockets: a client that never reads, a server that resets in
 * the middle of a response or drops kept-alive connections at random, a server name that stops
 * resolving at reload. Each time the proxy stays bounded and the other connections are served.
 */
class HardeningTest {

    /** 256 MiB on offer, the client reads nothing: the server is held back, the proxy buffers little. */
    @Test
    void clientThatNeverReadsHoldsTheServerBackAndTimesOut() throws Exception {
        AtomicLong pushed = new AtomicLong();
        long total = 256L << 20;
        TestBackend big = new TestBackend(TestVertx.get(), "big").handler(req -> {
            if (!req.path().equals("/big")) {
                req.response().end("small");
                return;
            }
            HttpServerResponse r = req.response().setChunked(true);
            Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                while (!r.writeQueueFull() && pushed.get() < total && !r.closed()) {
                    r.write(chunk);
                    pushed.addAndGet(chunk.length());
                }
                if (pushed.get() >= total) {
                    r.end();
                } else if (!r.closed()) {
                    r.drainHandler(v -> pump[0].run());
                }
            };
            pump[0].run();
        });
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                defaults
                  mode http
                  timeout client 1500ms
                  timeout server 30s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(big.address()))) {
            int port = p.engine.boundPort("f", 0);
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(800);
                long held = pushed.get();
                assertTrue(held < 32L << 20, "the server pushed " + (held >> 20) + " MiB to a client that reads nothing");
                // Meanwhile another client is served at once.
                assertEquals("small", Http.get(port, "/other").body());
                // timeout client: the proxy gives up on the client that does not read.
                Thread.sleep(2500);
                long before = pushed.get();
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long read = 0;
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        read += n;
                    }
                } catch (java.net.SocketException reset) {
                    // a reset is a close too
                }
                assertTrue(read < before + (1 << 20) && read < total,
                        "connection closed after timeout client: read " + (read >> 20) + " MiB of " + (total >> 20));
            }
        } finally {
            big.close();
        }
    }

    /** Headers and part of the body, then a TCP reset: the client sees a cut, nothing hangs, counters say why. */
    @Test
    void serverResetInTheMiddleOfAResponse() throws Exception {
        TestBackend good = new TestBackend(TestVertx.get(), "good");
        try (ServerSocket bad = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = bad.accept()) {
                    readHead(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[1000]);
                    out.flush();
                    Thread.sleep(100);
                    c.setSoLinger(true, 0);
                } catch (Exception ignored) {
                    // the test reads the outcome through the proxy
                }
            });
            t.start();
            try (ProxyUnderTest p = ProxyUnderTest.start(TestConfigs.HTTP_DEFAULTS + """
                    frontend f
                      bind 127.0.0.1:0
                      use_backend ok if { path_beg /ok }
                      default_backend cut
                    backend cut
                      server s1 127.0.0.1:%d
                    backend ok
                      server s1 %s
                    """.formatted(bad.getLocalPort(), good.address()))) {
                int port = p.engine.boundPort("f", 0);
                long start = System.currentTimeMillis();
                String raw = RawHttp.exchange(port, "GET /cut HTTP/1.1\r\nHost: x\r\n\r\n", 5000);
                assertTrue(System.currentTimeMillis() - start < 4000, "no hang");
                assertTrue(raw.startsWith("HTTP/1.1 200"), raw.length() > 80 ? raw.substring(0, 80) : raw);
                int body = raw.length() - raw.indexOf("\r\n\r\n") - 4;
                assertTrue(body >= 1000 && body < 100_000, "a truncated body: " + body);
                long end = System.currentTimeMillis() + 3000;
                var counters = p.engine.routing().backend("cut").state.servers()[0].counters;
                while (counters.serverAborts.sum() == 0 && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                assertEquals(1, counters.serverAborts.sum(), "srv_abrt of cut/s1");
                assertEquals(200, RawHttp.status(RawHttp.exchange(port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000)),
                        "the other backend is served right after");
            }
            t.join(2000);
        } finally {
            good.close();
        }
    }

    /**
     * A server that closes a third of its kept-alive connections right after answering (without
     * saying so): a pooled connection it closed is not worth a failed request.
     */
    @Test
    void serverClosingKeptAliveConnectionsAtRandomCostsNoRequest() throws Exception {
        try (ServerSocket flaky = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Random random = new Random(42);
            Thread acceptor = new Thread(() -> {
                while (!flaky.isClosed()) {
                    try {
                        Socket c = flaky.accept();
                        boolean[] drop = new boolean[64];
                        synchronized (random) {
                            for (int i = 0; i < drop.length; i++) {
                                drop[i] = random.nextInt(3) == 0;
                            }
                        }
                        Thread w = new Thread(() -> {
                            try (c) {
                                for (int i = 0; i < drop.length; i++) {
                                    if (!readHead(c.getInputStream())) {
                                        return;
                                    }
                                    c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                                    c.getOutputStream().flush();
                                    if (drop[i]) {
                                        Thread.sleep(i % 2 == 0 ? 0 : 20);
                                        return;
                                    }
                                }
                            } catch (Exception ignored) {
                                // connection gone
                            }
                        });
                        w.setDaemon(true);
                        w.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ProxyUnderTest p = ProxyUnderTest.start(TestConfigs.HTTP_DEFAULTS + """
                    frontend f
                      bind 127.0.0.1:0
                      default_backend flaky
                    backend flaky
                      retries 3
                      server s1 127.0.0.1:%d
                    """.formatted(flaky.getLocalPort()))) {
                int port = p.engine.boundPort("f", 0);
                var client = java.net.http.HttpClient.newHttpClient();
                int failed = 0;
                for (int i = 0; i < 300; i++) {
                    var r = client.send(Http.request(port, "/r" + i).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 || !r.body().equals("ok")) {
                        failed++;
                    }
                    if (i % 7 == 0) {
                        Thread.sleep(25);   // lets some closes land while the connection sits in the pool
                    }
                }
                assertEquals(0, failed, "requests that failed because the server closed a pooled connection");
            }
        }
    }

    /** A server name that no longer resolves: the new configuration is refused, the running one goes on. */
    @Test
    void reloadWithANameThatStoppedResolvingKeepsTheOldConfiguration() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  server s1 %s
                """;
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg.formatted(app.address()))) {
            int port = p.engine.boundPort("f", 0);
            assertEquals(200, Http.get(port, "/").statusCode());
            ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(), Path.of("."))
                    .loadText("reload.cfg", cfg.formatted("gone.haquark.invalid:" + app.port), new Diagnostics()));
            assertTrue(e.getMessage().contains("reload.cfg:10]") && e.getMessage().contains("could not resolve address 'gone.haquark.invalid'"),
                    e.getMessage());
            assertEquals(200, Http.get(port, "/").statusCode(), "the running configuration still serves");
        } finally {
            app.close();
        }
    }

    /** Reads a request or response head; false at end of stream. */
    static boolean readHead(InputStream in) throws java.io.IOException {
        int state = 0;
        while (state < 4) {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (c < 0) {
                return false;
            }
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return true;
    }
}
