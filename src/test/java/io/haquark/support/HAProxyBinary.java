package io.haquark.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference: a real HAProxy on this machine, when there is one (.ci/run installs it). */
public final class HAProxyBinary {
    private static final Path PATH = find();
    private static boolean announced;

    private static Path find() {
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"}) {
            Path p = Path.of(dir, "haproxy");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** True when present; otherwise prints once, visibly, that comparisons are skipped. */
    public static synchronized boolean available() {
        if (PATH == null && !announced) {
            announced = true;
            System.out.println("*** haproxy is not installed: comparisons with HAProxy are SKIPPED (apt-get install haproxy) ***");
        }
        return PATH != null;
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs "haproxy args..." in dir and returns exit code and merged output. */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PATH.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("haproxy did not finish");
        }
        return new Result(p.exitValue(), out);
    }

    public static Path path() {
        return PATH;
    }

    private HAProxyBinary() {
    }
}
