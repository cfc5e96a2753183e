package io.haquark.model;

import java.util.List;
import java.util.Map;

/** The {@code global} section. Tuning values are HAProxy's defaults unless set. */
public record GlobalSettings(boolean daemon, boolean masterWorker, int maxconn, int nbthread,
                             String pidfile, String user, String group, String chroot,
                             List<String> logTargets, List<String> statsSockets, long statsTimeout,
                             long hardStopAfter, int bufsize, int maxrewrite, int maxHeaders,
                             Map<String, String> tune, String node, String description,
                             boolean quiet, Map<String, String> sslDefaults, List<Rule> setVars,
                             boolean externalCheck, boolean externalCheckPreserveEnv, boolean insecureFork) {
    public static final int DEFAULT_MAXCONN = 4096;

    public GlobalSettings {
        logTargets = List.copyOf(logTargets);
        statsSockets = List.copyOf(statsSockets);
        tune = Map.copyOf(tune);
        sslDefaults = Map.copyOf(sslDefaults);
        setVars = List.copyOf(setVars);
    }
}
