package io.haquark.health;

import io.haquark.model.Proxy;
import io.haquark.state.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * option external-check (configuration.txt "external-check command"): the command runs with
 * HAProxy's four arguments (proxy address and port, server address and port) and its
 * HAPROXY_* environment, PATH from "external-check path"; exit status 0 passes, anything else
 * fails, and a command still running when the check's timeout ends is killed (PROCTOUT).
 * Processes are started and awaited on a small pool of their own, never on an event loop.
 */
final class ExternalCheck {
    private static final ExecutorService RUNNERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "haquark-external-check");
        t.setDaemon(true);
        return t;
    });

    private ExternalCheck() {
    }

    static void run(CheckPlan plan, Proxy backend, ServerState server, long timeoutMs, boolean preserveEnv,
                    Consumer<CheckResult> done) {
        RUNNERS.execute(() -> done.accept(execute(plan, backend, server, timeoutMs, preserveEnv)));
    }

    private static CheckResult execute(CheckPlan plan, Proxy backend, ServerState server, long timeoutMs, boolean preserveEnv) {
        long start = System.nanoTime();
        if (plan.externalCommand == null) {
            return CheckResult.procErr(-1, 0);
        }
        String proxyAddr = "NOT_USED";
        String proxyPort = "NOT_USED";
        if (!backend.binds().isEmpty()) {
            io.haquark.model.Bind b = backend.binds().get(0);
            String spec = b.spec();
            int colon = spec.lastIndexOf(':');
            proxyAddr = colon > 0 ? spec.substring(0, colon) : spec;
            proxyPort = colon > 0 ? spec.substring(colon + 1) : "";
        }
        String serverAddr = server.address == null ? server.host() : server.address.getHostAddress();
        String serverPort = String.valueOf(server.portOverride >= 0 ? server.portOverride : server.server.port());
        List<String> cmd = new ArrayList<>(List.of(plan.externalCommand, proxyAddr, proxyPort, serverAddr, serverPort));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        if (!preserveEnv) {
            env.clear();
        }
        env.put("PATH", plan.externalPath != null ? plan.externalPath : "");
        env.put("HAPROXY_PROXY_ADDR", proxyAddr);
        env.put("HAPROXY_PROXY_ID", String.valueOf(backend.id()));
        env.put("HAPROXY_PROXY_NAME", backend.name());
        env.put("HAPROXY_PROXY_PORT", proxyPort);
        env.put("HAPROXY_SERVER_ADDR", serverAddr);
        env.put("HAPROXY_SERVER_CURCONN", String.valueOf(server.active.get()));
        env.put("HAPROXY_SERVER_ID", String.valueOf(server.id()));
        env.put("HAPROXY_SERVER_MAXCONN", String.valueOf(server.maxconn()));
        env.put("HAPROXY_SERVER_NAME", server.name());
        env.put("HAPROXY_SERVER_PORT", serverPort);
        env.put("HAPROXY_SERVER_SSL", server.server.ssl() ? "1" : "0");
        env.put("HAPROXY_SERVER_PROTO", "tcp");
        Process p;
        try {
            // A bare command name is looked up in "external-check path", as execvp would.
            cmd.set(0, resolve(plan.externalCommand, plan.externalPath));
            pb.command(cmd);
            p = pb.start();
        } catch (java.io.IOException e) {
            return CheckResult.procErr(-1, elapsed(start));
        }
        try {
            if (!p.waitFor(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return CheckResult.procTimeout(elapsed(start));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return CheckResult.procTimeout(elapsed(start));
        }
        int exit = p.exitValue();
        return exit == 0 ? CheckResult.procOk(elapsed(start)) : CheckResult.procErr(exit, elapsed(start));
    }

    private static String resolve(String command, String path) {
        if (command.contains("/") || path == null) {
            return command;
        }
        for (String dir : path.split(":")) {
            java.io.File f = new java.io.File(dir.isEmpty() ? "." : dir, command);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return command;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
