package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;

/**
 * HAProxy 2.x sends every header name in lower case (its HTX representation), to servers
 * and to clients; haquark does the same so both proxies are byte-for-byte alike.
 */
final class HeaderCase {
    private HeaderCase() {
    }

    static void lower(HttpHeaders h) {
        // Walk the CharSequence entries: the String view would copy every name and value.
        int n = 0;
        boolean mixed = false;
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            mixed |= hasUpper(it.next().getKey());
            n++;
        }
        if (!mixed) {
            return;
        }
        // Rebuilt in the same order (a rename would move the header to the end).
        CharSequence[] kv = new CharSequence[2 * n];
        int i = 0;
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence k = e.getKey();
            kv[i++] = hasUpper(k) ? io.netty.util.AsciiString.of(k).toLowerCase() : k;
            kv[i++] = e.getValue();
        }
        h.clear();
        for (int j = 0; j < kv.length; j += 2) {
            h.add(kv[j], kv[j + 1]);
        }
    }

    /**
     * global h1-case-adjust / h1-case-adjust-file with option h1-case-adjust-bogus-client|server
     * (configuration.txt §3.2): the listed names leave in the case given, for HTTP/1 peers that
     * mind it; the others stay lower case. Order is kept.
     */
    static void adjust(HttpHeaders h, Map<String, String> cases) {
        boolean any = false;
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext() && !any; ) {
            any = cases.containsKey(it.next().getKey().toString());
        }
        if (!any) {
            return;
        }
        java.util.List<Map.Entry<String, String>> all = new java.util.ArrayList<>(h.entries());
        h.clear();
        for (Map.Entry<String, String> e : all) {
            h.add(cases.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
    }

    /** The request decoder hands out names already in lower case, as HAProxy stores them. */
    static io.netty.util.AsciiString lower(io.netty.util.AsciiString name) {
        return name.toLowerCase();
    }

    private static boolean hasUpper(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }
}
