package io.haquark.engine;

import io.haquark.model.Cookie;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Cookie-based persistence (configuration.txt "cookie"): find the server a request's cookie
 * names, strip the cookie on its way to the server when asked (indirect, prefix), and set
 * or rewrite it on the way back (insert, rewrite, prefix).
 */
final class CookiePersistence {
    private CookiePersistence() {
    }

    /** The value of the persistence cookie in the request, or null. */
    static String requestValue(Cookie c, HttpHeaders h) {
        for (String line : h.getAll("cookie")) {
            for (String part : line.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(c.name())) {
                    String v = p.substring(eq + 1);
                    if (c.mode().equals("prefix")) {
                        int tilde = v.indexOf('~');
                        return tilde < 0 ? null : v.substring(0, tilde);
                    }
                    return v;
                }
            }
        }
        return null;
    }

    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** A date in a cookie (maxidle/maxlife): seconds rounded up to 4 s, 30 bits in 5 base64 digits, as HAProxy writes them. */
    static String encodeDate(long epochSeconds) {
        long v = ((epochSeconds + 3) >> 2) & 0x3fffffff;
        char[] out = new char[5];
        for (int i = 4; i >= 0; i--) {
            out[i] = B64.charAt((int) (v & 63));
            v >>= 6;
        }
        return new String(out);
    }

    /** The seconds a cookie date stands for, or -1 when it is not one. */
    static long decodeDate(String s) {
        if (s.length() != 5) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < 5; i++) {
            int d = B64.indexOf(s.charAt(i));
            if (d < 0) {
                return -1;
            }
            v = (v << 6) | d;
        }
        return v << 2;
    }

    /** "server|lastseen|firstseen": the parts of a cookie value; missing dates are -1. */
    record Value(String server, long last, long first) {
        static Value parse(String raw) {
            if (raw == null) {
                return null;
            }
            String[] p = raw.split("\\|", -1);
            long last = p.length > 1 && !p[1].isEmpty() ? decodeDate(p[1]) : -1;
            long first = p.length > 2 && !p[2].isEmpty() ? decodeDate(p[2]) : -1;
            return new Value(p[0], last, first);
        }
    }

    /** maxidle / maxlife passed since the dates the cookie carries: it no longer names a server. */
    static boolean expired(Cookie c, Value v, long now) {
        if (c.maxIdle() > 0 && v.last() >= 0 && now - v.last() >= c.maxIdle() / 1000) {
            return true;
        }
        return c.maxLife() > 0 && v.first() >= 0 && now - v.first() >= c.maxLife() / 1000;
    }

    /** The server whose "cookie" value the request carries, if it may take persistent traffic. */
    static ServerState target(BackendState b, Cookie c, String raw) {
        Value v = Value.parse(raw);
        if (v == null || expired(c, v, System.currentTimeMillis() / 1000)) {
            return null;
        }
        String value = v.server();
        for (ServerState s : b.servers()) {
            if (value.equals(s.server.cookie())) {
                return s;
            }
        }
        return null;
    }

    /**
     * The request's persistence cookie as the third character of the log's termination state
     * (configuration.txt §8.5): N none, I no such server, D its server is down, V valid,
     * E expired by maxidle, O expired by maxlife.
     */
    static char requestState(BackendState b, Cookie c, String raw) {
        Value v = Value.parse(raw);
        if (v == null) {
            return 'N';
        }
        long now = System.currentTimeMillis() / 1000;
        if (c.maxIdle() > 0 && v.last() >= 0 && now - v.last() >= c.maxIdle() / 1000) {
            return 'E';
        }
        if (c.maxLife() > 0 && v.first() >= 0 && now - v.first() >= c.maxLife() / 1000) {
            return 'O';
        }
        for (ServerState s : b.servers()) {
            if (v.server().equals(s.server.cookie())) {
                return s.usable() ? 'V' : 'D';
            }
        }
        return 'I';
    }

    /** insert+indirect removes the cookie before the server sees it; prefix strips "value~". */
    static void onRequest(Cookie c, HttpHeaders h) {
        boolean strip = c.mode().equals("insert") && c.flags().contains("indirect");
        boolean prefix = c.mode().equals("prefix");
        if (!strip && !prefix) {
            return;
        }
        List<String> lines = h.getAll("cookie");
        if (lines.isEmpty()) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            List<String> parts = new ArrayList<>();
            for (String part : line.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(c.name())) {
                    if (strip) {
                        continue;
                    }
                    String v = p.substring(eq + 1);
                    int tilde = v.indexOf('~');
                    p = c.name() + "=" + (tilde < 0 ? v : v.substring(tilde + 1));
                }
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
            if (!parts.isEmpty()) {
                kept.add(String.join("; ", parts));
            }
        }
        h.remove("cookie");
        for (String k : kept) {
            h.add("cookie", k);
        }
    }

    /** preserve: the server set the persistence cookie itself. */
    private static boolean ownCookie(Cookie c, HttpHeaders h) {
        for (String line : h.getAll("set-cookie")) {
            if (line.startsWith(c.name() + "=")) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.Set<Integer> CACHEABLE_STATUS = java.util.Set.of(200, 203, 204, 206, 300, 301, 404,
            405, 410, 414, 501);

    /**
     * Whether a shared cache could store the answer, by the same heuristic as HAProxy: a
     * cacheable status with an explicit freshness hint, and nothing that forbids caching.
     */
    static boolean cacheable(HttpResponse r) {
        if (!CACHEABLE_STATUS.contains(r.status().code())) {
            return false;
        }
        HttpHeaders h = r.headers();
        String cc = String.join(",", h.getAll("cache-control")).toLowerCase(java.util.Locale.ROOT);
        if (cc.contains("private") || cc.contains("no-cache") || cc.contains("no-store")) {
            return false;
        }
        return h.contains("last-modified") || h.contains("expires") || cc.contains("public") || cc.contains("max-age");
    }

    /**
     * On the response from server s: insert the cookie when the request did not already carry
     * this server's value; rewrite/prefix the server's own Set-Cookie.
     */
    /**
     * @return the fourth character of the log's termination state: N nothing set, I inserted,
     *         U updated (dates refreshed), R rewritten, P the server's own cookie passed on
     */
    static char onResponse(Cookie c, HttpResponse r, ServerState s, String requestValue, boolean post) {
        String value = s.server.cookie();
        if (value == null) {
            return 'N';
        }
        HttpHeaders h = r.headers();
        switch (c.mode()) {
            case "insert" -> {
                long now = System.currentTimeMillis() / 1000;
                Value seen = Value.parse(requestValue);
                boolean dated = c.maxIdle() > 0 || c.maxLife() > 0;
                boolean valid = seen != null && value.equals(seen.server()) && !expired(c, seen, now);
                // Re-sent when the request did not name this server, or its dates need refreshing
                // (lastseen behind the clock, firstseen missing or unwanted).
                boolean refresh = dated && valid && ((c.maxIdle() > 0 || seen.last() >= 0) && (seen.last() < 0 || seen.last() < now)
                        || c.maxLife() > 0 && seen.first() < 0 || c.maxLife() == 0 && seen.first() >= 0);
                if (valid && !refresh) {
                    return 'N';
                }
                if (c.flags().contains("postonly") && !post) {
                    return 'N';
                }
                if (c.flags().contains("preserve") && ownCookie(c, h)) {
                    return 'P';
                }
                StringBuilder sc = new StringBuilder(c.name()).append('=').append(value);
                if (dated) {
                    sc.append('|').append(encodeDate(now));
                    if (c.maxLife() > 0) {
                        sc.append('|').append(valid && seen.first() >= 0 ? encodeDate(seen.first() - 3) : encodeDate(now));
                    }
                }
                sc.append("; path=/");
                if (c.domain() != null) {
                    sc.append("; domain=").append(c.domain());
                }
                if (c.flags().contains("httponly")) {
                    sc.append("; HttpOnly");
                }
                if (c.flags().contains("secure")) {
                    sc.append("; Secure");
                }
                for (String f : c.flags()) {
                    if (f.startsWith("attr=")) {
                        sc.append("; ").append(f.substring(5));
                    }
                }
                h.add("set-cookie", sc.toString());
                if (c.flags().contains("nocache") && cacheable(r)) {
                    // A shared cache must not keep an answer that pins users to a server.
                    h.add("cache-control", "private");
                }
                return valid ? 'U' : 'I';
            }
            case "rewrite", "prefix" -> {
                List<String> all = h.getAll("set-cookie");
                if (all.isEmpty()) {
                    return 'N';
                }
                boolean rewritten = false;
                List<String> out = new ArrayList<>();
                for (String line : all) {
                    if (line.startsWith(c.name() + "=")) {
                        int semi = line.indexOf(';');
                        String own = semi < 0 ? line.substring(c.name().length() + 1) : line.substring(c.name().length() + 1, semi);
                        String rest = semi < 0 ? "" : line.substring(semi);
                        String v = c.mode().equals("rewrite") ? value : value + "~" + own;
                        out.add(c.name() + "=" + v + rest);
                        rewritten = true;
                    } else {
                        out.add(line);
                    }
                }
                h.remove("set-cookie");
                for (String o : out) {
                    h.add("set-cookie", o);
                }
                return rewritten ? 'R' : 'N';
            }
            default -> {
                return 'N';
            }
        }
    }
}
