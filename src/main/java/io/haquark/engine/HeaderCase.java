package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HAProxy 2.x sends every header name in lower case (its HTX representation), to servers
 * and to clients; haquark does the same so both proxies are byte-for-byte alike.
 */
final class HeaderCase {
    private HeaderCase() {
    }

    static void lower(HttpHeaders h) {
        boolean mixed = false;
        for (Map.Entry<String, String> e : h) {
            if (hasUpper(e.getKey())) {
                mixed = true;
                break;
            }
        }
        if (!mixed) {
            return;
        }
        List<Map.Entry<String, String>> all = new ArrayList<>(h.entries());
        h.clear();
        for (Map.Entry<String, String> e : all) {
            String k = e.getKey();
            h.add(hasUpper(k) ? k.toLowerCase(java.util.Locale.ROOT) : k, e.getValue());
        }
    }

    private static boolean hasUpper(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }
}
