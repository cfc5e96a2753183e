package io.haquark.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The reference HAProxy running a config text in the foreground (-db), for side-by-side tests. */
public final class HAProxyProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;

    private HAProxyProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    public static HAProxyProcess start(String cfg, int waitForPort) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("haproxy-ref");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder(HAProxyBinary.path().toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until) {
            if (!p.isAlive()) {
                throw new IOException("haproxy exited: " + Files.readString(dir.resolve("out.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", waitForPort), 200);
                return new HAProxyProcess(p, dir);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("haproxy did not listen on " + waitForPort);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
