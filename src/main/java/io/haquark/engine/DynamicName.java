package io.haquark.engine;

import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/** A backend name built from a log-format such as {@code be_%[req.hdr(host),lower]}. */
final class DynamicName {
    private static final ConcurrentHashMap<String, Object[]> CACHE = new ConcurrentHashMap<>();

    private DynamicName() {
    }

    /** Alternating literal strings and SampleExpr, parsed once per template. */
    private static Object[] parts(String template) {
        return CACHE.computeIfAbsent(template, t -> {
            java.util.List<Object> out = new java.util.ArrayList<>();
            int i = 0;
            while (i < t.length()) {
                int start = t.indexOf("%[", i);
                if (start < 0) {
                    out.add(t.substring(i));
                    break;
                }
                out.add(t.substring(i, start));
                int end = t.indexOf(']', start);
                if (end < 0) {
                    out.add(t.substring(start));
                    break;
                }
                out.add(SampleExpr.parse(t.substring(start + 2, end), Path.of("."), null));
                i = end + 1;
            }
            return out.toArray();
        });
    }

    /**
     * Parses the template's sample expressions at load time, so that an unknown fetch or
     * converter is a config error and never an exception on the event loop.
     * @return null when it parses, else HAProxy's explanation
     */
    static String check(String template) {
        try {
            parts(template);
            return null;
        } catch (io.haquark.acl.AclException | IllegalArgumentException e) {
            int at = template.indexOf("%[");
            return "failed to parse sample expression <" + template.substring(at + 2) + "> : " + e.getMessage();
        }
    }

    static String resolve(String template, SampleSource s) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts(template)) {
            if (p instanceof String str) {
                sb.append(str);
            } else {
                String v = ((SampleExpr) p).evalString(s);
                if (v == null) {
                    return null;
                }
                sb.append(v);
            }
        }
        return sb.toString();
    }
}
