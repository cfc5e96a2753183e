package io.haquark.acl;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * hdr() values of a Netty header set: every occurrence, split on commas (configuration.txt
 * §7.3.6 "hdr"). Runs for each header ACL, so the common single value costs one small list.
 */
public final class HeaderSamples {
    private HeaderSamples() {
    }

    public static List<String> values(HttpHeaders h, String name) {
        Iterator<String> it = h.valueStringIterator(name);
        if (!it.hasNext()) {
            return List.of();
        }
        String first = it.next();
        if (!it.hasNext() && first.indexOf(',') < 0) {
            return List.of(first);
        }
        List<String> out = new ArrayList<>(4);
        split(out, first);
        while (it.hasNext()) {
            split(out, it.next());
        }
        return out;
    }

    private static void split(List<String> out, String v) {
        int start = 0;
        while (true) {
            int comma = v.indexOf(',', start);
            out.add(v.substring(start, comma < 0 ? v.length() : comma).trim());
            if (comma < 0) {
                return;
            }
            start = comma + 1;
        }
    }
}
