package io.haquark.logging;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One "log" line of the configuration: where (stdout, stderr, a UDP address, a Unix datagram
 * socket such as /dev/log), which format (raw, rfc3164 — the default, rfc5424), facility and
 * maximum level (configuration.txt "log").
 */
public record LogTarget(String kind, InetSocketAddress address, String format, int facility, int maxLength, String path,
                        int maxLevel, int minLevel, Sampler sampler) {

    public LogTarget(String kind, InetSocketAddress address, String format, int facility, int maxLength) {
        this(kind, address, format, facility, maxLength, null);
    }

    public LogTarget(String kind, InetSocketAddress address, String format, int facility, int maxLength, String path) {
        this(kind, address, format, facility, maxLength, path, 7, 0, null);
    }

    /** Syslog severities, most severe first: a target's "max" and "min" levels bound what it takes. */
    private static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    /**
     * "sample <ranges>:<size>" (configuration.txt "log"): of every <size> messages, the ones whose
     * position (from 1) falls in the ranges go to this target; the others are left to the next
     * target. Shared by every thread writing to the target.
     */
    public static final class Sampler {
        private final boolean[] take;
        private final java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();

        Sampler(String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("sample expects '<ranges>:<size>', got '" + spec + "'");
            }
            int size = Integer.parseInt(spec.substring(colon + 1));
            take = new boolean[size];
            for (String r : spec.substring(0, colon).split(",")) {
                int dash = r.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? r : r.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(r.substring(dash + 1));
                for (int i = lo; i <= hi && i <= size; i++) {
                    take[i - 1] = true;
                }
            }
        }

        public boolean next() {
            return take[(int) (seen.getAndIncrement() % take.length)];
        }
    }

    /** Whether a message of this severity goes to this target (its levels, then its sampling). */
    public boolean accepts(int severity) {
        if (severity > maxLevel || severity < minLevel) {
            return false;
        }
        return sampler == null || sampler.next();
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
        int maxLevel = 7;
        int minLevel = 0;
        boolean facilitySeen = false;
        Sampler sampler = null;
        for (int i = 1; i < w.length; i++) {
            switch (w[i]) {
                case "format" -> format = i + 1 < w.length ? w[++i] : format;
                case "len" -> len = i + 1 < w.length ? Integer.parseInt(w[++i]) : len;
                case "sample" -> sampler = i + 1 < w.length ? new Sampler(w[++i]) : null;
                case "profile" -> i++;
                default -> {
                    int f = FACILITIES.indexOf(w[i]);
                    int lvl = LEVELS.indexOf(w[i]);
                    if (f >= 0 && !facilitySeen) {
                        facility = f;
                        facilitySeen = true;
                    } else if (lvl >= 0 && facilitySeen) {
                        // After the facility: the maximum level, then the minimum one.
                        if (maxLevel == 7 && minLevel == 0 && !levelSeen(w, i)) {
                            maxLevel = lvl;
                        } else {
                            minLevel = lvl;
                        }
                    }
                }
            }
        }
        if (where.equals("stdout") || where.equals("stderr")) {
            return new LogTarget(where, null, format, facility, len, null, maxLevel, minLevel, sampler);
        }
        if (where.startsWith("ring@")) {
            return new LogTarget("ring", null, format, facility, len, where.substring(5), maxLevel, minLevel, sampler);
        }
        if (where.startsWith("/") || where.startsWith("unix@")) {
            return new LogTarget("unix", null, format, facility, len, where.substring(where.indexOf('@') + 1), maxLevel, minLevel, sampler);
        }
        String addr = where.startsWith("udp@") || where.startsWith("udp4@") || where.startsWith("ipv4@")
                ? where.substring(where.indexOf('@') + 1) : where;
        int colon = addr.lastIndexOf(':');
        if (addr.contains("@")) {
            return null;   // ring@, tcp@, fd@ ...: warned about when the configuration was read
        }
        String host = colon < 0 ? addr : addr.substring(0, colon);
        int port = colon < 0 ? 514 : Integer.parseInt(addr.substring(colon + 1));
        return new LogTarget("udp", new InetSocketAddress(host, port), format, facility, len, null, maxLevel, minLevel, sampler);
    }

    /** Whether a level word already came after the facility, before position i. */
    private static boolean levelSeen(String[] w, int i) {
        boolean afterFacility = false;
        for (int k = 1; k < i; k++) {
            if (FACILITIES.contains(w[k])) {
                afterFacility = true;
            } else if (afterFacility && LEVELS.contains(w[k])) {
                return true;
            }
        }
        return false;
    }
}
