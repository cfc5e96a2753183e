package io.haquark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's process handover, on the packaged application: a second process started with
 * "-sf &lt;pid&gt;" binds the same port (SO_REUSEPORT), then the first one finishes what it
 * serves and exits. Four clients send requests the whole time (one connection per request);
 * not one may fail, and after the handover the second process's configuration answers.
 */
class ProcessReloadIT {

    /** bin/haquark (the fast-jar), or the native executable when the native profile built one. */
    static List<String> launcher() {
        Path base = Path.of(System.getProperty("haquark.basedir", "."));
        String nativePath = System.getProperty("native.image.path");
        if (nativePath != null && Files.isExecutable(Path.of(nativePath))) {
            return List.of(nativePath);
        }
        return List.of(base.resolve("bin/haquark").toString());
    }

    static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String config(int port, String server) {
        return """
                global
                  maxconn 500
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend web
                  bind 127.0.0.1:%d
                  default_backend app
                backend app
                  server s1 %s
                """.formatted(port, server);
    }

    static void waitServing(int port, Process p, Path log) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            if (!p.isAlive()) {
                throw new AssertionError("haquark exited " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1000)) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("haquark did not serve within 60 s:\n" + Files.readString(log));
    }

    @Test
    void secondProcessWithSfTakesOverWithoutLosingARequest() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        Path dir = Files.createTempDirectory("sf");
        int port = FreePorts.next();
        Path cfgA = Files.writeString(dir.resolve("a.cfg"), config(port, a.address()));
        Path cfgB = Files.writeString(dir.resolve("b.cfg"), config(port, b.address()));
        Process first = start(dir.resolve("a.log"), "-db", "-f", cfgA.toString());
        Process second = null;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicReference<String> lastServer = new AtomicReference<>();
        List<Thread> clients = new ArrayList<>();
        try {
            waitServing(port, first, dir.resolve("a.log"));
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            String raw = RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                            if (RawHttp.status(raw) == 200) {
                                ok.incrementAndGet();
                                int at = raw.toLowerCase().indexOf("x-served-by: ");
                                lastServer.set(at < 0 ? "?" : raw.substring(at + 13, at + 14));
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, raw.isEmpty() ? "empty answer" : raw.lines().findFirst().orElse(""));
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e.toString());
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(1000);
            int beforeHandover = ok.get();
            second = start(dir.resolve("b.log"), "-db", "-f", cfgB.toString(), "-sf", Long.toString(first.pid()));
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the first process leaves after -sf:\n" + Files.readString(dir.resolve("b.log")));
            assertEquals(0, first.exitValue(), Files.readString(dir.resolve("a.log")));
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
            assertTrue(second.isAlive(), Files.readString(dir.resolve("b.log")));
            assertEquals(0, failed.get(), "failed requests during the handover (first: " + firstFailure.get() + "), "
                    + ok.get() + " succeeded");
            assertTrue(beforeHandover > 20 && ok.get() > beforeHandover + 20, "requests before/after: " + beforeHandover + "/" + ok.get());
            assertEquals("b", lastServer.get(), "after the handover the new configuration answers");
            System.out.printf("-sf handover: %d requests, 0 failed, first process exited 0%n", ok.get());
        } finally {
            running.set(false);
            first.destroy();
            if (second != null) {
                second.destroy();
                second.waitFor(20, TimeUnit.SECONDS);
            }
            a.close();
            b.close();
        }
    }
}
