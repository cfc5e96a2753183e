package io.haquark.rules;

import io.haquark.acl.AclCompiler;
import io.haquark.acl.AclException;
import io.haquark.acl.Cond;
import io.haquark.model.Location;
import io.haquark.model.Rule;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Compiles http-request / http-response / redirect rules into a {@link RuleSet}: one small
 * factory per action. Actions not implemented yet are skipped with a warning naming the
 * line, so nothing is ignored silently.
 */
public final class RuleCompiler {
    private final AclCompiler acls;
    final Path base;
    private final BiConsumer<Location, String> warnings;

    /** http-errors sections by name, for "return/deny ... errorfiles <name>". */
    private final java.util.Map<String, java.util.Map<Integer, io.haquark.model.ErrorFile>> httpErrorSections;

    public RuleCompiler(AclCompiler acls, Path base, BiConsumer<Location, String> warnings) {
        this(acls, base, warnings, java.util.Map.of());
    }

    public RuleCompiler(AclCompiler acls, Path base, BiConsumer<Location, String> warnings,
                        java.util.Map<String, java.util.Map<Integer, io.haquark.model.ErrorFile>> httpErrorSections) {
        this.acls = acls;
        this.base = base;
        this.warnings = warnings;
        this.httpErrorSections = httpErrorSections;
    }

    /** While an early-hint rule compiles: whether its 103 answer leaves after it (HttpActions.earlyHint). */
    boolean earlyHintEnds;

