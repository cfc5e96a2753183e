package io.haquark.stats;

import java.util.List;

/** "stats scope": which proxies a stats page shows ("." is the proxy serving the page). */
public record StatsScope(List<String> names, String self) {
    public boolean includes(String proxy) {
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
