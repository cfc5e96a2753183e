package io.haquark.cli;

import io.haquark.config.ConfigException;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.engine.Engine;
import io.haquark.model.Config;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the engine with the configuration the command line loaded (or, in tests and dev
 * mode, the files named by {@code haquark.config}), and stops it with Quarkus.
 */
@ApplicationScoped
public class ProxyService {
    private static final Logger LOG = Logger.getLogger(ProxyService.class);

    @Inject
    Vertx vertx;

    @Inject
    io.haquark.stats.PrometheusMetrics metrics;

    @ConfigProperty(name = "haquark.config")
    Optional<List<String>> configFiles;

    /** Reload when a config file changes: on in dev mode, or with haquark.watch=true (HAQUARK_WATCH=true). */
    @ConfigProperty(name = "haquark.watch", defaultValue = "false")
    boolean watchProperty;

    boolean watch;

    @jakarta.annotation.PostConstruct
    void init() {
        watch = watchProperty || io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.DEVELOPMENT;
    }

    private volatile Engine engine;
    private volatile List<Path> loadedFiles = List.of();
    private volatile Path baseDir = Path.of("").toAbsolutePath();
    private ConfigWatcher watcher;

    void onStart(@Observes StartupEvent ev) {
        Launcher.Launched launched = Launcher.launched();
        Config config;
        Path base = Path.of("").toAbsolutePath();
        if (launched != null) {
            config = launched.config();
            loadedFiles = launched.files();
            if (launched.options().chdir() != null) {
                base = Path.of(launched.options().chdir()).toAbsolutePath();
            }
        } else if (configFiles.isPresent() && !configFiles.get().isEmpty()) {
            List<Path> files = new ArrayList<>();
            configFiles.get().forEach(f -> files.add(Path.of(f)));
            Diagnostics diag = new Diagnostics();
            try {
                loadedFiles = ConfigLoader.expandFiles(files);
                config = new ConfigLoader(System.getenv(), base).load(loadedFiles, diag);
            } catch (ConfigException | IOException e) {
                diag.print(System.err);
                throw new IllegalStateException("haquark: invalid configuration " + configFiles.get(), e);
            }
        } else {
            LOG.info("no configuration given (-f or haquark.config): the proxy engine is idle");
            return;
        }
        Engine e = EngineWiring.create(vertx, config);
        Diagnostics diag = new Diagnostics();
        try {
            e.start(config, base, diag);
            EngineWiring.openRuntimeApi(e, config);
        } catch (ConfigException | Engine.BindException ex) {
            e.stop();
            diag.print(System.err);
            System.err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : " + ex.getMessage());
            Quarkus.asyncExit(1);
            return;
        }
        engine = e;
        baseDir = base;
        metrics.bind(e.routing());
        metrics.exportOn(e);
        e.onServersChanged(() -> metrics.bind(e.routing()));
        Signals.onReload(this::reload);
        Signals.onGracefulStop(this::gracefulStop);
        if (launched != null) {
            Signals.onHardStop();
        }
        if (watch) {
            watcher = ConfigWatcher.start(loadedFiles, this::reload);
        }
        if (launched != null) {
            afterStart(launched);
        }
        LOG.infof("haquark started: %d listener(s), %d event loop(s), native transport: %s, TLS: %s",
                e.listeners().size(), e.eventLoops(), vertx.isNativeTransportEnabled(),
                io.netty.handler.ssl.OpenSsl.isAvailable() ? io.netty.handler.ssl.OpenSsl.versionString() : "JDK");
    }

    private void afterStart(Launcher.Launched launched) {
        String pidFile = launched.options().pidFile() != null ? launched.options().pidFile() : launched.config().global().pidfile();
        if (pidFile != null) {
            try {
                Files.writeString(Path.of(pidFile), ProcessHandle.current().pid() + "\n");
            } catch (IOException ex) {
                System.err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : [haquark.main()] Cannot create pidfile " + pidFile);
            }
        }
        // -sf: old processes finish what they serve and exit; -st: they stop now.
        for (Long pid : launched.options().finishPids()) {
            signal(pid, "USR1");
        }
        for (Long pid : launched.options().terminatePids()) {
            signal(pid, "TERM");
        }
    }

    private static void signal(long pid, String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException | InterruptedException e) {
            LOG.warnf("could not signal %d: %s", pid, e.getMessage());
        }
    }

    /**
     * Re-reads the configuration files and swaps the model (SIGHUP, SIGUSR2, file change).
     * An invalid configuration is reported and the running one stays.
     * @return true when the new configuration is live
     */
    public synchronized boolean reload() {
        Engine e = engine;
        if (e == null || loadedFiles.isEmpty()) {
            return false;
        }
        Diagnostics diag = new Diagnostics();
        try {
            Config config = new ConfigLoader(System.getenv(), baseDir).load(ConfigLoader.expandFiles(loadedFiles), diag);
            e.reload(config, baseDir, diag);
            diag.print(System.err);
            metrics.bind(e.routing());
            return true;
        } catch (ConfigException | Engine.BindException | IOException ex) {
            diag.print(System.err);
            System.err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : reload failed, the running configuration stays: "
                    + ex.getMessage());
            return false;
        }
    }

    /** SIGUSR1 (-sf from a new process): stop accepting, let connections finish, then exit 0. */
    private void gracefulStop() {
        Engine e = engine;
        if (e == null) {
            Quarkus.asyncExit(0);
            return;
        }
        long hardStop = e.routing().config.global().hardStopAfter();
        e.closeListeners();
        Thread t = new Thread(() -> {
            long until = hardStop > 0 ? System.currentTimeMillis() + hardStop : Long.MAX_VALUE;
            while (e.activeConnections() > 0 && System.currentTimeMillis() < until) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    break;
                }
            }
            Quarkus.asyncExit(0);
        }, "haquark-soft-stop");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (watcher != null) {
            watcher.stop();
        }
        Engine e = engine;
        if (e != null) {
            e.stop();
        }
    }

    public Engine engine() {
        return engine;
    }
}
