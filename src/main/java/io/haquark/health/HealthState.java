package io.haquark.health;

import io.haquark.state.ServerState;

/**
 * HAProxy's rise/fall state machine (configuration.txt "rise", "fall"; check.c): a health
 * counter from 0 to rise+fall-1; the server is UP at rise or above. A server starts UP with
 * the counter at rise, so its first failure takes it DOWN; once fully up it needs fall
 * failures in a row, and a DOWN server needs rise successes in a row.
 */
public final class HealthState {
    private HealthState() {
    }

    public static void init(ServerState s) {
        s.health = s.server.rise();
        s.setUp(true);
    }

    /** Applies one result; returns true when the server's UP/DOWN state changed. */
    public static boolean apply(ServerState s, CheckResult r) {
        int rise = s.server.rise();
        int fall = s.server.fall();
        s.lastCheck = r.status();
        s.lastCheckDesc = r.description();
        s.lastCheckCode = r.code();
        s.lastCheckDurationMs = r.durationMs();
        boolean wasUp = s.isUp();
        if (r.passed()) {
            if (s.health < rise + fall - 1) {
                s.health++;
                if (s.health >= rise) {
                    s.health = rise + fall - 1;
                    s.setUp(true);
                }
            }
        } else {
            s.checkFailures.increment();
            if (s.health > rise) {
                s.health--;
            } else {
                s.health = 0;
                s.setUp(false);
            }
        }
        return wasUp != s.isUp();
    }

    /** "UP", "DOWN", "UP 1/3" (going down), "DOWN 1/2" (going up), as the stats page shows it. */
    public static String describe(ServerState s) {
        int rise = s.server.rise();
        int fall = s.server.fall();
        if (s.isUp()) {
            int max = rise + fall - 1;
            // HAProxy counts what is left of the health above rise: "UP 2/3" after one failure of fall 3.
            return s.health >= max ? "UP" : "UP " + (s.health - rise + 1) + "/" + fall;
        }
        return s.health == 0 ? "DOWN" : "DOWN " + s.health + "/" + rise;
    }

    /** Interval before the next check: inter when settled, fastinter while changing, downinter when DOWN. */
    public static long nextInterval(ServerState s) {
        int rise = s.server.rise();
        int fall = s.server.fall();
        if (!s.isUp() && s.health == 0) {
            return s.server.downinter();
        }
        if (s.health > 0 && s.health < rise + fall - 1) {
            return s.server.fastinter();
        }
        return s.server.inter();
    }
}
