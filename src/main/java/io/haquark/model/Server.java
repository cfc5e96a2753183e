package io.haquark.model;

import java.util.Map;

/**
 * {@code server <name> <address>[:[port]] [param*]} with HAProxy's defaults (weight 1,
 * inter 2000, rise 2, fall 3). {@code port} 0 means "the port the client connected to";
 * {@code portOffset} marks "+N"/"-N" ports relative to it.
 */
public record Server(String name, String address, int port, boolean portOffset,
                     int weight, boolean backup, boolean disabled,
                     boolean check, int inter, int fastinter, int downinter, int rise, int fall,
                     int checkPort, String checkAddr, boolean checkSsl,
                     int maxconn, int maxqueue, int minconn, int slowstart,
                     String cookie, boolean ssl, boolean sendProxy, boolean sendProxyV2,
                     String redirectPrefix, Map<String, String> options, Location where) {
    public Server {
        options = Map.copyOf(options);
    }

    /** "backend/server", the way HAProxy names a server in logs and alerts. */
    public String id(String backend) {
        return backend + "/" + name;
    }

    /** Another server may "track" this one: it has a check, an agent check, or tracks in turn (configuration.txt §5.2 "track"). */
    public boolean trackable() {
        return check || options.containsKey("agent-check") || options.containsKey("track");
    }
}
