package io.haquark.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * http-request normalize-uri (configuration.txt §4.2): rewrites the request target into a
 * canonical form before ACLs look at it, so "/a//b", "/a/./b" and "/x/../a/b" route alike.
 */
final class NormalizeUri {
    private static final java.util.regex.Pattern SLASHES = java.util.regex.Pattern.compile("/{2,}");

    private NormalizeUri() {
    }

    /** One normaliser: the new URI, or null when "strict" refuses the input (answered 400). */
    private interface Step {
        String apply(String path, String query, String fragment, String[] out);
    }

    static HttpAction action(List<String> a) {
        String kind = a.get(0);
        boolean flag = a.size() > 1 && (a.get(1).equals("strict") || a.get(1).equals("full"));
        Step step = switch (kind) {
            case "path-merge-slashes" -> (p, q, f, out) -> set(out, SLASHES.matcher(p).replaceAll("/"), q, f);
            case "path-strip-dot" -> (p, q, f, out) -> set(out, stripDot(p), q, f);
            case "path-strip-dotdot" -> (p, q, f, out) -> set(out, stripDotDot(p, flag), q, f);
            case "percent-decode-unreserved" -> (p, q, f, out) -> {
                String np = decodeUnreserved(p, flag);
                String nq = q == null ? null : decodeUnreserved(q, flag);
                return np == null || (q != null && nq == null) ? null : set(out, np, nq, f);
            };
            case "percent-to-uppercase" -> (p, q, f, out) -> {
                String np = upperPercent(p, flag);
                String nq = q == null ? null : upperPercent(q, flag);
                return np == null || (q != null && nq == null) ? null : set(out, np, nq, f);
            };
            case "query-sort-by-name" -> (p, q, f, out) -> set(out, p, q == null ? null : sortQuery(q), f);
            case "fragment-strip" -> (p, q, f, out) -> set(out, p, q, null);
            case "fragment-encode" -> (p, q, f, out) -> f == null ? set(out, p, q, null)
                    : set(out, p + (q == null ? "" : "?" + q) + "%23" + f.replace("#", "%23"), null, null);
            default -> throw new IllegalArgumentException("unknown normalizer '" + kind + "'");
        };
        return m -> {
            String uri = m.uri();
            // Absolute-form targets keep their scheme and authority untouched.
            int start = 0;
            int scheme = uri.indexOf("://");
            if (scheme > 0 && uri.charAt(0) != '/') {
                int slash = uri.indexOf('/', scheme + 3);
                start = slash < 0 ? uri.length() : slash;
            }
            String prefix = uri.substring(0, start);
            String rest = uri.substring(start);
            String fragment = null;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                fragment = rest.substring(hash + 1);
                rest = rest.substring(0, hash);
            }
            int qm = rest.indexOf('?');
            String path = qm < 0 ? rest : rest.substring(0, qm);
            String query = qm < 0 ? null : rest.substring(qm + 1);
            String[] out = new String[1];
            if (step.apply(path, query, fragment, out) == null) {
                return new Verdict.Respond(Answers.errorPage(400), false);
            }
            String updated = prefix + out[0];
            if (!updated.equals(uri)) {
                m.request().setUri(updated);
                m.uriChanged();
            }
            return null;
        };
    }

    private static String set(String[] out, String path, String query, String fragment) {
        out[0] = path + (query == null ? "" : "?" + query) + (fragment == null ? "" : "#" + fragment);
        return out[0];
    }

    /** Drops "." segments: "/a/./b" becomes "/a/b", "/a/." becomes "/a/". */
    static String stripDot(String path) {
        List<String> segs = new ArrayList<>(Arrays.asList(path.split("/", -1)));
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            if (s.equals(".") && i > 0) {
                if (i == segs.size() - 1) {
                    kept.add("");
                }
                continue;
            }
            kept.add(s);
        }
        return String.join("/", kept);
    }

    /** Resolves ".." against the segment before it; with "full", leading ".." segments are dropped too. */
    static String stripDotDot(String path, boolean full) {
        String[] segs = path.split("/", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            if (s.equals("..") && i > 0) {
                if (kept.size() > 1 && !kept.get(kept.size() - 1).equals("..")) {
                    kept.remove(kept.size() - 1);
                    if (last) {
                        kept.add("");
                    }
                    continue;
                }
                if (full) {
                    if (last) {
                        kept.add("");
                    }
                    continue;
                }
            }
            kept.add(s);
        }
        return String.join("/", kept);
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    static String decodeUnreserved(String s, boolean strict) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    if (strict) {
                        return null;
                    }
                    sb.append(c);
                    continue;
                }
                int h = hex(s.charAt(i + 1));
                int l = hex(s.charAt(i + 2));
                if (h < 0 || l < 0) {
                    if (strict) {
                        return null;
                    }
                    sb.append(c);
                    continue;
                }
                int v = h * 16 + l;
                if (unreserved(v)) {
                    sb.append((char) v);
                } else {
                    sb.append(s, i, i + 3);
                }
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String upperPercent(String s, boolean strict) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    if (strict) {
                        return null;
                    }
                    sb.append(c);
                    continue;
                }
                sb.append('%').append(Character.toUpperCase(s.charAt(i + 1))).append(Character.toUpperCase(s.charAt(i + 2)));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Sorts the '&'-separated parameters by name, keeping the order of equal names. */
    static String sortQuery(String q) {
        String[] parts = q.split("&", -1);
        Arrays.sort(parts, Comparator.comparing(p -> {
            int eq = p.indexOf('=');
            return eq < 0 ? p : p.substring(0, eq);
        }));
        return String.join("&", parts);
    }
}
