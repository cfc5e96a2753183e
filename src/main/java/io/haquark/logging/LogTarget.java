package io.haquark.logging;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One "log" line of the configuration: where (stdout, stderr, a UDP address, a Unix datagram
 * socket such as /dev/log), which format (raw, rfc3164 — the default, rfc5424), facility and
 * maximum level (configuration.txt "log").
 */
public record LogTarget(String kind, InetSocketAddress address, String format, int facility, int maxLength, String path) {

    public LogTarget(String kind, InetSocketAddress address, String format, int facility, int maxLength) {
        this(kind, address, format, facility, maxLength, null);
    }

    /** Why haquark cannot log to this target (for a "not supported, ignored" warning), or null when it can. */
    public static String unsupported(String spec) {
        String where = spec.trim().split("\\s+")[0];
        if (where.equals("global") || where.equals("stdout") || where.equals("stderr") || where.startsWith("/")
                || where.startsWith("unix@") || where.startsWith("ring@") || where.startsWith("udp@") || where.startsWith("udp4@") || where.startsWith("ipv4@")
                || !where.contains("@")) {
            return null;
        }
        return "log target '" + where + "'";
    }
    private static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");

    /** Parses the words after "log" ("global" is resolved by the caller); null for targets not served yet. */
    public static LogTarget parse(String spec) {
        String[] w = spec.trim().split("\\s+");
        String where = w[0];
        String format = "rfc3164";
        int len = 1024;
        int facility = 16;
        for (int i = 1; i < w.length; i++) {
            switch (w[i]) {
                case "format" -> format = i + 1 < w.length ? w[++i] : format;
                case "len" -> len = i + 1 < w.length ? Integer.parseInt(w[++i]) : len;
                case "sample", "profile" -> i++;
                default -> {
                    int f = FACILITIES.indexOf(w[i]);
                    if (f >= 0) {
                        facility = f;
                    }
                }
            }
        }
        if (where.equals("stdout") || where.equals("stderr")) {
            return new LogTarget(where, null, format, facility, len);
        }
        if (where.startsWith("ring@")) {
            return new LogTarget("ring", null, format, facility, len, where.substring(5));
        }
        if (where.startsWith("/") || where.startsWith("unix@")) {
            return new LogTarget("unix", null, format, facility, len, where.substring(where.indexOf('@') + 1));
        }
        String addr = where.startsWith("udp@") || where.startsWith("udp4@") || where.startsWith("ipv4@")
                ? where.substring(where.indexOf('@') + 1) : where;
        int colon = addr.lastIndexOf(':');
        if (addr.contains("@")) {
            return null;   // ring@, tcp@, fd@ ...: warned about when the configuration was read
        }
        String host = colon < 0 ? addr : addr.substring(0, colon);
        int port = colon < 0 ? 514 : Integer.parseInt(addr.substring(colon + 1));
        return new LogTarget("udp", new InetSocketAddress(host, port), format, facility, len);
    }
}
