package io.haquark.model;

import java.util.List;

/** The {@code stats *} keywords of a proxy (configuration.txt "stats enable" and friends). */
public record StatsSettings(boolean enabled, String uri, String realm, List<String> auth,
                            boolean hideVersion, int refreshSeconds, boolean showLegends,
                            String showNode, String showDesc, List<String> scopes,
                            List<Condition> admin) {
    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsSettings {
        auth = List.copyOf(auth);
        scopes = List.copyOf(scopes);
        admin = List.copyOf(admin);
    }

    /** Whether a request target is for the stats page: "stats uri" is a prefix (configuration.txt "stats uri"). */
    public boolean serves(String requestUri) {
        return enabled && requestUri.startsWith(uri);
    }
}
