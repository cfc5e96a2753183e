package io.haquark.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The TLS version options HAProxy takes on binds, servers and in ssl-default-*-options:
 * ssl-min-ver / ssl-max-ver, no-sslv3, no-tlsv10 ... no-tlsv13, force-tlsv10 ... force-tlsv13.
 */
public final class TlsOptions {
    private static final List<String> VERSIONS = List.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> SUFFIX = List.of("sslv3", "tlsv10", "tlsv11", "tlsv12", "tlsv13");

    private TlsOptions() {
    }

    /** Options without a value that ssl-default-*-options may hold, and ssl-min-ver/ssl-max-ver. */
    static boolean known(String o) {
        return o.equals("ssl-min-ver") || o.equals("ssl-max-ver") || VERSIONS.contains(o) || o.equals("no-tls-tickets")
                || o.equals("prefer-client-ciphers") || o.startsWith("no-") && SUFFIX.contains(o.substring(3))
                || o.startsWith("force-") && SUFFIX.contains(o.substring(6));
    }

    /**
     * The JDK/Netty protocol names allowed by the given options (words as written, "ssl-min-ver X"
     * taking the next word), TLSv1.2 and TLSv1.3 by default as HAProxy 2.6 builds with OpenSSL 3.
     */
    public static String[] protocols(List<String> words) {
        int min = VERSIONS.indexOf("TLSv1.2");
        int max = VERSIONS.indexOf("TLSv1.3");
        boolean[] off = new boolean[VERSIONS.size()];
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if ((w.equals("ssl-min-ver") || w.equals("ssl-max-ver")) && i + 1 < words.size()) {
                int v = VERSIONS.indexOf(words.get(++i));
                if (v >= 0) {
                    if (w.equals("ssl-min-ver")) {
                        min = v;
                    } else {
                        max = v;
                    }
                }
            } else if (w.startsWith("no-") && SUFFIX.contains(w.substring(3))) {
                off[SUFFIX.indexOf(w.substring(3))] = true;
            } else if (w.startsWith("force-") && SUFFIX.contains(w.substring(6))) {
                min = SUFFIX.indexOf(w.substring(6));
                max = min;
            }
        }
        List<String> out = new ArrayList<>();
        for (int v = Math.max(min, 1); v <= max; v++) {
            if (!off[v]) {
                out.add(v == 1 ? "TLSv1" : VERSIONS.get(v));
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * "ca-ignore-err" / "crt-ignore-err": "all", or OpenSSL error numbers separated by commas.
     * As in HAProxy 2.6, a word is read as a number from its leading digits, and must be 1 to 94.
     */
    public static java.util.function.IntPredicate ignoreList(String value) {
        if (value == null) {
            return e -> false;
        }
        if (value.equals("all")) {
            return e -> true;
        }
        java.util.BitSet set = new java.util.BitSet();
        for (String id : value.split(",", -1)) {
            int n = 0;
            for (int i = 0; i < id.length() && Character.isDigit(id.charAt(i)) && n < 1000; i++) {
                n = n * 10 + id.charAt(i) - '0';
            }
            if (n < 1 || n > 94) {
                throw new IllegalArgumentException("ID '" + n + "' out of range (1..94) in error IDs list '" + value + "'");
            }
            set.set(n);
        }
        return set::get;
    }
}
