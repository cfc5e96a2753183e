package io.haquark.engine;

/**
 * rate-limit sessions (configuration.txt §4.2): the frontend's new sessions over a sliding
 * second, counted the way HAProxy's frequency counters are (this second's count plus the last
 * second's, weighted by what is left of this one), so a burst gets the first {@code limit}
 * through at once and the rest at the rate.
 */
final class SessionRateLimit {
    private final int limit;
    private long windowStart;
    private int current;
    private int previous;

    SessionRateLimit(int limit) {
        this.limit = limit;
    }

    /** Counts a new session; true when the frontend is now at its rate and must stop accepting. */
    synchronized boolean admit(long nowMs) {
        rotate(nowMs);
        current++;
        return estimate(nowMs) >= limit;
    }

    /** True when one more session fits now. */
    synchronized boolean hasRoom(long nowMs) {
        rotate(nowMs);
        return estimate(nowMs) < limit;
    }

    /** How long to wait before looking again: the time one session takes at the rate. */
    long retryDelayMs() {
        return Math.max(1, 1000 / limit);
    }

    private void rotate(long nowMs) {
        long elapsed = nowMs - windowStart;
        if (elapsed >= 2000) {
            previous = 0;
            current = 0;
            windowStart = nowMs - nowMs % 1000;
        } else if (elapsed >= 1000) {
            previous = current;
            current = 0;
            windowStart += 1000;
        }
    }

    private long estimate(long nowMs) {
        long left = 1000 - (nowMs - windowStart);
        return current + (previous * left + 999) / 1000;
    }
}
