package io.haquark.cli;

import org.jboss.logging.Logger;

/**
 * HAProxy's signals: SIGHUP and SIGUSR2 reload the configuration, SIGUSR1 stops softly
 * (what "-sf" sends to the previous process), SIGINT and SIGTERM stop at once with exit
 * status 0 (management(1) "SIGTERM", "SIGINT"), which VTest and process managers expect; the
 * JVM's own handlers would exit 130/143.
 */
public final class Signals {
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

    /** How long a hard stop may take before the process halts without finishing Quarkus' shutdown. */
    private static final long HARD_STOP_GRACE_MS = 3000;

    /**
     * SIGINT/SIGTERM: exit 0 through Quarkus' shutdown (listeners closed); a stop that hangs
     * is cut after a grace period, since a hard stop must not wait for anything. Installed by
     * the launcher before Quarkus starts and again once it runs (a native image's Quarkus
     * installs handlers of its own at start).
     */
    public static void onHardStop() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> hardStop());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.warnf("signal %s cannot be handled on this JVM: %s", name, e.getMessage());
            }
        }
    }

    private static volatile boolean stopping;

    private static synchronized void hardStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HARD_STOP_GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(0);
        }, "haquark-hard-stop-guard");
        halt.setDaemon(true);
        halt.start();
        Thread exit = new Thread(() -> System.exit(0), "haquark-hard-stop");
        exit.start();
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
