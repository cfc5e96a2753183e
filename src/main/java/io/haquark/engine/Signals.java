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
        handle("USR2", r);
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
