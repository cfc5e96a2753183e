package io.haquark.model;

/**
 * One address a bind listens on. {@code host} is null for "any" ({@code *} or empty),
 * {@code family} tells IP from unix sockets and inherited file descriptors.
 */
public record ListenAddress(Family family, String host, int portFrom, int portTo, String path, int fd) {

    public enum Family { IPV4, IPV6, ANY, UNIX, ABNS, FD, SOCKPAIR }

    public static ListenAddress ip(Family family, String host, int from, int to) {
        return new ListenAddress(family, host, from, to, null, -1);
    }

    public boolean isInet() {
        return family == Family.IPV4 || family == Family.IPV6 || family == Family.ANY;
    }
}
