package io.haquark.acl;

import io.haquark.model.AclDecl;
import io.haquark.model.Condition;
import io.haquark.model.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Compiles a proxy's ACL declarations and conditions into {@link Cond} predicates, once per
 * load (configuration.txt §7.1-7.2). Several declarations with one name are OR'ed.
 */
public final class AclCompiler {
    private final Path baseDir;
    private final Map<String, Cond> named = new HashMap<>();
    /** Named ACLs declared once, in parsed form, for {@link RuleIndex}. */
    private final Map<String, Parsed> namedParsed = new HashMap<>();
    private final BiConsumer<String, String> warnings;
    private final Proxy proxy;
    private static final BiConsumer<String, String> QUIET = (where, message) -> { };

    /** @param warnings receives (file:line, message) for ACLs HAProxy would warn about, or we cannot honour */
    public AclCompiler(Proxy proxy, Path baseDir, BiConsumer<String, String> warnings) {
        this.proxy = proxy;
        this.baseDir = baseDir;
        this.warnings = warnings;
        Map<String, List<Cond>> byName = new LinkedHashMap<>();
        Map<String, Integer> declarations = new HashMap<>();
        for (AclDecl d : proxy.acls()) {
            Cond c;
            try {
                Parsed parsed = parse(d.expression(), d.name(), d.where().toString(), warnings);
                c = parsed.toCond();
                if (declarations.merge(d.name(), 1, Integer::sum) == 1) {
                    namedParsed.put(d.name(), parsed);
                } else {
                    namedParsed.remove(d.name());
                }
            } catch (AclException e) {
                throw new AclException("parsing [" + d.where() + "] : error detected while parsing ACL '" + d.name()
                        + "' : " + e.getMessage() + (e.getMessage().startsWith("unknown fetch") ? " in ACL expression '"
                        + SampleExpr.nameOf(d.expression().get(0)) + "'." : ""));
            }
            byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(c);
        }
        byName.forEach((name, list) -> named.put(name, or(list)));
    }

