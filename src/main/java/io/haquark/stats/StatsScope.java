package io.haquark.stats;

import java.util.List;

/**
 * "stats scope": which proxies a stats page shows ("." is the proxy serving the page); and
 * the page's own "scope=<text>" URI option, which keeps the proxies whose name contains the
 * text (case-insensitive, as HAProxy's scope search box).
 */
public record StatsScope(List<String> names, String self, String search) {
    public StatsScope(List<String> names, String self) {
        this(names, self, "");
    }

    public boolean includes(String proxy) {
        if (!search.isEmpty() && !proxy.toLowerCase(java.util.Locale.ROOT).contains(search.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        if (names.isEmpty()) {
            return true;
        }
        for (String n : names) {
            if (n.equals(proxy) || n.equals(".") && proxy.equals(self)) {
                return true;
            }
        }
        return false;
    }
}
