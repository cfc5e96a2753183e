package io.haquark.balance;

import io.haquark.acl.SampleSource;
import java.util.List;
import java.util.function.Function;

/** The keys hash-based algorithms hash: part of the URI, a URL parameter, a header, a cookie. */
final class HashKeys {
    private HashKeys() {
    }

    /** uri [whole] [len N] [depth N] [path-only]: the path (or whole URI) optionally cut. */
    static Function<SampleSource, String> uriKey(List<String> options) {
        boolean whole = options.contains("whole");
        boolean pathOnly = options.contains("path-only");
        int len = intAfter(options, "len");
        int depth = intAfter(options, "depth");
        return s -> {
            String u = s.uri();
            if (u == null) {
                return null;
            }
            if (pathOnly && u.indexOf("://") > 0) {
                // path-only: an absolute-form target hashes as its path (scheme and authority left out).
                int slash = u.indexOf('/', u.indexOf("://") + 3);
                u = slash < 0 ? "/" : u.substring(slash);
            }
            if (pathOnly || !whole) {
                int q = u.indexOf('?');
                if (q >= 0) {
                    u = u.substring(0, q);
                }
            }
            if (depth > 0) {
                int slashes = 0;
                for (int i = 0; i < u.length(); i++) {
                    if (u.charAt(i) == '/' && ++slashes > depth) {
                        u = u.substring(0, i);
                        break;
                    }
                }
            }
            if (len > 0 && u.length() > len) {
                u = u.substring(0, len);
            }
            return u;
        };
    }

    private static int intAfter(List<String> opts, String name) {
        int i = opts.indexOf(name);
        return i >= 0 && i + 1 < opts.size() ? Integer.parseInt(opts.get(i + 1)) : 0;
    }

    static Function<SampleSource, String> urlParamKey(String param) {
        return s -> {
            String q = s.query();
            if (q == null) {
                return null;
            }
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).equals(param)) {
                    return part.substring(eq + 1);
                }
            }
            return null;
        };
    }

    static Function<SampleSource, String> headerKey(String name, boolean domainOnly) {
        return s -> {
            String v = s.header(name, -1);
            if (v == null || !domainOnly) {
                return v;
            }
            int colon = v.indexOf(':');
            String host = colon >= 0 ? v.substring(0, colon) : v;
            String[] labels = host.split("\\.");
            // use_domain_only: the longest label, which skips "www" and the TLD.
            String best = host;
            int bestLen = -1;
            for (String l : labels) {
                if (l.length() > bestLen) {
                    best = l;
                    bestLen = l.length();
                }
            }
            return best;
        };
    }
}
