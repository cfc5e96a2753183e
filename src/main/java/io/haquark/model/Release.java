package io.haquark.model;

/** This build's version and the HAProxy release whose behaviour it follows. */
public final class Release {
    public static final String VERSION = "0.1.0";
    /** The HAProxy version we answer as (-v, "show info", the stats page): its behaviour is our specification. */
    public static final String HAPROXY_VERSION = "2.6.12";

    private Release() {
    }
}
