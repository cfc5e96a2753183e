package io.haquark.config;

import io.haquark.config.grammar.HAProxyConditionParser;
import io.haquark.model.KeywordError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Conditional blocks and messages of configuration.txt §2.4: {@code .if/.elif/.else/.endif}
 * with the predicates of HAProxy 2.6, and {@code .notice/.warning/.alert/.diag}.
 * Lines inside a false branch are dropped before any keyword sees them.
 */
public final class Preprocessor {

    private final Function<String, String> env;

    public Preprocessor(Function<String, String> env) {
        this.env = env;
    }

    private static final class Block {
        final ConfigLine opener;
        final boolean parentActive;
        boolean taken;
        boolean active;
        boolean sawElse;

        Block(ConfigLine opener, boolean parentActive) {
            this.opener = opener;
            this.parentActive = parentActive;
        }
    }

    private final Deque<Block> stack = new ArrayDeque<>();

    /** Whole-list form, for tests and tools that have all lines at hand. */
    public List<ConfigLine> apply(List<ConfigLine> lines, Diagnostics diag) {
        List<ConfigLine> out = new ArrayList<>(lines.size());
        for (ConfigLine line : lines) {
            if (accept(line, diag)) {
                out.add(line);
            }
        }
        finish(diag);
        return out;
    }

    /** Streams one line through the block state; true when the line is live config. */
    public boolean accept(ConfigLine line, Diagnostics diag) {
        String kw = line.keyword();
        boolean active = stack.isEmpty() || stack.peek().active;
        if (!kw.startsWith(".")) {
            return active;
        }
        {
            switch (kw) {
                case ".if" -> {
                    Block b = new Block(line, active);
                    if (active) {
                        b.active = eval(line, diag);
                        b.taken = b.active;
                    }
                    stack.push(b);
                }
                case ".elif" -> {
                    Block b = stack.peek();
                    if (b == null) {
                        diag.alert(line, "lone '.elif' with no matching '.if'.");
                        return false;
                    }
                    if (b.sawElse) {
                        diag.alert(line, "'.elif' after '.else' is not permitted.");
                        return false;
                    }
                    b.active = b.parentActive && !b.taken && eval(line, diag);
                    b.taken |= b.active;
                }
                case ".else" -> {
                    Block b = stack.peek();
                    if (b == null) {
                        diag.alert(line, "lone '.else' with no matching '.if'.");
                        return false;
                    }
                    if (b.sawElse) {
                        diag.alert(line, "'.else' after '.else' is not permitted.");
                        return false;
                    }
                    b.sawElse = true;
                    b.active = b.parentActive && !b.taken;
                    b.taken = true;
                }
                case ".endif" -> {
                    if (stack.isEmpty()) {
                        diag.alert(line, "lone '.endif' with no matching '.if'.");
                    } else {
                        stack.pop();
                    }
                }
                case ".notice", ".warning", ".alert", ".diag" -> {
                    if (!active) {
                        return false;
                    }
                    if (line.size() > 2) {
                        diag.alert(line, "Unexpected argument '" + line.arg(2) + "' for '" + kw
                                + "'. Use quotes if the message should contain spaces.");
                        return false;
                    }
                    String msg = "'" + line.arg(1) + "'.";
                    switch (kw) {
                        case ".alert" -> diag.alert(line, msg);
                        case ".warning" -> diag.warning(line, msg);
                        case ".notice" -> diag.notice(line, msg);
                        default -> { /* .diag prints only with -dD; haquark has no such mode yet */ }
                    }
                }
                default -> {
                    if (active) {
                        diag.alert(line, "unknown directive '" + kw + "'.");
                    }
                }
            }
        }
        return false;
    }

    /** End of a file: every open block is an error (HAProxy checks per file too). */
    public void finish(Diagnostics diag) {
        for (Block b : stack) {
            diag.alert(b.opener, "non-terminated '.if' block.");
        }
        stack.clear();
    }

    private boolean eval(ConfigLine line, Diagnostics diag) {
        String expr = String.join(" ", line.from(1));
        try {
            return evaluate(expr);
        } catch (KeywordError e) {
            diag.alert(line, e.getMessage());
            return false;
        }
    }

    /** Evaluates a .if expression; also used by the -cc command line flag. */
    public boolean evaluate(String expr) {
        List<Token> tokens = tokenize(expr);
        if (tokens.isEmpty()) {
            return false;
        }
        HAProxyConditionParser.PpConditionContext tree;
        try {
            tree = ConditionParser.parser(tokens).ppCondition();
        } catch (KeywordError e) {
            throw new KeywordError("unparsable conditional expression '" + expr + "' in '.if'.");
        }
        return evalOr(tree.ppOr(), expr);
    }

    private boolean evalOr(HAProxyConditionParser.PpOrContext or, String expr) {
        boolean result = false;
        for (HAProxyConditionParser.PpAndContext and : or.ppAnd()) {
            boolean all = true;
            for (HAProxyConditionParser.PpUnaryContext u : and.ppUnary()) {
                all &= evalUnary(u, expr);
            }
            result |= all;
        }
        return result;
    }

    private boolean evalUnary(HAProxyConditionParser.PpUnaryContext u, String expr) {
        if (u.NOT() != null) {
            return !evalUnary(u.ppUnary(), expr);
        }
        if (u.ppOr() != null) {
            return evalOr(u.ppOr(), expr);
        }
        return term(u.WORD().getText(), expr);
    }

