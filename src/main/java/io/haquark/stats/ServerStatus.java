package io.haquark.stats;

import io.haquark.health.HealthState;
import io.haquark.state.ServerState;

/** A server's state as the stats page and CSV word it: UP, DOWN 1/2, MAINT, DRAIN, NOLB, no check. */
public final class ServerStatus {
    private ServerStatus() {
    }

    public static String of(ServerState s) {
        if (s.admin() == ServerState.Admin.MAINT) {
            return "MAINT";
        }
        if (s.inheritedMaintenance()) {
            return "MAINT (via " + s.tracked.backendName + "/" + s.tracked.name() + ")";
        }
        String health = s.checksEnabled ? HealthState.describe(s) : (s.isUp() ? "no check" : "DOWN");
        if (s.admin() == ServerState.Admin.DRAIN) {
            return s.isUp() ? (s.adminByAgent ? "DRAIN (agent)" : "DRAIN") : health;
        }
        if (s.noLoadBalance() && s.isUp()) {
            return "NOLB";
        }
        return health;
    }

    /** CSS class of a server row, after HAProxy's colour legend. */
    public static String rowClass(ServerState s) {
        String side = s.server.backup() ? "backup" : "active";
        if (s.inMaintenance()) {
            return "maintain";
        }
        if (s.admin() == ServerState.Admin.DRAIN) {
            return "draining";
        }
        if (!s.checksEnabled) {
            return side + "_no_check";
        }
        String st = HealthState.describe(s);
        if (st.equals("UP")) {
            return side + "_up";
        }
        if (st.startsWith("UP ")) {
            return side + "_going_down";
        }
        if (st.startsWith("DOWN ")) {
            return side + "_going_up";
        }
        return side + "_down";
    }
}
