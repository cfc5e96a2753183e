package io.haquark.cli;

import io.haquark.config.ConfigException;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.config.Preprocessor;
import io.haquark.engine.ConfigCompiler;
import io.haquark.model.Config;
import io.haquark.model.ListenAddress;
import io.haquark.model.Proxy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens between the command line and a running proxy: flag parsing, check mode,
 * -cc, -v, daemonizing, and handing the loaded configuration to the engine.
 */
public final class Launcher {
    /** Management (Quarkus HTTP: /q/health, /q/metrics) port unless quarkus.http.port says otherwise. */
    public static final int DEFAULT_MANAGEMENT_PORT = 9180;

    private static volatile Launched launched;

    /** The configuration the command line chose, for the engine bean to pick up. */
    public record Launched(LaunchOptions options, List<Path> files, Config config) {
    }

    public static Launched launched() {
        return launched;
    }

    private final PrintStream out;
    private final PrintStream err;

    public Launcher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return an exit code to exit with now, or -1 to go on and start the proxy */
    public int prepare(String[] args) {
        LaunchOptions opts;
        try {
            opts = LaunchOptions.parse(args);
        } catch (LaunchOptions.UsageException e) {
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : " + e.getMessage());
            err.print(LaunchOptions.USAGE);
            return 1;
        }
        if (opts.version() > 0) {
            out.print(VersionInfo.text(opts.version() > 1));
            return 0;
        }
        if (opts.evalCondition() != null) {
            try {
                return new Preprocessor(System::getenv).evaluate(opts.evalCondition()) ? 0 : 1;
            } catch (RuntimeException e) {
                err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : " + e.getMessage());
                return 2;
            }
        }
        if (opts.configFiles().isEmpty() && !opts.check() && configuredByProperty()) {
            // Quarkus-style configuration (haquark.config / HAQUARK_CONFIG), as in tests and dev mode.
            return -1;
        }
        if (opts.configFiles().isEmpty()) {
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : No configuration file specified.");
            err.print(LaunchOptions.USAGE);
            return 1;
        }
        Path base = opts.chdir() == null ? Path.of("").toAbsolutePath() : Path.of(opts.chdir()).toAbsolutePath();
        List<Path> files;
        try {
            List<Path> resolved = new ArrayList<>();
            for (Path p : opts.configFiles()) {
                resolved.add(p.isAbsolute() || opts.chdir() == null ? p : base.resolve(p));
            }
            files = ConfigLoader.expandFiles(resolved);
        } catch (IOException e) {
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : config : " + e.getMessage());
            return 1;
        }
        Diagnostics diag = new Diagnostics();
        Config config;
        try {
            config = new ConfigLoader(System.getenv(), base).load(files, diag);
            ConfigCompiler.check(config, diag, base);
        } catch (ConfigException e) {
            printDiagnostics(diag, opts);
            for (Path f : files) {
                err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : config : Error(s) found in configuration file : " + f);
            }
            err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : config : Fatal errors found in configuration.");
            return 1;
        }
        printDiagnostics(diag, opts);
        if (opts.check()) {
            if (!diag.warnings().isEmpty() && !opts.quiet()) {
                out.println("Warnings were found.");
            }
            // A stats socket is a listener too (HAProxy counts the CLI's listener).
            boolean listens = !config.global().statsSockets().isEmpty() || config.proxies().stream()
                    .anyMatch(p -> p.type().hasFrontend() && !p.disabled() && !p.binds().isEmpty());
            if (!listens) {
                // HAProxy's answer for a valid file that would not accept anything.
                out.println("Configuration file has no error but will not start (no listener) => exit(2).");
                return 2;
            }
            if (!opts.quiet()) {
                out.println("Configuration file is valid");
            }
            return 0;
        }
        // -db and -d keep the process in the foreground whatever "daemon" in global says.
        boolean daemon = (opts.daemon() || config.global().daemon()) && !opts.foreground();
        if (daemon && System.getenv("HAQUARK_DAEMON_CHILD") == null) {
            return Daemon.detach(err);
        }
        chooseManagementPort(config, opts);
        if (System.getProperty("quarkus.vertx.event-loops-pool-size") == null) {
            // nbthread: that many Vert.x event loops carry the traffic, as HAProxy's threads do;
            // without it one per CPU, HAProxy's default too (Vert.x would take two per CPU, and
            // the extra loops cost context switches: measured in docs/performance.md).
            int loops = config.global().nbthread() > 0 ? config.global().nbthread() : Runtime.getRuntime().availableProcessors();
            System.setProperty("quarkus.vertx.event-loops-pool-size", Integer.toString(loops));
        }
        launched = new Launched(opts, files, config);
        return -1;
    }

    private static boolean configuredByProperty() {
        return System.getProperty("haquark.config") != null || System.getenv("HAQUARK_CONFIG") != null;
    }

    private void printDiagnostics(Diagnostics diag, LaunchOptions opts) {
        for (Diagnostics.Message m : diag.messages()) {
            if (opts.quiet() && m.level() != Diagnostics.Level.ALERT) {
                continue;
            }
            err.println(m.format(ProcessHandle.current().pid()));
        }
    }

    /**
     * Keeps Quarkus' own HTTP port off the ports the configuration binds, and off another
     * process's management port. The socket is always opened with SO_REUSEPORT so that a
     * successor started with -sf/-st can bind the same port while this process finishes; but
     * a process started on its own takes the first port nobody listens on, so two independent
     * instances never answer each other's /q/health.
     */
    private void chooseManagementPort(Config config, LaunchOptions opts) {
        if (System.getProperty("quarkus.http.port") != null || System.getenv("QUARKUS_HTTP_PORT") != null) {
            return;
        }
        String host = System.getProperty("quarkus.http.host", "127.0.0.1");
        boolean handover = !opts.finishPids().isEmpty() || !opts.terminatePids().isEmpty();
        int first = nextUnbound(config, DEFAULT_MANAGEMENT_PORT);
        int port = first;
        if (!handover) {
            while (port < 65535 && !free(host, port)) {
                port = nextUnbound(config, port + 1);
            }
            if (port != first && !opts.quiet()) {
                err.println("[NOTICE]   (" + ProcessHandle.current().pid() + ") : management port " + first
                        + " is in use by another process; /q/health and /q/metrics listen on " + host + ":" + port);
            }
        }
        System.setProperty("quarkus.http.port", Integer.toString(port));
    }

    private static int nextUnbound(Config config, int port) {
        while (bound(config, port)) {
            port++;
        }
        return port;
    }

    /** Whether a plain listener (no SO_REUSEPORT) could bind host:port now. */
    private static boolean free(String host, int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bound(Config config, int port) {
        for (Proxy p : config.proxies()) {
            for (var b : p.binds()) {
                for (ListenAddress a : b.addresses()) {
                    if (a.isInet() && port >= a.portFrom() && port <= a.portTo()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
