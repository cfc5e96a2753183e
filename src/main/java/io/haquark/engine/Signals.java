package io.haquark.engine;

import org.jboss.logging.Logger;

/**
 * HAProxy's signals: SIGHUP and SIGUSR2 reload the configuration, SIGUSR1 stops softly
 * (what "-sf" sends to the previous process). SIGTERM and SIGINT stay with Quarkus (stop).
 */
final class Signals {
    private static final Logger LOG = Logger.getLogger(Signals.class);

    private Signals() {
    }

    static void onReload(Runnable r) {
        handle("HUP", r);
        // HotSpot suspends threads with SIGUSR2 (JFR sampling, profilers) unless _JAVA_SR_SIGNUM
        // moves that elsewhere: bin/haquark does. Taking SIGUSR2 without it would turn every
        // JFR sample into a reload, so then only SIGHUP reloads.
        if (System.getenv("_JAVA_SR_SIGNUM") != null) {
            handle("USR2", r);
        } else {
            LOG.info("SIGUSR2 belongs to the JVM here (no _JAVA_SR_SIGNUM): reload with SIGHUP");
        }
    }

    static void onGracefulStop(Runnable r) {
        handle("USR1", r);
    }

    private static void handle(String name, Runnable r) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                Thread t = new Thread(r, "haquark-signal-" + name);
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warnf("signal %s cannot be handled on this JVM: %s", name, e.getMessage());
        }
    }
}
