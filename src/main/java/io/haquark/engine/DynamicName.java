package io.haquark.engine;

import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import java.nio.file.Path;

/**
 * A backend name built from a log-format such as {@code be_%[req.hdr(host),lower]}
 * (use_backend / default_backend, configuration.txt §4.2 "use_backend"). Parsed with the rest
 * of the configuration, so its maps belong to that load (a reload or "set map" sees the same
 * references as the rules) and an unknown fetch is a config error, never an event-loop failure.
 */
final class DynamicName {
    /** Alternating literal strings and SampleExpr. */
    private final Object[] parts;

    private DynamicName(Object[] parts) {
        this.parts = parts;
    }

    /** @throws io.haquark.acl.AclException with HAProxy's explanation when an expression does not parse */
    static DynamicName parse(String template) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int start = template.indexOf("%[", i);
            if (start < 0) {
                out.add(template.substring(i));
                break;
            }
            out.add(template.substring(i, start));
            int end = template.indexOf(']', start);
            if (end < 0) {
                out.add(template.substring(start));
                break;
            }
            try {
                out.add(SampleExpr.parse(template.substring(start + 2, end), Path.of("."), null));
            } catch (io.haquark.acl.AclException | IllegalArgumentException e) {
                throw new io.haquark.acl.AclException("failed to parse sample expression <" + template.substring(start + 2)
                        + "> : " + e.getMessage());
            }
            i = end + 1;
        }
        return new DynamicName(out.toArray());
    }

    /** The name for this request, or null when a sample is missing. */
    String resolve(SampleSource s) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
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
