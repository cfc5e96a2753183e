package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.ListenAddress.Family;
import io.haquark.model.ListenAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Address syntax of configuration.txt §11 ("Address formats") for binds and servers. */
public final class Addresses {
    private static final Pattern NUMERIC_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");

    private Addresses() {
    }

    public static boolean isIpv4(String s) {
        return io.haquark.model.IpLiterals.isIpv4(s);
    }

    public static boolean isIpv6(String s) {
        return io.haquark.model.IpLiterals.isIpv6(s);
    }

    /** A host that could be resolved later: an IP literal or a syntactically valid name. */
    public static boolean isHost(String s) {
        if (isIpv4(s) || isIpv6(s)) {
            return true;
        }
        return !NUMERIC_DOTS.matcher(s).matches() && HOSTNAME.matcher(s).matches();
    }

    /**
     * HAProxy reads every address (server, bind, log target ...) through its own environment
     * expansion, whatever the quoting of the word: "${NAME}" becomes the variable's value, or
     * nothing when it is not set ("server s ${HOST}:${PORT}" with both unset is 0.0.0.0, port 0,
     * as haproxy -c accepts it). Only the braced form counts.
     */
    public static String expandEnv(String addr) {
        int start = addr.indexOf("${");
        if (start < 0) {
            return addr;
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (start >= 0) {
            int end = addr.indexOf('}', start + 2);
            if (end < 0) {
                break;
            }
            b.append(addr, i, start);
            String v = System.getenv(addr.substring(start + 2, end));
            b.append(v == null ? "" : v);
            i = end + 1;
            start = addr.indexOf("${", i);
        }
        return b.append(addr.substring(i)).toString();
    }

    /** Parses "addr[:port[-port]][,addr...]" of a bind line. */
    public static List<ListenAddress> bind(String spec) {
        List<ListenAddress> out = new ArrayList<>();
        for (String one : expandEnv(spec).split(",")) {
            out.add(bindOne(one, spec));
        }
        return out;
    }

    private static ListenAddress bindOne(String one, String whole) {
        String s = one;
        Family forced = null;
        int at = s.indexOf('@');
        if (at > 0) {
            String prefix = s.substring(0, at).toLowerCase();
            String rest = s.substring(at + 1);
            switch (prefix) {
                case "unix":
                    return new ListenAddress(Family.UNIX, null, 0, 0, rest, -1);
                case "abns":
                    return new ListenAddress(Family.ABNS, null, 0, 0, rest, -1);
                case "fd": {
                    int fd;
                    try {
                        fd = Integer.parseInt(rest);
                    } catch (NumberFormatException e) {
                        throw new KeywordError("'bind' : invalid file descriptor '" + rest + "' in '" + whole + "'");
                    }
                    return new ListenAddress(Family.FD, null, 0, 0, null, fd);
                }
                case "sockpair":
                    return new ListenAddress(Family.SOCKPAIR, null, 0, 0, rest, -1);
                case "ipv4":
                    forced = Family.IPV4;
                    break;
                case "ipv6":
                    forced = Family.IPV6;
                    break;
                case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "quic4", "quic6":
                    forced = prefix.endsWith("6") ? Family.IPV6 : prefix.endsWith("4") ? Family.IPV4 : null;
                    break;
                default:
                    throw new KeywordError("'bind' : unknown address family '" + prefix + "@' in '" + whole + "'");
            }
            s = rest;
        }
        if (s.startsWith("/")) {
            return new ListenAddress(Family.UNIX, null, 0, 0, s, -1);
        }
        String host;
        String ports;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new KeywordError("'bind' : invalid address: '" + s + "' in '" + whole + "'");
            }
            host = s.substring(1, close);
            ports = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new KeywordError("'bind' : missing port number: '" + s + "'");
            }
            host = s.substring(0, colon);
            ports = s.substring(colon + 1);
        }
        if (ports.isEmpty()) {
            throw new KeywordError("'bind' : missing port number: '" + s + "'");
        }
        int dash = ports.indexOf('-');
        int from = port(dash < 0 ? ports : ports.substring(0, dash), whole);
        int to = dash < 0 ? from : port(ports.substring(dash + 1), whole);
        if (to < from) {
            throw new KeywordError("'bind' : invalid port range '" + ports + "' in '" + whole + "'");
        }
        Family family;
        if (host.isEmpty() || host.equals("*") || host.equals("0.0.0.0") && forced == null) {
            family = host.equals("0.0.0.0") ? Family.IPV4 : Family.ANY;
            host = host.equals("0.0.0.0") ? host : null;
        } else if (host.equals("::")) {
            family = Family.IPV6;
        } else if (isIpv4(host)) {
            family = Family.IPV4;
        } else if (isIpv6(host)) {
            family = Family.IPV6;
        } else if (isHost(host)) {
            family = forced == null ? Family.ANY : forced;
        } else {
            throw new KeywordError("'bind' : invalid address: '" + host + "' in '" + whole + "'");
        }
        if (forced != null && family == Family.ANY) {
            family = forced;
        }
        return ListenAddress.ip(family, host, from, to);
    }

    private static int port(String p, String whole) {
        try {
            int v = Integer.parseInt(p);
            if (v < 0 || v > 65535) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new KeywordError("'bind' : invalid port '" + p + "' in '" + whole + "'");
        }
    }
}
