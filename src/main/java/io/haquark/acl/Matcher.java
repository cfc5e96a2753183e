package io.haquark.acl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A match method with its patterns (configuration.txt §7.1.3): str, beg, end, sub, reg,
 * dir, dom, len, int, ip, bool, found. A multi-valued sample matches when any value does.
 */
public abstract class Matcher {

    public abstract boolean matchOne(Object value);

    public boolean matches(Object sample) {
        if (sample == null) {
            return false;
        }
        if (sample instanceof List<?> list) {
            for (Object o : list) {
                if (o != null && matchOne(o)) {
                    return true;
                }
            }
            return false;
        }
        return matchOne(sample);
    }

    static String text(Object v) {
        if (v instanceof String str) {
            return str;
        }
        if (v instanceof InetAddress ia) {
            return io.haquark.model.IpLiterals.text(ia);
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof byte[] bin) {
            // A binary sample printed as a string is its bytes, one char each (HAProxy copies them as they are).
            return new String(bin, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return v.toString();
    }

    public static final List<String> METHODS = List.of("str", "beg", "end", "sub", "reg", "dir", "dom", "len",
            "int", "ip", "bool", "found", "bin");

    public static Matcher compile(String method, List<String> patterns, boolean ignoreCase) {
        return switch (method) {
            case "found" -> new Matcher() {
                @Override
                public boolean matchOne(Object value) {
                    return true;
                }
            };
            case "bool" -> new Matcher() {
                @Override
                public boolean matchOne(Object value) {
                    if (value instanceof Boolean b) {
                        return b;
                    }
                    if (value instanceof Long l) {
                        return l != 0;
                    }
                    String s = text(value);
                    return !s.isEmpty() && !s.equals("0");
                }
            };
            case "str" -> exact(patterns, ignoreCase);
            case "beg", "end", "sub", "dir", "dom" -> strings(method, patterns, ignoreCase);
            case "reg" -> regex(patterns, ignoreCase);
            case "len" -> {
                Matcher ints = integers(patterns);
                yield new Matcher() {
                    @Override
                    public boolean matchOne(Object value) {
                        return ints.matchOne((long) text(value).length());
                    }
                };
            }
            case "int" -> integers(patterns);
            case "ip" -> ips(patterns);
            case "bin" -> exact(binaryPatterns(patterns), false);
            default -> throw new AclException("unknown matching method '" + method + "' when parsing ACL expression.");
        };
    }

    /** "-m bin": patterns are hex bytes, compared with the sample's bytes (configuration.txt §7.1.3). */
    private static List<String> binaryPatterns(List<String> patterns) {
        List<String> out = new java.util.ArrayList<>(patterns.size());
        for (String p : patterns) {
            if (p.length() % 2 != 0 || !p.matches("[0-9a-fA-F]*")) {
                throw new AclException("'" + p + "' is not a valid hexadecimal binary string");
            }
            out.add(new String(java.util.HexFormat.of().parseHex(p), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static Matcher exact(List<String> patterns, boolean ignoreCase) {
        Set<String> set = new HashSet<>();
        for (String p : patterns) {
            set.add(ignoreCase ? p.toLowerCase(Locale.ROOT) : p);
        }
        if (ignoreCase && set.size() <= 8) {
            // A few patterns: compare in place rather than lower-casing every sample.
            String[] few = set.toArray(new String[0]);
            return new Matcher() {
                @Override
                public boolean matchOne(Object value) {
                    String s = text(value);
                    for (String p : few) {
                        if (p.equalsIgnoreCase(s)) {
                            return true;
                        }
                    }
                    return false;
                }
            };
        }
        return new Matcher() {
            @Override
            public boolean matchOne(Object value) {
                String s = text(value);
                return set.contains(ignoreCase ? s.toLowerCase(Locale.ROOT) : s);
            }
        };
    }

    private static Matcher strings(String method, List<String> patterns, boolean ignoreCase) {
        String[] pats = patterns.stream().map(p -> ignoreCase ? p.toLowerCase(Locale.ROOT) : p).toArray(String[]::new);
        if (method.equals("beg") || method.equals("end")) {
            // The hot path of routing (path_beg, path_end -i): no copy of the sample, even with -i.
            boolean beg = method.equals("beg");
            return new Matcher() {
                @Override
                public boolean matchOne(Object value) {
                    String s = text(value);
                    for (String p : pats) {
                        if (!ignoreCase) {
                            // case-sensitive: the intrinsic startsWith/endsWith
                            if (beg ? s.startsWith(p) : s.endsWith(p)) {
                                return true;
                            }
                            continue;
                        }
                        int at = beg ? 0 : s.length() - p.length();
                        if (at >= 0 && s.regionMatches(true, at, p, 0, p.length())) {
                            return true;
                        }
                    }
                    return false;
                }
            };
        }
        int kind = switch (method) {
            case "sub" -> 0;
            case "dir" -> 1;
            default -> 2;
        };
        return new Matcher() {
            @Override
            public boolean matchOne(Object value) {
                String s = text(value);
                if (ignoreCase) {
                    s = s.toLowerCase(Locale.ROOT);
                }
                for (String p : pats) {
                    boolean hit = switch (kind) {
                        case 0 -> s.contains(p);
                        case 1 -> delimited(s, p, '/');
                        default -> delimited(s, p, '.');
                    };
                    if (hit) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /**
     * -m dir / -m dom: the pattern must appear delimited by the separator (or a string end)
     * on both sides; for dom, '/' and ':' delimit too (§7.1.3).
     */
    static boolean delimited(String s, String p, char sep) {
        if (p.isEmpty()) {
            return false;
        }
        int from = 0;
        while (true) {
            int i = s.indexOf(p, from);
            if (i < 0) {
                return false;
            }
            int end = i + p.length();
            boolean left = i == 0 || isDelim(s.charAt(i - 1), sep) || isDelim(p.charAt(0), sep);
            boolean right = end == s.length() || isDelim(s.charAt(end), sep) || isDelim(p.charAt(p.length() - 1), sep);
            if (left && right) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean isDelim(char c, char sep) {
        if (sep == '/') {
            return c == '/' || c == '?';
        }
        return c == '.' || c == '/' || c == ':' || c == '?';
    }

    private static Matcher regex(List<String> patterns, boolean ignoreCase) {
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) {
            try {
                compiled.add(Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new AclException("regex '" + p + "' is invalid");
            }
        }
        Pattern[] arr = compiled.toArray(new Pattern[0]);
        return new Matcher() {
            @Override
            public boolean matchOne(Object value) {
                String s = text(value);
                for (Pattern p : arr) {
                    if (p.matcher(s).find()) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /** Integer ranges; "eq/ge/gt/le/lt" operators apply to the values that follow them. */
    private static Matcher integers(List<String> patterns) {
        List<long[]> ranges = new ArrayList<>();
        String op = "eq";
        for (String p : patterns) {
            switch (p) {
                case "eq", "ge", "gt", "le", "lt" -> {
                    op = p;
                    continue;
                }
                default -> { }
            }
            long lo;
            long hi;
            try {
                int colon = p.indexOf(':');
                if (colon >= 0) {
                    lo = colon == 0 ? Long.MIN_VALUE : Long.parseLong(p.substring(0, colon));
                    hi = colon == p.length() - 1 ? Long.MAX_VALUE : Long.parseLong(p.substring(colon + 1));
                } else {
                    long v = Long.parseLong(p);
                    switch (op) {
                        case "ge" -> { lo = v; hi = Long.MAX_VALUE; }
                        case "gt" -> { lo = v + 1; hi = Long.MAX_VALUE; }
                        case "le" -> { lo = Long.MIN_VALUE; hi = v; }
                        case "lt" -> { lo = Long.MIN_VALUE; hi = v - 1; }
                        default -> { lo = v; hi = v; }
                    }
                }
            } catch (NumberFormatException e) {
                throw new AclException("'" + p + "' is neither a number nor a supported operator.");
            }
            ranges.add(new long[] {lo, hi});
        }
        long[][] arr = ranges.toArray(new long[0][]);
        return new Matcher() {
            @Override
            public boolean matchOne(Object value) {
                long v;
                if (value instanceof Long l) {
                    v = l;
                } else if (value instanceof Boolean b) {
                    v = b ? 1 : 0;
                } else {
                    try {
                        v = Long.parseLong(text(value).trim());
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
                for (long[] r : arr) {
                    if (v >= r[0] && v <= r[1]) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private static Matcher ips(List<String> patterns) {
        Patterns.Network[] nets = patterns.stream().map(Patterns::network).toArray(Patterns.Network[]::new);
        return new Matcher() {
            @Override
            public boolean matchOne(Object value) {
                InetAddress a = value instanceof InetAddress ia ? ia : Patterns.parseIp(text(value).trim());
                if (a == null) {
                    return false;
                }
                for (Patterns.Network n : nets) {
                    if (n.contains(a)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }
}
