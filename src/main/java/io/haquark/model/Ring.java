package io.haquark.model;

import java.util.List;

/**
 * A "ring" section (configuration.txt §3.10): an in-memory buffer of log lines that the runtime
 * API shows ("show events") and that is forwarded to syslog servers over TCP.
 */
public record Ring(String name, String description, String format, int maxLength, long size,
                   long connectTimeout, long serverTimeout, List<Server> servers, Location where) {
    /** A TCP syslog server of the ring; octetCount = "log-proto octet-count" framing (RFC 6587). */
    public record Server(String name, String host, int port, boolean octetCount) {
    }

    public Ring {
        servers = List.copyOf(servers);
    }
}
