package io.haquark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged haquark started the way VTest starts haproxy (HAProxy's own reg-tests): its
 * listeners arrive as inherited, already listening, blocking sockets ({@code bind "fd@${fe1}"}),
 * clients connect before the process has read its configuration, and the test ends with
 * SIGINT or SIGTERM and expects exit status 0. Also: two independent processes never share
 * the management port.
 */
class InheritedListenersIT {
    static final String CONFIG = """
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend one
              bind "fd@${fe1}"
              http-request return status 200 content-type text/plain string one
            frontend two
              bind "fd@${fe2}"
              http-request return status 200 content-type text/plain string two
            """;

    /** A haquark process started by inherit-fds.py, its output collected, the ports it was given. */
    static final class Started {
        final Process process;
        final Map<String, Integer> ports = new ConcurrentHashMap<>();
        final StringBuffer output = new StringBuffer();
        final CountDownLatch portsKnown;

        Started(Process p, int names) {
            process = p;
            portsKnown = new CountDownLatch(names);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                        String[] w = line.split(" ");
                        if (portsKnown.getCount() > 0 && w.length == 2 && w[1].matches("\\d+")) {
                            ports.put(w[0], Integer.parseInt(w[1]));
                            portsKnown.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        int port(String name) {
            return ports.get(name);
        }
    }

    static Path script() throws IOException {
        Path p = Files.createTempFile("inherit-fds", ".py");
        try (var in = InheritedListenersIT.class.getResourceAsStream("/it/inherit-fds.py")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    static boolean havePython() {
        try {
            return new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts haquark through the fd helper; ignoreSigint starts it as a shell's background job would (VTest). */
    static Started start(Path cfg, boolean ignoreSigint, String... names) throws Exception {
        assumeTrue(havePython(), "SKIPPED: python3 is needed to hand listening sockets over");
        List<String> helper = new ArrayList<>(List.of("python3", script().toString()));
        helper.addAll(List.of(names));
        helper.add("--");
        helper.addAll(ProcessReloadIT.launcher());
        helper.addAll(List.of("-d", "-f", cfg.toString()));
        List<String> cmd;
        if (ignoreSigint) {
            StringBuilder sh = new StringBuilder("trap '' INT; exec");
            for (String a : helper) {
                sh.append(" '").append(a).append('\'');
            }
            cmd = List.of("/bin/sh", "-c", sh.toString());
        } else {
            cmd = helper;
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Started s = new Started(p, names.length);
        assertTrue(s.portsKnown.await(20, TimeUnit.SECONDS), "the helper gave no ports:\n" + s.output);
        return s;
    }

    static Path config() throws IOException {
        return Files.writeString(Files.createTempDirectory("fd").resolve("haproxy.cfg"), CONFIG);
    }

    @Test
    void bothInheritedListenersAnswerClientsThatConnectedBeforeStart() throws Exception {
        Started s = start(config(), false, "fe1", "fe2");
        try {
            // Both clients connect now, while the JVM is still starting: the kernel queues them
            // on the inherited sockets; each must get its frontend's answer, none a reset.
            String a = RawHttp.exchange(s.port("fe1"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 60_000);
            String b = RawHttp.exchange(s.port("fe2"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 60_000);
            assertEquals(200, RawHttp.status(a), a + "\n" + s.output);
            assertTrue(a.endsWith("one"), a);
            assertEquals(200, RawHttp.status(b), b + "\n" + s.output);
            assertTrue(b.endsWith("two"), b);
            // And again on both, in the other order (the second listener was the one left unserved).
            for (int i = 0; i < 20; i++) {
                assertTrue(RawHttp.exchange(s.port("fe2"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000).endsWith("two"));
                assertTrue(RawHttp.exchange(s.port("fe1"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000).endsWith("one"));
            }
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void sigintWithInheritedListenersExitsZeroWithinTwoSeconds() throws Exception {
        stopsWithZero("INT", false);
    }

    @Test
    void sigintIgnoredAtStartStillStops() throws Exception {
        // VTest runs haproxy from /bin/sh as a background job: SIGINT arrives ignored.
        stopsWithZero("INT", true);
    }

    @Test
    void sigtermWithInheritedListenersExitsZeroWithinTwoSeconds() throws Exception {
        stopsWithZero("TERM", false);
    }

    private static void stopsWithZero(String signal, boolean ignoreSigint) throws Exception {
        Started s = start(config(), ignoreSigint, "fe1", "fe2");
        try {
            String a = RawHttp.exchange(s.port("fe1"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 60_000);
            assertEquals(200, RawHttp.status(a), a + "\n" + s.output);
            long t0 = System.nanoTime();
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(s.process.pid())).start().waitFor());
            assertTrue(s.process.waitFor(2, TimeUnit.SECONDS), "still running 2 s after SIG" + signal + ":\n" + s.output);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(0, s.process.exitValue(), "exit status after SIG" + signal + ":\n" + s.output);
            System.out.printf("SIG%s (ignored at start: %s): exit 0 after %d ms%n", signal, ignoreSigint, ms);
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void twoIndependentInstancesGetTwoManagementPorts() throws Exception {
        Path dir = Files.createTempDirectory("mgmt");
        List<Process> ps = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                int port = FreePorts.next();
                Path cfg = Files.writeString(dir.resolve(i + ".cfg"), """
                        defaults
                          mode http
                          timeout connect 2s
                          timeout client 10s
                          timeout server 10s
                        frontend f
                          bind 127.0.0.1:%d
                          http-request return status 200 content-type text/plain string ok
                        """.formatted(port));
                Path log = dir.resolve(i + ".log");
                logs.add(log);
                ps.add(ProcessReloadIT.start(log, "-db", "-f", cfg.toString()));
                waitListening(log, ps.get(i));
            }
            int m0 = managementPort(logs.get(0));
            int m1 = managementPort(logs.get(1));
            assertNotEquals(m0, m1, "two instances, one management port:\n" + Files.readString(logs.get(0)) + Files.readString(logs.get(1)));
            for (int m : new int[] {m0, m1}) {
                String r = RawHttp.exchange(m, "GET /q/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(r), r);
            }
            assertTrue(Files.readString(logs.get(1)).contains("management port " + m0 + " is in use"), Files.readString(logs.get(1)));
        } finally {
            ps.forEach(Process::destroy);
            for (Process p : ps) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

    static void waitListening(Path log, Process p) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(log) && LISTENING.matcher(Files.readString(log)).find()) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not started:\n" + Files.readString(log));
    }

    static int managementPort(Path log) throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(log));
        assertTrue(m.find(), Files.readString(log));
        return Integer.parseInt(m.group(1));
    }
}