    private boolean term(String t, String expr) {
        int open = t.indexOf('(');
        if (open < 0) {
            if (t.matches("-?\\d+")) {
                // Any run of digits: only zero is false (no overflow on long numbers).
                return !t.replace("-", "").matches("0+");
            }
            if (t.isEmpty()) {
                return false;
            }
            throw new KeywordError("unparsable conditional expression '" + t + "' in '.if'.");
        }
        String name = t.substring(0, open);
        List<String> args = new ArrayList<>();
        for (String a : t.substring(open + 1, t.length() - 1).split(",", -1)) {
            String w = a.trim();
            // As on a configuration line, variables expand inside double quotes ("$X", "${X}").
            args.add(w.startsWith("\"") ? expandQuoted(unquote(w)) : unquote(w));
        }
        if (args.size() == 1 && args.get(0).isEmpty() && !name.startsWith("str")) {
            args.clear();
        }
        return switch (name) {
            case "defined" -> env.apply(arg(args, 0, 1, name)) != null;
            case "feature" -> feature(arg(args, 0, 1, name));
            case "streq" -> arg(args, 0, 2, name).equals(arg(args, 1, 2, name));
            case "strneq" -> !arg(args, 0, 2, name).equals(arg(args, 1, 2, name));
            case "version_atleast" -> compareVersions(io.haquark.model.Release.HAPROXY_VERSION, arg(args, 0, 1, name)) >= 0;
            case "version_before" -> compareVersions(io.haquark.model.Release.HAPROXY_VERSION, arg(args, 0, 1, name)) < 0;
            case "openssl_version_atleast", "openssl_version_before", "ssllib_name_startswith" -> false;
            case "enabled" -> true;
            default -> throw new KeywordError("unparsable conditional expression '" + t + "' in '.if'.");
        };
    }

    private static String arg(List<String> args, int i, int needed, String pred) {
        if (args.size() < needed) {
            throw new KeywordError("missing arguments (got " + args.size() + "/" + needed + ") of predicate '"
                    + pred + "' used in conditional expression in '.if'.");
        }
        return args.get(i);
    }

    /**
     * Build features as "haproxy -vv" names them, each with whether haquark really has it:
     * what .if feature(X) and -cc answer, and the "Feature list" line of -vv.
     */
    public static final java.util.Map<String, Boolean> FEATURES = features();

    private static java.util.Map<String, Boolean> features() {
        java.util.Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        // Netty's epoll transport accepts with accept4(); TLS through netty-tcnative (BoringSSL);
        // regexes are Java's, PCRE2-compatible for what configurations use; userlists check crypt(3) hashes.
        for (String f : new String[] {"ACCEPT4", "CRYPT_H", "EPOLL", "GETADDRINFO", "LIBCRYPT", "OPENSSL",
                "PCRE2", "PCRE2_JIT", "POLL", "PROMEX", "RT", "THREAD"}) {
            m.put(f, true);
        }
        // Not (yet) in haquark: compression, Lua, transparent proxying, splicing, QUIC, OpenTracing ...
        for (String f : new String[] {"51DEGREES", "DEVICEATLAS", "LINUX_SPLICE", "LINUX_TPROXY", "LUA", "NS",
                "OT", "PCRE", "PCRE_JIT", "QUIC", "SLZ", "SYSTEMD", "TFO", "TPROXY", "WURFL", "ZLIB"}) {
            m.put(f, false);
        }
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
    }

    private static boolean feature(String name) {
        return FEATURES.getOrDefault(name, false);
    }

    private String expandQuoted(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1) != null ? m.group(1) : m.group(2));
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Compares dotted versions numerically ("2.6.12" vs "2.4"); a suffix like "-dev" sorts before. */
    static int compareVersions(String a, String b) {
        String[] pa = a.split("[.-]");
        String[] pb = b.split("[.-]");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            int x = i < pa.length ? leadingInt(pa[i]) : 0;
            int y = i < pb.length ? leadingInt(pb[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static int leadingInt(String s) {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i == 0 ? 0 : Integer.parseInt(s.substring(0, i));
    }

    /** Splits a .if expression into operators and terms; a term is a word or name(args...). */
    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (s.startsWith("&&", i)) {
                out.add(new CommonToken(HAProxyConditionParser.AND, "&&"));
                i += 2;
            } else if (s.startsWith("||", i)) {
                out.add(new CommonToken(HAProxyConditionParser.OR, "||"));
                i += 2;
            } else if (c == '!') {
                out.add(new CommonToken(HAProxyConditionParser.NOT, "!"));
                i++;
            } else if (c == '(') {
                out.add(new CommonToken(HAProxyConditionParser.LPAREN, "("));
                i++;
            } else if (c == ')') {
                out.add(new CommonToken(HAProxyConditionParser.RPAREN, ")"));
                i++;
            } else {
                int start = i;
                while (i < s.length() && " \t()!&|".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i < s.length() && s.charAt(i) == '(') {
                    int close = s.indexOf(')', i);
                    if (close < 0) {
                        throw new KeywordError("unparsable conditional expression '" + s + "' in '.if'.");
                    }
                    i = close + 1;
                }
                if (i == start) {
                    throw new KeywordError("unparsable conditional expression '" + s.substring(start) + "' in '.if'.");
                }
                out.add(new CommonToken(HAProxyConditionParser.WORD, s.substring(start, i)));
            }
        }
        return out;
    }
}