    public RuleSet compile(List<Rule> rules) {
        List<Cond> conds = new ArrayList<>();
        List<HttpAction> actions = new ArrayList<>();
        List<io.haquark.model.Location> where = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            Rule next = i + 1 < rules.size() ? rules.get(i + 1) : null;
            // An early-hint rule ends its 103 answer unless the next rule is an unconditional early-hint.
            earlyHintEnds = next == null || !baseName(next.action()).equals("early-hint") || next.condition() != null;
            String key = r.keyword() + " " + baseName(r.action());
            HttpActions.Entry entry = HttpActions.entry(r.keyword(), baseName(r.action()));
            if (entry == null || !entry.supported()) {
                warnings.accept(r.where(), "'" + key + "' is not supported by haquark yet, ignored (see docs/compatibility.md).");
                continue;
            }
            HttpAction a;
            try {
                phase = phaseOf(r.keyword());
                currentWhere = r.where();
                a = action(r);
            } catch (AclException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected in '" + key + "' : " + e.getMessage());
            }
            Cond c;
            try {
                acls.warnIncompatible(r.condition(), phaseOf(r.keyword()), r.where().toString());
                c = acls.compile(r.condition());
            } catch (AclException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected while parsing an '" + key + "' condition : "
                        + e.getMessage() + ".");
            }
            conds.add(c);
            actions.add(a);
            where.add(r.where());
        }
        phase = io.haquark.acl.SamplePhase.ANY;
        return new RuleSet(conds.toArray(new Cond[0]), actions.toArray(new HttpAction[0]),
                where.toArray(new io.haquark.model.Location[0]));
    }

    static String baseName(String action) {
        int p = action.indexOf('(');
        return p < 0 ? action : action.substring(0, p);
    }

    /** Where the rule being compiled was written (for the warnings its arguments deserve). */
    private io.haquark.model.Location currentWhere;

    /** The phase of the rule being compiled: its formats and samples may only read what exists there. */
    private io.haquark.acl.SamplePhase phase = io.haquark.acl.SamplePhase.ANY;

    LogFormat fmt(String s) {
        return LogFormat.parse(s, base, phase);
    }

    io.haquark.acl.SampleExpr sample(String text) {
        return io.haquark.acl.SampleExpr.parse(text, base, null, phase);
    }

    private static io.haquark.acl.SamplePhase phaseOf(String ruleKeyword) {
        return switch (ruleKeyword) {
            case "http-request", "redirect" -> io.haquark.acl.SamplePhase.HTTP_REQUEST;
            case "http-response", "http-after-response" -> io.haquark.acl.SamplePhase.HTTP_RESPONSE;
            default -> io.haquark.acl.SamplePhase.ANY;
        };
    }

    private HttpAction action(Rule r) {
        HttpActions.Entry e = HttpActions.entry(r.keyword(), baseName(r.action()));
        return e.factory().build(this, r, r.args());
    }

    static String join(List<String> a, int from) {
        return String.join(" ", a.subList(Math.min(from, a.size()), a.size()));
    }

    /** deny [deny_status N] [content-type T] [string S | lf-string F] [hdr N V]*: HAProxy's 403 page by default. */
    HttpAction deny(List<String> a) {
        // configuration.txt "http-response deny": a refused response becomes a 502 unless deny_status says.
        Answer ans = answer(a, phase == io.haquark.acl.SamplePhase.HTTP_RESPONSE ? 502 : 403);
        if (ans.defaultPage() && !ErrorPages.hasDefaultPage(ans.status())) {
            // HAProxy refuses it at load: the default page it would send does not exist.
            throw new IllegalArgumentException("status code '" + ans.status() + "' not handled by default with 'default-errorfiles' argument.");
        }
        return m -> new Verdict.Respond(ans.build(m, true), true, false, ans.defaultPage());
    }

    /**
     * http-error status N [content-type T] [string S | lf-string F | file F | errorfile F | default-errorfiles]
     * [hdr N V]*: the answer the proxy gives whenever it produces an error with that status.
     */
    public java.util.Map<Integer, HttpAction> httpErrors(List<Rule> rules) {
        java.util.Map<Integer, HttpAction> out = new java.util.HashMap<>();
        phase = io.haquark.acl.SamplePhase.ANY;
        for (Rule r : rules) {
            if (!r.keyword().equals("http-error")) {
                continue;
            }
            try {
                int status = Integer.parseInt(r.args().get(0));
                HttpAction reply = HttpActions.entry("http-error", "status").factory().build(this, r, r.args());
                if (reply == null) {
                    out.remove(status);
                } else {
                    out.put(status, reply);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected in 'http-error status' : " + e.getMessage());
            }
        }
        return out;
    }

    /** return [status N] [content-type T] [string S | lf-string F | file F] [hdr N V]*: an empty 200 by default. */
    HttpAction returnAction(List<String> a) {
        Answer ans = answer(a, 200);
        return m -> new Verdict.Respond(ans.build(m, false), false, false, ans.proxyErrors());
    }

    /** The options deny and return share, parsed once. */
    record Answer(int status, String contentType, LogFormat body, String file, List<String[]> headers,
                          List<LogFormat> headerValues, byte[] raw, boolean proxyErrors) {
        FullHttpResponse build(HttpMessageView m, boolean errorPageByDefault) {
            if (raw != null) {
                // errorfile / errorfiles: the file is the whole answer, status line and headers included.
                return RawResponses.parse(io.netty.buffer.Unpooled.wrappedBuffer(raw), status, false);
            }
            String content = body != null ? body.eval(m) : file;
            FullHttpResponse r = content == null && errorPageByDefault ? Answers.errorPage(status)
                    : Answers.body(status, contentType, content == null ? "" : content);
            if (!headers.isEmpty()) {
                // HAProxy puts the "hdr" lines before its own content-length/content-type.
                io.netty.handler.codec.http.HttpHeaders own = r.headers().copy();
                r.headers().clear();
                for (int i = 0; i < headers.size(); i++) {
                    // A "hdr" whose value comes out empty is left out, as HAProxy leaves it out.
                    String value = HeaderValues.sanitize(headerValues.get(i).eval(m));
                    if (!value.isEmpty()) {
                        r.headers().add(headers.get(i)[0], value);
                    }
                }
                r.headers().add(own);
            }
            return r;
        }

        /** No body given: HAProxy's default page, which errorfile / http-error may replace. */
        boolean defaultPage() {
            return proxyErrors || body == null && file == null && raw == null;
        }
    }

    Answer answer(List<String> a, int defaultStatus) {
        int status = defaultStatus;
        String type = null;
        LogFormat body = null;
        String file = null;
        List<String[]> hdrs = new ArrayList<>();
        boolean nonEmptyPayload = false;
        boolean rawErrorfile = false;
        byte[] raw = null;
        String errorsSection = null;
        boolean proxyErrors = false;
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "deny_status", "status" -> status = Integer.parseInt(a.get(++i));
                case "content-type" -> type = a.get(++i);
                case "string" -> {
                    nonEmptyPayload = !a.get(i + 1).isEmpty();
                    body = LogFormat.parse(a.get(++i).replace("%", "%%"), base);
                }
                case "lf-string" -> {
                    nonEmptyPayload = !a.get(i + 1).isEmpty();
                    body = fmt(a.get(++i));
                }
                case "errorfile" -> {
                    // A complete raw HTTP response on disk, sent as it is (configuration.txt "http-request return").
                    rawErrorfile = true;
                    try {
                        raw = java.nio.file.Files.readAllBytes(base.resolve(a.get(++i)));
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException("cannot read file '" + a.get(i) + "'");
                    }
                }
                case "errorfiles" -> {
                    // The page of an http-errors section for this status (the default page if it has none).
                    rawErrorfile = true;
                    errorsSection = a.get(++i);
                    if (!httpErrorSections.containsKey(errorsSection)) {
                        throw new IllegalArgumentException("unknown http-errors section '" + errorsSection + "'");
                    }
                }
                case "default-errorfiles" -> proxyErrors = true;
                case "file", "lf-file" -> {
                    try {
                        file = java.nio.file.Files.readString(base.resolve(a.get(++i)), java.nio.charset.StandardCharsets.ISO_8859_1);
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException("cannot read file '" + a.get(i) + "'");
                    }
                }
                case "hdr" -> {
                    hdrs.add(new String[] {a.get(i + 1), a.get(i + 2)});
                    i += 2;
                }
                default -> { }
            }
        }
        if (type == null && (nonEmptyPayload || (file != null && !file.isEmpty() && !rawErrorfile))) {
            throw new IllegalArgumentException("a content type must be defined when non-empty payload is configured");
        }
        if (type != null && body == null && file == null && !rawErrorfile && !proxyErrors) {
            // As HAProxy: a content type for an answer without payload is dropped, with a warning.
            if (currentWhere != null) {
                warnings.accept(currentWhere, "content-type '" + type + "' ignored by the http reply because neither errorfile nor payload defined.");
            }
            type = null;
        }
        List<LogFormat> values = new ArrayList<>();
        for (String[] h : hdrs) {
            values.add(fmt(h[1]));
        }
        if (errorsSection != null) {
            io.haquark.model.ErrorFile e = httpErrorSections.get(errorsSection).get(status);
            if (e != null && e.file() != null) {
                try {
                    raw = java.nio.file.Files.readAllBytes(base.resolve(e.file()));
                } catch (java.io.IOException ex) {
                    throw new IllegalArgumentException("cannot read file '" + e.file() + "'");
                }
            }
        }
        return new Answer(status, type, body, file, hdrs, values, raw, proxyErrors);
    }

    /** redirect location|prefix|scheme <to> [code N] [drop-query] [append-slash] [set-cookie N=V] [clear-cookie N=]. */
    /**
     * @param kind location|prefix|scheme when the caller read it (legacy "redirect" lines), or
     *             null: "http-request redirect" takes its words in any order ("code 301 location X")
     */
    HttpAction redirect(String kind, List<String> a) {
        String type = kind;
        LogFormat to = kind == null ? null : fmt(a.get(0));
        int code = 302;
        boolean dropQuery = false;
        boolean appendSlash = false;
        boolean ignoreEmpty = false;
        String setCookie = null;
        for (int i = kind == null ? 0 : 1; i < a.size(); i++) {
            switch (a.get(i)) {
                case "location", "prefix", "scheme" -> {
                    if (type == null) {
                        type = a.get(i);
                        to = fmt(a.get(++i));
                    }
                }
                case "ignore-empty" -> ignoreEmpty = true;
                case "code" -> code = Integer.parseInt(a.get(++i));
                case "drop-query" -> dropQuery = true;
                case "append-slash" -> appendSlash = true;
                case "set-cookie" -> setCookie = a.get(++i) + "; path=/";
                case "clear-cookie" -> setCookie = a.get(++i) + "; path=/; Max-Age=0; Expires=Thu, 01-Jan-1970 00:00:01 GMT";
                default -> { }
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("expects 'location', 'prefix' or 'scheme' followed by a value");
        }
        if (!Set.of(301, 302, 303, 307, 308).contains(code)) {
            throw new IllegalArgumentException("unsupported HTTP code '" + code + "'");
        }
        int c = code;
        boolean dq = dropQuery;
        boolean slash = appendSlash;
        boolean skipEmpty = ignoreEmpty;
        String cookie = setCookie;
        LogFormat target0 = to;
        String how = type;
        return m -> {
            String target = target0.eval(m);
            if (skipEmpty && target.isEmpty()) {
                // ignore-empty: an empty location makes the rule do nothing (evaluation goes on).
                return null;
            }
            String location;
            switch (how) {
                case "prefix" -> {
                    String path = m.path();
                    if (slash && !path.endsWith("/")) {
                        path = path + "/";
                    }
                    String q = dq || m.query() == null ? "" : "?" + m.query();
                    location = (target.equals("/") ? "" : target) + path + q;
                }
                case "scheme" -> {
                    String host = m.header("host", -1);
                    String path = m.path();
                    if (slash && !path.endsWith("/")) {
                        path = path + "/";
                    }
                    String q = dq || m.query() == null ? "" : "?" + m.query();
                    location = target + "://" + (host == null ? "" : host) + path + q;
                }
                default -> location = target;
            }
            FullHttpResponse r = Answers.redirect(c, location);
            if (cookie != null) {
                r.headers().add("set-cookie", cookie);
            }
            return new Verdict.Respond(r, false);
        };
    }

    /** del-header <name> [-m str|beg|end|sub|reg]. */
    HttpAction delHeader(List<String> a) {
        String name = a.get(0);
        String method = a.size() > 2 && a.get(1).equals("-m") ? a.get(2) : "str";
        if (method.equals("str")) {
            return m -> {
                m.headers().remove(name);
                return null;
            };
        }
        Pattern re = method.equals("reg") ? Pattern.compile(name, Pattern.CASE_INSENSITIVE) : null;
        String lower = name.toLowerCase(Locale.ROOT);
        return m -> {
            HttpHeaders h = m.headers();
            for (String n : new ArrayList<>(h.names())) {
                String ln = n.toLowerCase(Locale.ROOT);
                boolean hit = switch (method) {
                    case "beg" -> ln.startsWith(lower);
                    case "end" -> ln.endsWith(lower);
                    case "sub" -> ln.contains(lower);
                    case "reg" -> re.matcher(n).find();
                    default -> ln.equals(lower);
                };
                if (hit) {
                    h.remove(n);
                }
            }
            return null;
        };
    }

    /** replace-header / replace-value <name> <regex> <replace-fmt>. */
    HttpAction replaceHeader(List<String> a, boolean perValue) {
        String name = a.get(0);
        Pattern re = Pattern.compile(a.get(1));
        LogFormat repl = fmt(a.size() > 2 ? a.get(2) : "");
        return m -> {
            HttpHeaders h = m.headers();
            List<String> values = h.getAll(name);
            if (values.isEmpty()) {
                return null;
            }
            String replacement = toJavaReplacement(repl.eval(m));
            List<String> out = new ArrayList<>();
            for (String v : values) {
                if (perValue) {
                    List<String> parts = new ArrayList<>();
                    for (String p : v.split(",")) {
                        parts.add(re.matcher(p.trim()).replaceFirst(fullMatch(re, p.trim()) ? replacement : "$0"));
                    }
                    out.add(String.join(", ", parts));
                } else {
                    out.add(fullMatch(re, v) ? re.matcher(v).replaceFirst(replacement) : v);
                }
            }
            h.remove(name);
            for (String v : out) {
                h.add(name, v);
            }
            return null;
        };
    }

    /** HAProxy's replace-* regexes must match the whole value. */
    private static boolean fullMatch(Pattern re, String v) {
        return re.matcher(v).matches();
    }

    private static final Pattern BACKREFERENCE = Pattern.compile("\\\\([0-9])");

    /** \1 in HAProxy replacements is $1 in Java's (the pattern is compiled once, not per request). */
    private static String toJavaReplacement(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('$') < 0) {
            return s;
        }
        return BACKREFERENCE.matcher(s.replace("$", "\\$")).replaceAll("\\$$1");
    }

    HttpAction uriPart(List<String> a, String part) {
        LogFormat v = fmt(a.isEmpty() ? "" : a.get(0));
        return m -> {
            String value = v.eval(m);
            String q = m.query();
            String uri = switch (part) {
                case "path" -> value + (q == null ? "" : "?" + q);
                case "query" -> m.path() + (value.isEmpty() ? "" : "?" + value);
                default -> value;
            };
            m.request().setUri(uri);
            m.uriChanged();
            return null;
        };
    }

    /** replace-pathq <match-regex> <replace-fmt>: the path and its query string, rewritten together. */
    HttpAction replacePathQuery(List<String> a) {
        Pattern re = Pattern.compile(a.get(0));
        LogFormat repl = fmt(a.get(1));
        return m -> {
            String pathq = m.query() == null ? m.path() : m.path() + "?" + m.query();
            java.util.regex.Matcher mt = re.matcher(pathq);
            if (!mt.find()) {
                return null;
            }
            m.request().setUri(mt.replaceFirst(toJavaReplacement(repl.eval(m))));
            m.uriChanged();
            return null;
        };
    }

    /** replace-path / replace-uri <match-regex> <replace-fmt>. */
    HttpAction replaceUri(List<String> a, boolean pathOnly) {
        Pattern re = Pattern.compile(a.get(0));
        LogFormat repl = fmt(a.get(1));
        return m -> {
            String subject = pathOnly ? m.path() : m.uri();
            java.util.regex.Matcher mt = re.matcher(subject);
            if (!mt.find()) {
                return null;
            }
            String replaced = mt.replaceFirst(toJavaReplacement(repl.eval(m)));
            String q = m.query();
            m.request().setUri(pathOnly ? replaced + (q == null ? "" : "?" + q) : replaced);
            m.uriChanged();
            return null;
        };
    }
}
