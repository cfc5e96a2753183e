package io.haquark.config;

import io.haquark.model.GlobalSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable state of the global section while it is read. */
final class GlobalBuilder {
    boolean daemon;
    boolean masterWorker;
    int maxconn;
    int nbthread;
    String pidfile;
    String user;
    String group;
    String chroot;
    final List<String> logTargets = new ArrayList<>();
    final List<String> statsSockets = new ArrayList<>();
    /** "set-var" / "set-var-fmt" lines, run in order when the configuration is activated. */
    final List<io.haquark.model.Rule> setVars = new ArrayList<>();
    /** "external-check" and "insecure-fork-wanted": what external health checks need (configuration.txt §3.1). */
    boolean externalCheck;
    boolean externalCheckPreserveEnv;
    boolean insecureFork;
    long statsTimeout = 10_000;
    long hardStopAfter;
    int bufsize = 16384;
    int maxrewrite = 1024;
    int maxHeaders = 101;
    final Map<String, String> tune = new LinkedHashMap<>();
    String node;
    String description;
    boolean quiet;
    /** ssl-default-bind-* / ssl-default-server-* values by keyword. */
    final Map<String, String> sslDefaults = new LinkedHashMap<>();

    GlobalSettings build() {
        return new GlobalSettings(daemon, masterWorker, maxconn == 0 ? GlobalSettings.DEFAULT_MAXCONN : maxconn,
                nbthread, pidfile, user, group, chroot, logTargets, statsSockets, statsTimeout, hardStopAfter,
                bufsize, maxrewrite, maxHeaders, tune, node, description, quiet, sslDefaults, setVars, externalCheck, externalCheckPreserveEnv, insecureFork);
    }
}
