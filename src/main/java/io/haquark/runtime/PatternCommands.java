package io.haquark.runtime;

import io.haquark.acl.PatternReference;
import io.haquark.acl.PatternReferences;
import io.haquark.acl.Patterns;

/**
 * show|add|del|clear acl, show|add|set|del|clear map (management guide §9.3): the runtime view
 * and edits of the configuration's pattern and map files. Answers are HAProxy 2.6's, including
 * its choice to let every socket level edit them.
 */
final class PatternCommands {
    private PatternCommands() {
    }

    static boolean handles(String[] w) {
        return w.length >= 2 && (w[1].equals("acl") || w[1].equals("map"))
                && (w[0].equals("show") || w[0].equals("add") || w[0].equals("del") || w[0].equals("clear") || w[0].equals("set"));
    }

    static String run(PatternReferences refs, String[] w) {
        boolean acl = w[1].equals("acl");
        String kind = acl ? "acl" : "map";
        String unknown = (acl ? "Unknown ACL" : "Unknown map") + " identifier. Please use #<id> or <file>.\n\n";
        if (w[0].equals("show") && w.length == 2) {
            StringBuilder sb = new StringBuilder("# id (file) description\n");
            for (PatternReference r : refs.all()) {
                if (r.usedBy().equals(kind)) {
                    sb.append(r.id()).append(" (").append(r.file()).append(") pattern loaded from file '").append(r.file())
                            .append("' used by ").append(kind).append(". curr_ver=0 next_ver=0 entry_cnt=")
                            .append(r.entries().size()).append('\n');
                }
            }
            return sb.append('\n').toString();
        }
        if (w.length < 3) {
            return "'" + w[0] + " " + kind + "' expects a file name or #<id>.\n\n";
        }
        PatternReference ref = refs.find(w[2]);
        if (ref == null || !ref.usedBy().equals(kind)) {
            return unknown;
        }
        switch (w[0]) {
            case "show" -> {
                StringBuilder sb = new StringBuilder();
                for (PatternReference.Entry e : ref.entries()) {
                    sb.append("0x").append(Long.toHexString(0x10000L + e.id())).append(' ').append(e.key());
                    if (!acl) {
                        sb.append(' ').append(e.value());
                    }
                    sb.append('\n');
                }
                return sb.append('\n').toString();
            }
            case "clear" -> {
                ref.clear();
                return "\n";
            }
            case "del" -> {
                if (w.length < 4) {
                    return "This command expects two parameters: " + kind + " identifier and key.\n\n";
                }
                return ref.delete(w[3]) ? "\n" : "Key not found.\n\n";
            }
            case "add" -> {
                if (w.length < (acl ? 4 : 5)) {
                    return acl ? "'add acl' expects two parameters: ACL identifier and pattern.\n\n"
                            : "'add map' expects three parameters: map identifier, key and value.\n\n";
                }
                String bad = invalid(ref, w[3]);
                if (bad != null) {
                    return bad;
                }
                ref.add(w[3], acl ? "" : join(w, 4));
                return "\n";
            }
            case "set" -> {
                if (acl || w.length < 5) {
                    return "'set map' expects three parameters: map identifier, key and value.\n\n";
                }
                return ref.set(w[3], join(w, 4)) ? "\n" : "entry not found.\n\n";
            }
            default -> {
                return unknown;
            }
        }
    }

    /** An IP file gets IP patterns only, with HAProxy's message; other files take any text. */
    private static String invalid(PatternReference ref, String pattern) {
        boolean ipFile = !ref.entries().isEmpty() && ref.entries().stream().allMatch(e -> isNetwork(e.key()));
        if (ipFile && !isNetwork(pattern)) {
            return "'" + pattern + "' is not a valid IPv4 or IPv6 address.\n\n";
        }
        return null;
    }

    private static boolean isNetwork(String s) {
        try {
            Patterns.network(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String join(String[] w, int from) {
        return String.join(" ", java.util.Arrays.copyOfRange(w, from, w.length));
    }
}
