package io.haquark.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point with HAProxy's command line. Check mode, version and condition evaluation
 * answer without starting Quarkus (nothing is bound); otherwise the proxy runs as a
 * Quarkus application with the config loaded here.
 */
@QuarkusMain
public final class Main {

    Main() {
    }

    public static void main(String... args) {
        Launcher launcher = new Launcher(System.out, System.err);
        int rc = launcher.prepare(args);
        if (rc >= 0) {
            System.exit(rc);
        }
        Signals.onHardStop();
        Quarkus.run(ProxyApplication.class, (code, failure) -> {
            if (failure != null) {
                System.err.println("[ALERT]    (" + ProcessHandle.current().pid() + ") : " + failure.getMessage());
            }
            System.exit(code);
        }, args);
    }
}
