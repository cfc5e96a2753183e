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
    /** The actions this compiler implements, by "keyword action" (docs/compatibility.md reads it). */
    public static final Set<String> IMPLEMENTED = Set.of(
            "http-request allow", "http-request deny", "http-request redirect", "http-request return",
            "http-request set-header", "http-request add-header", "http-request del-header",
            "http-request replace-header", "http-request replace-value", "http-request set-path",
            "http-request set-pathq", "http-request set-query", "http-request set-uri", "http-request set-method",
            "http-request replace-path", "http-request replace-uri", "http-request set-var", "http-request unset-var",
            "http-request auth", "http-request use-service", "http-request tarpit", "http-request silent-drop",
            "http-request set-log-level", "http-request set-timeout", "http-request reject",
            "http-request capture", "http-response capture", "http-request normalize-uri",
            "http-response silent-drop", "http-response set-log-level", "http-request track-sc0", "http-request track-sc1", "http-request track-sc2", "http-request sc-inc-gpc0",
            "http-response allow", "http-response deny", "http-response set-header", "http-response add-header",
            "http-response del-header", "http-response replace-header", "http-response replace-value",
            "http-response set-status", "http-response set-var", "http-response return", "http-response redirect",
            "http-after-response set-header", "http-after-response add-header", "http-after-response del-header",
            "http-after-response replace-header", "http-after-response set-status",
            "redirect location", "redirect prefix", "redirect scheme", "http-error status");

    private final AclCompiler acls;
    private final Path base;
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

    public RuleSet compile(List<Rule> rules) {
        List<Cond> conds = new ArrayList<>();
        List<HttpAction> actions = new ArrayList<>();
        for (Rule r : rules) {
            String key = r.keyword() + " " + baseName(r.action());
            if (!IMPLEMENTED.contains(key)) {
                warnings.accept(r.where(), "'" + key + "' is not supported by haquark yet, ignored (see docs/compatibility.md).");
                continue;
            }
            HttpAction a;
            try {
                a = action(r);
            } catch (AclException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected in '" + key + "' : " + e.getMessage());
            }
            Cond c;
            try {
                c = acls.compile(r.condition());
            } catch (AclException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected while parsing an '" + key + "' condition : "
                        + e.getMessage() + ".");
            }
            conds.add(c);
            actions.add(a);
        }
        return new RuleSet(conds.toArray(new Cond[0]), actions.toArray(new HttpAction[0]));
    }

    private static String baseName(String action) {
        int p = action.indexOf('(');
        return p < 0 ? action : action.substring(0, p);
    }

    private LogFormat fmt(String s) {
        return LogFormat.parse(s, base);
    }

    private HttpAction action(Rule r) {
        List<String> a = r.args();
        String name = baseName(r.action());
        if (r.keyword().equals("redirect")) {
            return redirect(r.action(), a);
        }
        return switch (name) {
            case "allow" -> m -> Verdict.ALLOW;
            case "deny" -> deny(a);
            case "tarpit" -> {
                // The answer is held for "timeout tarpit" (or timeout connect) before it is sent.
                Answer ans = answer(a, 500);
                yield m -> new Verdict.Respond(ans.build(m, true), true, true, ans.defaultPage());
            }
            case "silent-drop", "reject" -> m -> Verdict.DROP;
            case "capture" -> {
                // Kept by the config loader as "<sample> id <slot> [len <n>]": the slot is the frontend's.
                io.haquark.acl.SampleExpr e = io.haquark.acl.SampleExpr.parse(a.get(0), base, null);
                int slot = Integer.parseInt(a.get(2));
                boolean response = r.keyword().equals("http-response");
                yield m -> {
                    String v = e.evalString(m);
                    if (v != null) {
                        m.capture(response, slot, v);
                    }
                    return null;
                };
            }
            case "normalize-uri" -> NormalizeUri.action(a);
            case "set-log-level" -> {
                String level = a.get(0);
                if (!Set.of("silent", "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug").contains(level)) {
                    throw new IllegalArgumentException("unknown log level '" + level + "'");
                }
                yield m -> {
                    m.setLogLevel(level);
                    return null;
                };
            }
            case "set-timeout" -> {
                // set-timeout server|tunnel <time>|<expr> (an expression gives milliseconds).
                String which = a.get(0);
                if (!which.equals("server") && !which.equals("tunnel")) {
                    throw new IllegalArgumentException("'set-timeout' expects 'server' or 'tunnel', found '" + which + "'");
                }
                String v = a.get(1);
                if (Character.isDigit(v.charAt(0))) {
                    long ms = io.haquark.model.Values.time(v, "set-timeout");
                    yield m -> {
                        m.setTimeout(which, ms);
                        return null;
                    };
                }
                io.haquark.acl.SampleExpr e = io.haquark.acl.SampleExpr.parse(v, base, null);
                yield m -> {
                    Object o = e.eval(m);
                    if (o instanceof Number n) {
                        m.setTimeout(which, n.longValue());
                    } else if (o != null) {
                        try {
                            m.setTimeout(which, Long.parseLong(o.toString().trim()));
                        } catch (NumberFormatException ignored) {
                            // not a number: the rule does nothing, as in HAProxy
                        }
                    }
                    return null;
                };
            }
            case "use-service" -> {
                String svc = a.get(0);
                yield m -> {
                    FullHttpResponse resp = m.service(svc);
                    return new Verdict.Respond(resp != null ? resp : Answers.errorPage(503), false);
                };
            }
            case "auth" -> {
                // 401 with a Basic challenge; the realm defaults to the proxy's name (configuration.txt "http-request auth").
                String realm = a.size() > 1 && a.get(0).equals("realm") ? a.get(1) : null;
                yield m -> {
                    String rl = realm != null ? realm : (m.backendName() != null ? m.backendName() : m.frontendName());
                    FullHttpResponse resp = Answers.errorPage(401);
                    resp.headers().add("www-authenticate", "Basic realm=\"" + rl + "\"");
                    return new Verdict.Respond(resp, false);
                };
            }
            case "redirect" -> redirect(null, a);
            case "return" -> returnAction(a);
            case "set-header" -> {
                String h = a.get(0);
                LogFormat v = fmt(join(a, 1));
                yield m -> {
                    String val = v.eval(m);
                    m.headers().set(h, val);
                    return null;
                };
            }
            case "add-header" -> {
                String h = a.get(0);
                LogFormat v = fmt(join(a, 1));
                yield m -> {
                    m.headers().add(h, v.eval(m));
                    return null;
                };
            }
            case "del-header" -> delHeader(a);
            case "replace-header", "replace-value" -> replaceHeader(a, name.equals("replace-value"));
            case "set-path" -> uriPart(a, "path");
            case "set-pathq" -> uriPart(a, "pathq");
            case "set-query" -> uriPart(a, "query");
            case "set-uri" -> uriPart(a, "uri");
            case "replace-path", "replace-uri" -> replaceUri(a, name.equals("replace-path"));
            case "set-method" -> {
                LogFormat v = fmt(a.get(0));
                yield m -> {
                    m.request().setMethod(HttpMethod.valueOf(v.eval(m)));
                    return null;
                };
            }
            case "track-sc0", "track-sc1", "track-sc2" -> {
                int n = name.charAt(name.length() - 1) - '0';
                io.haquark.acl.SampleExpr key = io.haquark.acl.SampleExpr.parse(a.get(0), base, null);
                String table = a.size() > 2 && a.get(1).equals("table") ? a.get(2) : null;
                yield m -> {
                    if (m.tracked(n) != null) {
                        return null;
                    }
                    io.haquark.state.StickTable.Entry e = Tracking.entry(m, table, key);
                    if (e != null) {
                        m.track(n, e);
                        e.httpRequest();
                    }
                    return null;
                };
            }
            case "sc-inc-gpc0" -> {
                int n = Integer.parseInt(r.action().substring(r.action().indexOf('(') + 1, r.action().length() - 1).trim());
                yield m -> {
                    io.haquark.state.StickTable.Entry e = m.tracked(n);
                    if (e != null) {
                        e.incGpc0();
                    }
                    return null;
                };
            }
            case "set-status" -> {
                int code = Integer.parseInt(a.get(0));
                String reason = a.size() > 2 && a.get(1).equals("reason") ? a.get(2) : Answers.reason(code);
                yield m -> {
                    m.response().setStatus(new HttpResponseStatus(code, reason));
                    return null;
                };
            }
            case "set-var" -> {
                String var = r.action().substring(r.action().indexOf('(') + 1, r.action().length() - 1).split(",")[0];
                io.haquark.acl.SampleExpr e = io.haquark.acl.SampleExpr.parse(join(a, 0), base, null);
                yield m -> {
                    Object v = e.eval(m);
                    if (v != null) {
                        m.setVariable(var, v instanceof List<?> l && !l.isEmpty() ? l.get(l.size() - 1) : v);
                    }
                    return null;
                };
            }
            case "unset-var" -> {
                String var = r.action().substring(r.action().indexOf('(') + 1, r.action().length() - 1);
                yield m -> {
                    m.setVariable(var, null);
                    return null;
                };
            }
            default -> throw new IllegalArgumentException("unsupported action");
        };
    }

    private static String join(List<String> a, int from) {
        return String.join(" ", a.subList(Math.min(from, a.size()), a.size()));
    }

    /** deny [deny_status N] [content-type T] [string S | lf-string F] [hdr N V]*: HAProxy's 403 page by default. */
    private HttpAction deny(List<String> a) {
        Answer ans = answer(a, 403);
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
        for (Rule r : rules) {
            if (!r.keyword().equals("http-error")) {
                continue;
            }
            List<String> a = new ArrayList<>(r.args());
            a.add(0, "status");
            boolean defaults = a.contains("default-errorfiles");
            try {
                Answer ans = answer(a, 500);
                // No payload at all means an empty answer (configuration.txt "http-error"), not the default page.
                out.put(ans.status(), defaults ? null : m -> new Verdict.Respond(ans.build(m, false), false));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new AclException("parsing [" + r.where() + "] : error detected in 'http-error status' : " + e.getMessage());
            }
        }
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    /** return [status N] [content-type T] [string S | lf-string F | file F] [hdr N V]*: an empty 200 by default. */
    private HttpAction returnAction(List<String> a) {
        Answer ans = answer(a, 200);
        return m -> new Verdict.Respond(ans.build(m, false), false, false, ans.proxyErrors());
    }

    /** The options deny and return share, parsed once. */
    private record Answer(int status, String contentType, LogFormat body, String file, List<String[]> headers,
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
                    r.headers().add(headers.get(i)[0], headerValues.get(i).eval(m));
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

    private Answer answer(List<String> a, int defaultStatus) {
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
    private HttpAction redirect(String kind, List<String> a) {
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
    private HttpAction delHeader(List<String> a) {
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
    private HttpAction replaceHeader(List<String> a, boolean perValue) {
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

    private HttpAction uriPart(List<String> a, String part) {
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

    /** replace-path / replace-uri <match-regex> <replace-fmt>. */
    private HttpAction replaceUri(List<String> a, boolean pathOnly) {
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
