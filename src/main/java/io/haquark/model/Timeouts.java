package io.haquark.model;

/** Proxy timeouts in milliseconds; 0 means unset (no timeout), as in HAProxy. */
public record Timeouts(long client, long server, long connect, long queue, long httpRequest,
                       long httpKeepAlive, long check, long tunnel, long clientFin, long serverFin,
                       long tarpit) {
    public static final Timeouts NONE = new Timeouts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
