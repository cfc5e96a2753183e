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
            return List.of(first.trim());
        }
        // Netty's value iterator runs newest first; getAll gives the order of the message.
        List<String> out = new ArrayList<>(4);
        for (String v : h.getAll(name)) {
            split(out, v);
        }
        return out;
    }

    /**
     * fhdr() values: every occurrence as a whole line, without the spaces around it (HAProxy
     * reads a value without its leading and trailing whitespace, whoever set it).
     */
    public static List<String> full(HttpHeaders h, String name) {
        List<String> all = h.getAll(name);
        for (int i = 0; i < all.size(); i++) {
            String v = all.get(i);
            String t = v.trim();
            if (t != v) {
                List<String> out = new ArrayList<>(all.size());
                for (String x : all) {
                    out.add(x.trim());
                }
                return out;
            }
        }
        return all;
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
