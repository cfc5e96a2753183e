package io.haquark.acl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample expression {@code fetch[(args)][,converter[(args)]]*} (configuration.txt §7.3),
 * compiled to a fetch followed by converters. Used by ACLs, log formats and rules.
 */
public final class SampleExpr {
    private final Fetch fetch;
    private final Converter[] converters;
    private final SampleType type;
    private final String fetchName;
    private final String shareKey;
    private final List<String> args;

    private SampleExpr(String fetchName, List<String> args, Fetch fetch, Converter[] converters, SampleType type, String shareKey) {
        this.fetchName = fetchName;
        this.args = List.copyOf(args);
        this.shareKey = shareKey;
        this.fetch = fetch;
        this.converters = converters;
        this.type = type;
    }

    public Object eval(SampleSource s) {
        Object v = fetch.fetch(s);
        if (v == null) {
            return null;   // a fetch that found nothing is not converted (HAProxy runs no converter then)
        }
        if (v instanceof List<?> l && converters.length > 0) {
            // Several occurrences (hdr()): the converters run on each one, as HAProxy runs them on
            // each sample an ACL walks; a value's last one is what a format or set-var takes.
            List<Object> out = new java.util.ArrayList<>(l.size());
            for (Object one : l) {
                Object c = convert(one, s);
                if (c != null) {
                    out.add(c);
                }
            }
            return out.isEmpty() ? null : out.size() == 1 ? out.get(0) : out;
        }
        return convert(v, s);
    }

    private Object convert(Object v, SampleSource s) {
        for (Converter c : converters) {
            v = c.convert(v, s);
            if (v == null) {
                return null;
            }
        }
        return v;
    }

    /** Evaluates to a single string (last value of a multi-valued sample), or null. */
    public String evalString(SampleSource s) {
        Object v = eval(s);
        if (v instanceof List<?> l) {
            v = l.isEmpty() ? null : l.get(l.size() - 1);
        }
        return v == null ? null : Matcher.text(v);
    }

    /** The type of the sample after the last converter: an ACL without "-m" matches as this type. */
    public SampleType type() {
        return type;
    }

    public String fetchName() {
        return fetchName;
    }

    /**
     * "fetch(args)" when two expressions with this key always evaluate alike on one request:
     * a side-effect-free request fetch without converters. Null otherwise.
     */
    /** The fetch's arguments as written. */
    public List<String> args() {
        return args;
    }

    public String shareKey() {
        return shareKey;
    }

    /** Request fetches that read the request only: evaluating them twice, or early, changes nothing. */
    private static final java.util.Set<String> PURE = java.util.Set.of("path", "url", "base", "query", "hdr", "req.hdr",
            "url_param", "urlp", "src", "dst", "method", "req.ver", "ssl_fc_sni", "req.ssl_sni");

    /** Parses "name(args),conv(args),..." where fetchName may be replaced by a derived base. */
    public static SampleExpr parse(String text, Path base, String forcedFetch) {
        return parse(text, base, forcedFetch, SamplePhase.ANY);
    }

    /** As {@link #parse(String, Path, String)}, refusing a fetch that cannot work in that phase (HAProxy's load-time check). */
    public static SampleExpr parse(String text, Path base, String forcedFetch, SamplePhase phase) {
        List<String> parts = splitTopLevel(text);
        String head = parts.get(0);
        String name = nameOf(head);
        List<String> args = argsOf(head);
        if (forcedFetch != null) {
            name = forcedFetch;
        }
        if (phase == SamplePhase.HTTP_RESPONSE && name.equals("hdr")) {
            // configuration.txt "hdr": the sample fetch reads the response's headers when used on
            // responses (an ACL keyword hdr still reads the request's, as HAProxy 2.6 does).
            name = "res.hdr";
        }
        FetchRegistry.Def def = FetchRegistry.fetch(name);
        if (def == null) {
            throw new AclException("unknown fetch method '" + nameOf(head) + "'");
        }
        String needs = FetchRegistry.unavailable(name, phase);
        if (needs != null) {
            throw new AclException("sample fetch <" + text + "> may not be reliably used here because it needs '" + needs
                    + "' which is not available here.");
        }
        if (args.isEmpty() && name.equals("str") && head.endsWith("()")) {
            // str() is the empty string for HAProxy (used to set or compare an empty value).
            args = List.of("");
        }
        if (args.size() < def.minArgs() || args.size() > def.maxArgs()) {
            if (args.size() < def.minArgs()) {
                throw new AclException("fetch method '" + name + "' : missing arguments (got " + args.size() + "/" + def.minArgs() + ")");
            }
            throw new AclException("fetch method '" + name + "' : end of arguments expected at position " + (def.maxArgs() + 1));
        }
        Fetch f = def.factory().apply(args);
        List<Converter> convs = new ArrayList<>();
        SampleType out = def.type();
        for (int i = 1; i < parts.size(); i++) {
            String c = parts.get(i);
            if (out == SampleType.BINARY && !ConverterRegistry.takesBinary(nameOf(c))) {
                convs.add(ConverterRegistry.BINARY_TO_STRING);
            }
            convs.add(ConverterRegistry.converter(nameOf(c), argsOf(c), base));
            out = ConverterRegistry.outputType(nameOf(c));
        }
        String key = null;
        if (convs.isEmpty() && PURE.contains(name)) {
            boolean header = name.equals("hdr") || name.equals("req.hdr");
            key = (header ? "hdr" : name) + args.stream().map(a -> header ? a.toLowerCase(java.util.Locale.ROOT) : a).toList();
        }
        return new SampleExpr(name, args, f, convs.toArray(new Converter[0]), out, key);
    }

    static String nameOf(String part) {
        int p = part.indexOf('(');
        return p < 0 ? part : part.substring(0, p);
    }

    static List<String> argsOf(String part) {
        int p = part.indexOf('(');
        if (p < 0) {
            return List.of();
        }
        if (!part.endsWith(")")) {
            throw new AclException("missing closing ')' after arguments to '" + part.substring(0, p) + "'");
        }
        String inner = part.substring(p + 1, part.length() - 1);
        if (inner.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        // An argument may be quoted (add_item(',',txn.var)): inside quotes a comma is text.
        char quote = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote != 0 && c != '\\') {
                cur.append(c);
            } else if (c == '\\' && i + 1 < inner.length()) {
                // A backslash protects a delimiter (or itself); before anything else it is kept,
                // so regexes such as regsub(:\d+$,,) reach the converter as written.
                char next = inner.charAt(++i);
                if (",)\\'\"".indexOf(next) < 0) {
                    cur.append('\\');
                }
                cur.append(next);
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    public static List<String> splitTopLevelPublic(String s) {
        return splitTopLevel(s);
    }

    /** Splits on commas that are not inside parentheses. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