    private static Cond or(List<Cond> list) {
        if (list.size() == 1) {
            return list.get(0);
        }
        Cond[] arr = list.toArray(new Cond[0]);
        return s -> {
            for (Cond c : arr) {
                if (c.test(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * An ACL expression after parsing: its sample, match method and patterns. {@code key} names
     * the sample (fetch and arguments) so that rules reading the same sample can share one fetch;
     * it is null when the sample may not be shared (converters, or the ACL never matches).
     */
    public record Parsed(SampleExpr expr, String method, List<String> patterns, boolean ignoreCase, String key,
                         List<PatternReference> files) {
        Cond toCond() {
            if (expr == null) {
                return s -> false;
            }
            if (!files.isEmpty()) {
                LiveMatcher live = new LiveMatcher(method, patterns, ignoreCase, files);
                return s -> live.current().matches(expr.eval(s));
            }
            Matcher m = Matcher.compile(method, patterns, ignoreCase);
            return s -> m.matches(expr.eval(s));
        }
    }

    /**
     * The matcher of an ACL whose patterns come (partly) from files the runtime API may change:
     * rebuilt on the first evaluation after a change, then used as is.
     */
    private static final class LiveMatcher {
        private record Built(int[] versions, Matcher matcher) {
        }

        private final String method;
        private final List<String> inline;
        private final boolean ignoreCase;
        private final PatternReference[] files;
        private volatile Built built;

        LiveMatcher(String method, List<String> inline, boolean ignoreCase, List<PatternReference> files) {
            this.method = method;
            this.inline = inline;
            this.ignoreCase = ignoreCase;
            this.files = files.toArray(new PatternReference[0]);
            this.built = build();
        }

        Matcher current() {
            Built b = built;
            for (int i = 0; i < files.length; i++) {
                if (files[i].version() != b.versions[i]) {
                    b = build();
                    built = b;
                    break;
                }
            }
            return b.matcher;
        }

        private Built build() {
            int[] versions = new int[files.length];
            List<String> all = new ArrayList<>(inline);
            for (int i = 0; i < files.length; i++) {
                versions[i] = files[i].version();
                all.addAll(files[i].keys());
            }
            try {
                return new Built(versions, Matcher.compile(method, all, ignoreCase));
            } catch (AclException e) {
                // A pattern added at run time that this match method cannot read matches nothing.
                List<String> valid = new ArrayList<>();
                for (String p : all) {
                    try {
                        Matcher.compile(method, List.of(p), ignoreCase);
                        valid.add(p);
                    } catch (AclException bad) {
                        // skipped
                    }
                }
                return new Built(versions, Matcher.compile(method, valid, ignoreCase));
            }
        }
    }

    /** {@code <fetch> [flags] [operator] [values]}. */
    public Cond compileExpression(List<String> words, String aclName, String where) {
        return parse(words, aclName, where, warnings).toCond();
    }

    /** "3.1" is 3 * 65536 + 1; a range "3:3.1" converts both ends; operators stay. */
    static String dottedVersions(String pattern) {
        if (pattern.matches("eq|ge|gt|le|lt")) {
            return pattern;
        }
        int colon = pattern.indexOf(':');
        if (colon >= 0) {
            String lo = pattern.substring(0, colon);
            String hi = pattern.substring(colon + 1);
            return (lo.isEmpty() ? "" : dottedVersions(lo)) + ":" + (hi.isEmpty() ? "" : dottedVersions(hi));
        }
        int dot = pattern.indexOf('.');
        try {
            long major = Long.parseLong(dot < 0 ? pattern : pattern.substring(0, dot));
            long minor = dot < 0 ? 0 : Long.parseLong(pattern.substring(dot + 1));
            return Long.toString((major << 16) + minor);
        } catch (NumberFormatException e) {
            throw new AclException("'" + pattern + "' is not a dotted version (MAJOR.MINOR).");
        }
    }

    private Parsed parse(List<String> words, String aclName, String where, BiConsumer<String, String> warn) {
        if (words.isEmpty()) {
            throw new AclException("missing ACL expression");
        }
        String head = words.get(0);
        String fetchName = keywordOf(words);
        String method = null;
        String forced = null;
        FetchRegistry.Derived derived = FetchRegistry.derived(fetchName);
        if (derived != null && FetchRegistry.fetch(fetchName) == null) {
            forced = derived.base();
            method = derived.match();
        }
        if (FetchRegistry.isStickTableFetch(fetchName)) {
            warn.accept(where, "fetch '" + fetchName + "' needs stick tables, which haquark does not support yet: ACL '"
                    + aclName + "' never matches.");
        }
        String notYet = FetchRegistry.notYet(forced != null ? forced : fetchName);
        if (notYet != null) {
            warn.accept(where, "fetch '" + fetchName + "' is not supported by haquark yet (" + notYet + "): ACL '"
                    + aclName + "' gets no sample.");
        }
        SampleExpr expr = SampleExpr.parse(head, baseDir, forced);
        boolean ignoreCase = false;
        List<String> patterns = new ArrayList<>();
        List<PatternReference> files = new ArrayList<>();
        boolean explicitEnd = false;
        int i = 1;
        while (i < words.size()) {
            String w = words.get(i);
            if (!w.startsWith("-") || w.length() < 2 || Character.isDigit(w.charAt(1))) {
                break;
            }
            switch (w) {
                case "-i" -> ignoreCase = true;
                case "-n" -> { }
                case "-m" -> {
                    if (i + 1 >= words.size()) {
                        throw new AclException("missing matching method after '-m'.");
                    }
                    method = words.get(++i);
                    if (!Matcher.METHODS.contains(method)) {
                        throw new AclException("unknown matching method '" + method + "' when parsing ACL expression.");
                    }
                }
                case "-f" -> {
                    if (i + 1 >= words.size()) {
                        throw new AclException("missing pattern file name after '-f'.");
                    }
                    String file = words.get(++i);
                    files.add(PatternReferences.load(file, baseDir.resolve(file), "acl"));
                }
                case "-M" -> { }
                case "-u" -> i++;
                case "--" -> explicitEnd = true;
                default -> throw new AclException("'" + w + "' is not a valid pattern flag.");
            }
            i++;
            if (explicitEnd) {
                break;
            }
        }
        patterns.addAll(words.subList(i, words.size()));
        if (method == null && (fetchName.equals("req.ssl_ver") || fetchName.equals("req_ssl_ver"))) {
            // configuration.txt req.ssl_ver: "a decimal notation in the form MAJOR.MINOR" (3:3.1).
            patterns.replaceAll(AclCompiler::dottedVersions);
        }
        if (method == null) {
            method = switch (expr.type()) {
                case INTEGER -> "int";
                case IP -> "ip";
                case BOOLEAN -> "bool";
                default -> "str";
            };
        }
        if (patterns.isEmpty() && files.isEmpty() && !method.equals("found") && !method.equals("bool") && !explicitEnd) {
            warn.accept(where, "parsing ACL '" + aclName + "' : no pattern to match against were provided, so this ACL will never match. If this is what you intended, please add '--' to get rid of this warning. If you intended to match only for existence, please use '-m found'.");
            return new Parsed(null, method, List.of(), false, null, List.of());
        }
        List<String> all = new ArrayList<>(patterns);
        files.forEach(f -> all.addAll(f.keys()));
        Matcher.compile(method, all, ignoreCase); // validates the patterns now, with the ACL's location
        // Patterns from files can change at run time: such an ACL is never folded into a RuleIndex group.
        return new Parsed(expr, method, List.copyOf(patterns), ignoreCase, files.isEmpty() ? expr.shareKey() : null,
                List.copyOf(files));
    }

    /**
     * The condition as one positive ACL ("if acl" or "if { fetch ... }"), or null when it is
     * anything else (negated, unless, several terms): the form {@link RuleIndex} can index.
     */
    public Parsed single(Condition c) {
        // compile() has already warned about this condition once
        if (c == null || c.unless() || c.alternatives().size() != 1 || c.alternatives().get(0).size() != 1) {
            return null;
        }
        Condition.Term t = c.alternatives().get(0).get(0);
        if (t.negated()) {
            return null;
        }
        try {
            if (t.isAnonymous()) {
                return parse(t.anonymous(), "anonymous", "", QUIET);
            }
            if (named.containsKey(t.aclName())) {
                return namedParsed.get(t.aclName());
            }
            List<String> predefined = PredefinedAcls.ALL.get(t.aclName());
            return predefined == null ? null : parse(predefined, t.aclName(), "", QUIET);
        } catch (AclException e) {
            return null;
        }
    }

    /** A condition from the model; null means "no condition" and always holds. */
    /**
     * HAProxy's load-time warning for a condition that can never hold where it is used: an ACL
     * whose fetch reads a message that does not exist in that phase (a response status in an
     * http-request rule, the request path in an http-response rule).
     * @param where the rule's location, which the warning names
     */
    public void warnIncompatible(Condition c, SamplePhase phase, String where) {
        if (c == null || phase == SamplePhase.ANY) {
            return;
        }
        String context = phase == SamplePhase.HTTP_REQUEST
                ? (proxy.type().hasFrontend() ? "frontend" : "backend") + " http-request header rule"
                : (proxy.type().hasBackend() ? "backend" : "frontend") + " http-response header rule";
        for (List<Condition.Term> terms : c.alternatives()) {
            for (Condition.Term t : terms) {
                if (t.isAnonymous()) {
                    // HAProxy names the keyword as written (path_beg), and checks the fetch it derives from (path).
                    String written = keywordOf(t.anonymous());
                    if (written != null && FetchRegistry.unavailable(baseFetch(written), phase) != null) {
                        warnings.accept(where, "anonymous acl will never match because it uses keyword '" + written
                                + "' which is incompatible with '" + context + "'");
                    }
                    continue;
                }
                boolean declared = false;
                boolean allIncompatible = true;
                for (io.haquark.model.AclDecl d : proxy.acls()) {
                    if (d.name().equals(t.aclName())) {
                        declared = true;
                        String written = keywordOf(d.expression());
                        allIncompatible &= written != null && FetchRegistry.unavailable(baseFetch(written), phase) != null;
                    }
                }
                if (declared && allIncompatible) {
                    warnings.accept(where, "acl '" + t.aclName() + "' will never match because it only involves keywords that are incompatible with '"
                            + context + "'");
                }
            }
        }
    }

    /** The keyword an ACL expression starts with, as written (path_beg(x) gives path_beg), or null. */
    private static String keywordOf(List<String> words) {
        return words.isEmpty() ? null : SampleExpr.nameOf(SampleExpr.splitTopLevel(words.get(0)).get(0));
    }

    /** The fetch a keyword reads: the base of a derived ACL name (path_beg reads path), else the name. */
    private static String baseFetch(String name) {
        FetchRegistry.Derived derived = FetchRegistry.derived(name);
        return derived != null && FetchRegistry.fetch(name) == null ? derived.base() : name;
    }

    public Cond compile(Condition c) {
        if (c == null) {
            return Cond.ALWAYS;
        }
        List<Cond> alternatives = new ArrayList<>();
        for (List<Condition.Term> terms : c.alternatives()) {
            Cond[] parts = new Cond[terms.size()];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = term(terms.get(k));
            }
            if (parts.length == 1) {
                // "if acl": the ACL itself, without a loop around it (one call less per rule).
                alternatives.add(parts[0]);
                continue;
            }
            if (parts.length == 2) {
                Cond a = parts[0];
                Cond b = parts[1];
                alternatives.add(s -> a.test(s) && b.test(s));
                continue;
            }
            alternatives.add(s -> {
                for (Cond p : parts) {
                    if (!p.test(s)) {
                        return false;
                    }
                }
                return true;
            });
        }
        Cond any = alternatives.isEmpty() ? s -> false : or(alternatives);
        // An empty condition ("if" alone) is false for "if", true for "unless", as in HAProxy.
        return c.unless() ? s -> !any.test(s) : any;
    }

    private Cond term(Condition.Term t) {
        Cond base;
        if (t.isAnonymous()) {
            base = compileExpression(t.anonymous(), "anonymous", "");
        } else {
            base = named.get(t.aclName());
            if (base == null) {
                List<String> predefined = PredefinedAcls.ALL.get(t.aclName());
                if (predefined == null) {
                    throw new AclException("no such ACL : '" + t.aclName() + "'");
                }
                base = compileExpression(predefined, t.aclName(), "");
            }
        }
        if (!t.negated()) {
            return base;
        }
        Cond b = base;
        return s -> !b.test(s);
    }
}
