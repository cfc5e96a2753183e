package io.haquark.model;

import java.util.List;

/**
 * {@code balance <algorithm> [<arguments>]} plus {@code hash-type}. Algorithm names are
 * HAProxy's: roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random,
 * rdp-cookie; {@code parameter} carries hdr(name)/rdp-cookie(name)/random(draws)/url_param.
 */
public record Balance(String algorithm, String parameter, List<String> options,
                      String hashType, String hashFunction) {
    public static final Balance DEFAULT = new Balance("roundrobin", null, List.of(), "map-based", "sdbm");

    public Balance {
        options = List.copyOf(options);
    }
}
