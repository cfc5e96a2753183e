package io.haquark.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * -D / global "daemon": a JVM cannot fork, so the launcher starts a copy of itself in the
 * background (same command line, stdio detached) and exits 0, as HAProxy's parent does.
 */
final class Daemon {
    private Daemon() {
    }

    static int detach(PrintStream err) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : cannot find own command line to go daemon.");
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(info.command().get());
        cmd.addAll(List.of(info.arguments().get()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HAQUARK_DAEMON_CHILD", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            pb.start();
            return 0;
        } catch (IOException e) {
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : cannot go daemon: " + e.getMessage());
            return 1;
        }
    }
}
