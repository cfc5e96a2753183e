package io.haquark.rules;

import io.haquark.acl.SampleExpr;
import io.haquark.model.Rule;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of HTTP rule actions (configuration.txt §4.2 "http-request", "http-response",
 * "http-after-response", "redirect", "http-error"): one entry per "keyword action" owns the
 * name, where it is valid, and the factory that builds its executor, or the reason haquark
 * does not run it yet. The config loader asks it what is valid, the compiler what to build,
 * docs/compatibility.md what is done.
 */
public final class HttpActions {

    /** Builds the executor of one rule line; throws IllegalArgumentException with HAProxy's reason when the arguments are wrong. */
    @FunctionalInterface
    public interface Factory {
        HttpAction build(RuleCompiler c, Rule r, List<String> args);
    }

    /** An action of a rule keyword: its factory, or null and a note when it is not supported yet. */
    public record Entry(String ruleKeyword, String action, Factory factory, String note, boolean partial) {
        public boolean supported() {
            return factory != null;
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    private static final String LATER = "not yet: warned about and skipped";

    private static void on(String action, Factory f, String... ruleKeywords) {
        for (String kw : ruleKeywords) {
            ENTRIES.put(kw + " " + action, new Entry(kw, action, f, null, false));
        }
    }

    /** HAProxy 2.6 actions haquark accepts, warns about and skips. */
    /** A rewrite that did not fit: HAProxy's 500 in strict mode, else the rule is skipped. */
    private static Verdict rewriteFailed(HttpMessageView m) {
        return m.strictMode() ? new Verdict.Respond(Answers.errorPage(500), false, false, true) : null;
    }

    private static void notYet(String ruleKeyword, String... actions) {
        for (String a : actions) {
            ENTRIES.putIfAbsent(ruleKeyword + " " + a, new Entry(ruleKeyword, a, null, LATER, false));
        }
    }

    /** An action that runs, with what a user should know about it (partial: it has limits). */
    private static void noted(String action, Factory f, String note, boolean partial, String... ruleKeywords) {
        for (String kw : ruleKeywords) {
            ENTRIES.put(kw + " " + action, new Entry(kw, action, f, note, partial));
        }
    }

    private static final String REQ = "http-request";
    private static final String RES = "http-response";
    private static final String AFTER = "http-after-response";

    static {
        on("allow", (c, r, a) -> m -> Verdict.ALLOW, REQ, RES, AFTER);
        on("deny", (c, r, a) -> c.deny(a), REQ, RES);
        // The answer is held for "timeout tarpit" (or timeout connect) before it is sent.
        on("tarpit", (c, r, a) -> {
            RuleCompiler.Answer ans = c.answer(a, 500);
            return m -> new Verdict.Respond(ans.build(m, true), true, true, ans.defaultPage());
        }, REQ);
        on("silent-drop", (c, r, a) -> m -> Verdict.SILENT_DROP, REQ, RES);
        on("reject", (c, r, a) -> m -> Verdict.DROP, REQ);
        on("capture", HttpActions::capture, REQ, RES, AFTER);
        // add-acl(file) <key fmt>, del-acl(file) <key fmt>, set-map(file) <key fmt> <value fmt>,
        // del-map(file) <key fmt>: change the patterns every ACL and map reading that file sees.
        on("add-acl", (c, r, a) -> patternAction(c, r, a, "add-acl"), REQ, RES, AFTER);
        on("del-acl", (c, r, a) -> patternAction(c, r, a, "del-acl"), REQ, RES, AFTER);
        on("set-map", (c, r, a) -> patternAction(c, r, a, "set-map"), REQ, RES, AFTER);
        on("del-map", (c, r, a) -> patternAction(c, r, a, "del-map"), REQ, RES, AFTER);
        on("normalize-uri", (c, r, a) -> NormalizeUri.action(a), REQ);
        on("set-log-level", HttpActions::setLogLevel, REQ, RES, AFTER);
        on("disable-l7-retry", (c, r, a) -> m -> {
            m.disableL7Retry();
            return null;
        }, REQ);
        on("set-timeout", HttpActions::setTimeout, REQ);
        on("use-service", (c, r, a) -> {
            String svc = a.get(0);
            return m -> {
                FullHttpResponse resp = m.service(svc);
                return new Verdict.Respond(resp != null ? resp : Answers.errorPage(503), false);
            };
        }, REQ);
        on("auth", HttpActions::auth, REQ);
        on("redirect", (c, r, a) -> c.redirect(null, a), REQ, RES);
        on("return", (c, r, a) -> c.returnAction(a), REQ, RES);
        on("set-header", (c, r, a) -> {
            String h = a.get(0);
            LogFormat v = c.fmt(RuleCompiler.join(a, 1));
            return m -> {
                String value = HeaderValues.sanitize(v.eval(m));
                int freed = 0;
                for (String old : m.headers().getAll(h)) {
                    freed += 8 + h.length() + old.length();
                }
                if (!m.rewriteFits(8 + h.length() + value.length() - freed)) {
                    return rewriteFailed(m);
                }
                m.headers().set(h, value);
                return null;
            };
        }, REQ, RES, AFTER);
        on("add-header", (c, r, a) -> {
            String h = a.get(0);
            LogFormat v = c.fmt(RuleCompiler.join(a, 1));
            return m -> {
                String value = HeaderValues.sanitize(v.eval(m));
                if (!m.rewriteFits(8 + h.length() + value.length())) {
                    return rewriteFailed(m);
                }
                m.headers().add(h, value);
                return null;
            };
        }, REQ, RES, AFTER);
        // strict-mode on|off (configuration.txt "http-request strict-mode"): whether a failed
        // rewrite of this message ends the transaction with a 500 or is ignored.
        on("strict-mode", (c, r, a) -> {
            if (a.size() != 1 || !(a.get(0).equals("on") || a.get(0).equals("off"))) {
                throw new io.haquark.model.KeywordError("'strict-mode' expects 'on' or 'off' as argument.");
            }
            boolean on = a.get(0).equals("on");
            return m -> {
                m.setStrictMode(on);
                return null;
            };
        }, REQ, RES, AFTER);
        on("del-header", (c, r, a) -> c.delHeader(a), REQ, RES, AFTER);
        on("replace-header", (c, r, a) -> c.replaceHeader(a, false), REQ, RES, AFTER);
        on("replace-value", (c, r, a) -> c.replaceHeader(a, true), REQ, RES, AFTER);
        on("set-path", (c, r, a) -> c.uriPart(a, "path"), REQ);
        on("set-pathq", (c, r, a) -> c.uriPart(a, "pathq"), REQ);
        on("set-query", (c, r, a) -> c.uriPart(a, "query"), REQ);
        on("set-uri", (c, r, a) -> c.uriPart(a, "uri"), REQ);
        on("replace-path", (c, r, a) -> c.replaceUri(a, true), REQ);
        on("replace-pathq", (c, r, a) -> c.replacePathQuery(a), REQ);
        on("replace-uri", (c, r, a) -> c.replaceUri(a, false), REQ);
        on("set-method", (c, r, a) -> {
            LogFormat v = c.fmt(a.get(0));
            return m -> {
                m.request().setMethod(HttpMethod.valueOf(v.eval(m)));
                return null;
            };
        }, REQ);
        for (int n = 0; n < 3; n++) {
            int sc = n;
            // On a response too: the entry counts the transaction's request, connection and bytes as
            // if the request had tracked it (read off HAProxy 2.6).
            on("track-sc" + n, (c, r, a) -> trackSc(c, sc, a), REQ, RES);
        }
        on("sc-inc-gpc0", (c, r, a) -> incGpc(r, "gpc0"), REQ, RES);
        on("sc-inc-gpc1", (c, r, a) -> incGpc(r, "gpc1"), REQ, RES);
        on("sc-inc-gpc", (c, r, a) -> incGpc(r, "gpc"), REQ, RES);
        on("sc-set-gpt0", (c, r, a) -> setGpt(c, r, a, "gpt0"), REQ, RES);
        on("sc-set-gpt", (c, r, a) -> setGpt(c, r, a, "gpt"), REQ, RES);
        on("wait-for-body", HttpActions::waitForBody, REQ, RES);
        on("set-status", HttpActions::setStatus, RES, AFTER);
        for (String which : new String[] {"src", "dst", "src-port", "dst-port"}) {
            on("set-" + which, (c, r, a) -> {
                io.haquark.acl.SampleExpr e = c.sample(RuleCompiler.join(a, 0));
                return m -> {
                    AddressAction.apply(m, io.haquark.acl.SampleSource.AddressLevel.STREAM, which, e.eval(m));
                    return null;
                };
            }, REQ);
        }
        on("set-var", HttpActions::setVar, REQ, RES, AFTER);
        on("set-var-fmt", HttpActions::setVar, REQ, RES, AFTER);
        on("unset-var", (c, r, a) -> {
            String var = VariableAction.target(r, "unset-var").name();
            return m -> {
                m.unsetVariable(var);
                return null;
            };
        }, REQ, RES, AFTER);
        on("location", (c, r, a) -> c.redirect("location", a), "redirect");
        on("prefix", (c, r, a) -> c.redirect("prefix", a), "redirect");
        on("scheme", (c, r, a) -> c.redirect("scheme", a), "redirect");
        on("status", HttpActions::httpError, "http-error");

        // set-tos / set-mark: the client connection's packets (configuration.txt "http-request set-tos").
        on("set-tos", (c, r, a) -> {
            int tos = TcpRules.socketValue(r, "set-tos");
            return m -> {
                SocketActions.setTos(m.frontChannel(), tos);
                return null;
            };
        }, REQ, RES);
        on("set-mark", (c, r, a) -> {
            int mark = TcpRules.socketValue(r, "set-mark");
            return m -> {
                SocketActions.setMark(m.frontChannel(), mark);
                return null;
            };
        }, REQ, RES);
        noted("set-nice", (c, r, a) -> {
            TcpRules.niceValue(r);
            return m -> null;
        }, "accepted; it orders HAProxy's tasks, and the JVM's event loops have no task priorities", true, REQ, RES);
        on("set-priority-class", (c, r, a) -> priority(c, a, false), REQ);
        on("set-priority-offset", (c, r, a) -> priority(c, a, true), REQ);
        // Requests are read once the TLS handshake is over (haquark takes no early data): nothing to wait for.
        noted("wait-for-handshake", (c, r, a) -> m -> null,
                "requests are read after the handshake (no TLS early data is taken), so there is never anything to wait for", false, REQ);
        on("early-hint", HttpActions::earlyHint, REQ);
        notYet(REQ, "cache-use", "do-resolve", "send-spoe-group");
        notYet(RES, "cache-store", "send-spoe-group");
        // OpenTracing's action (its filter is not built): accepted, warned about, skipped.
        notYet(REQ, "ot-group");
        notYet(RES, "ot-group");
        notYet(AFTER, "ot-group");
    }

    private HttpActions() {
    }

    /** The entry of "keyword action" (action without its "(...)" argument), or null when HAProxy 2.6 has no such action. */
    public static Entry entry(String ruleKeyword, String action) {
        return ENTRIES.get(ruleKeyword + " " + action);
    }

    /** Every entry, supported or not, in registration order (docs/compatibility.md). */
    public static Collection<Entry> all() {
        return ENTRIES.values();
    }

    /** The "x" of "set-var(x)" / "sc-inc-gpc0(0)". */
    private static String argumentOf(String action) {
        return action.substring(action.indexOf('(') + 1, action.length() - 1);
    }

    /** Kept by the config loader as "<sample> id <slot> [len <n>]": the slot is the frontend's. */
    private static HttpAction capture(RuleCompiler c, Rule r, List<String> a) {
        SampleExpr e = c.sample(a.get(0));
        int slot = Integer.parseInt(a.get(2));
        boolean response = !r.keyword().equals(REQ);
        return m -> {
            String v = e.evalString(m);
            if (v != null) {
                m.capture(response, slot, v);
            }
            return null;
        };
    }

    /** The levels set-log-level takes (http and tcp rules alike). */
    static final Set<String> LOG_LEVELS = Set.of("silent", "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    private static HttpAction setLogLevel(RuleCompiler c, Rule r, List<String> a) {
        String level = a.get(0);
        if (!LOG_LEVELS.contains(level)) {
            throw new IllegalArgumentException("unknown log level '" + level + "'");
        }
        return m -> {
            m.setLogLevel(level);
            return null;
        };
    }

    /** set-priority-class / set-priority-offset <expr>: an integer sample, clamped to HAProxy's bounds. */
    private static HttpAction priority(RuleCompiler c, List<String> a, boolean offset) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("expects a sample expression");
        }
        SampleExpr e = c.sample(a.get(0));
        return m -> {
            Long n = io.haquark.acl.ConverterRegistry.asLong(e.eval(m));
            if (n != null) {
                m.setPriority(offset, n);
            }
            return null;
        };
    }

    /**
     * early-hint <name> <fmt>: a header of the 103 Early Hints answer sent before the final one
     * (configuration.txt "http-request early-hint"); consecutive rules fill one 103, which leaves
     * after the last of them, or before the next one that has a condition (as HAProxy groups
     * them). HTTP/1.0 clients get none.
     */
    private static HttpAction earlyHint(RuleCompiler c, Rule r, List<String> a) {
        if (a.size() < 2) {
            throw new IllegalArgumentException("expects exactly 2 arguments");
        }
        String name = a.get(0);
        LogFormat value = c.fmt(a.get(1));
        boolean ends = c.earlyHintEnds;
        return m -> {
            m.earlyHint(name, value.eval(m));
            if (ends) {
                m.sendEarlyHints();
            }
            return null;
        };
    }

    /** set-timeout server|tunnel <time>|<expr> (an expression gives milliseconds). */
    private static HttpAction setTimeout(RuleCompiler c, Rule r, List<String> a) {
        String which = a.get(0);
        if (!which.equals("server") && !which.equals("tunnel")) {
            throw new IllegalArgumentException("'set-timeout' expects 'server' or 'tunnel', found '" + which + "'");
        }
        String v = a.get(1);
        if (Character.isDigit(v.charAt(0))) {
            long ms = io.haquark.model.Values.time(v, "set-timeout");
            return m -> {
                m.setTimeout(which, ms);
                return null;
            };
        }
        SampleExpr e = c.sample(v);
        return m -> {
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

    /** 401 with a Basic challenge; the realm defaults to the proxy's name (configuration.txt "http-request auth"). */
    private static HttpAction auth(RuleCompiler c, Rule r, List<String> a) {
        String realm = a.size() > 1 && a.get(0).equals("realm") ? a.get(1) : null;
        return m -> {
            String rl = realm != null ? realm : (m.backendName() != null ? m.backendName() : m.frontendName());
            FullHttpResponse resp = Answers.errorPage(401);
            resp.headers().add("www-authenticate", "Basic realm=\"" + rl + "\"");
            return new Verdict.Respond(resp, false);
        };
    }

    private static HttpAction trackSc(RuleCompiler c, int n, List<String> a) {
        SampleExpr key = c.sample(a.get(0));
        String table = a.size() > 2 && a.get(1).equals("table") ? a.get(2) : null;
        return m -> {
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

    /**
     * sc-set-gpt0(<sc-id>) / sc-set-gpt(<idx>,<sc-id>) <int>|<expr>: the tracked entry's tag takes
     * the value (configuration.txt), when its table stores it.
     */
    private static HttpAction setGpt(RuleCompiler c, Rule r, List<String> a, String type) {
        int[] at = indexAndCounter(r, type.equals("gpt"));
        if (a.isEmpty()) {
            throw new IllegalArgumentException("'" + r.keyword() + " sc-set-" + type + "' expects an integer or a sample expression.");
        }
        String arg = RuleCompiler.join(a, 0);
        Long constant = arg.matches("-?[0-9]+") ? Long.parseLong(arg) : null;
        io.haquark.acl.SampleExpr e = constant != null ? null : c.sample(arg);
        return m -> {
            io.haquark.state.StickTable.Entry entry = m.tracked(at[1]);
            Object v = constant != null ? constant : e.eval(m);
            Long value = v instanceof Long l ? l : v instanceof Boolean b ? (b ? 1L : 0L) : null;
            if (entry != null && value != null) {
                entry.setGpt(type, at[0], value);
            }
            return null;
        };
    }

    /** {index, stick counter} of "(<sc-id>)" or, for the array forms, "(<idx>,<sc-id>)". */
    private static int[] indexAndCounter(Rule r, boolean indexed) {
        String[] parts = argumentOf(r.action()).split(",");
        if (parts.length != (indexed ? 2 : 1)) {
            throw new IllegalArgumentException("'" + r.keyword() + " " + r.action() + "' expects "
                    + (indexed ? "an index and " : "") + "a stick counter between parentheses.");
        }
        return indexed ? new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())}
                : new int[] {0, Integer.parseInt(parts[0].trim())};
    }

    private static HttpAction patternAction(RuleCompiler c, Rule r, List<String> a, String kind) {
        String file = argumentOf(r.action()).trim();
        if (file.isEmpty() || a.isEmpty() || kind.equals("set-map") && a.size() < 2) {
            throw new IllegalArgumentException("'" + kind + "' expects a file name between parentheses and "
                    + (kind.equals("set-map") ? "a key and a value." : "a key."));
        }
        io.haquark.acl.PatternReference ref = io.haquark.acl.PatternReferences.forAction(file, c.base, r.keyword() + " " + kind);
        LogFormat key = c.fmt(a.get(0));
        LogFormat value = kind.equals("set-map") ? c.fmt(a.get(1)) : null;
        return m -> {
            String k = key.eval(m);
            switch (kind) {
                case "add-acl" -> {
                    if (!ref.keys().contains(k)) {
                        ref.add(k, null);
                    }
                }
                case "set-map" -> {
                    if (!ref.set(k, value.eval(m))) {
                        ref.add(k, value.eval(m));
                    }
                }
                default -> ref.delete(k);
            }
            return null;
        };
    }

    /** sc-inc-gpc0(<sc-id>), sc-inc-gpc1(<sc-id>), sc-inc-gpc(<idx>,<sc-id>). */
    private static HttpAction incGpc(Rule r, String type) {
        int[] at = type.equals("gpc") ? indexAndCounter(r, true) : new int[] {type.equals("gpc1") ? 1 : 0, indexAndCounter(r, false)[1]};
        return m -> {
            io.haquark.state.StickTable.Entry e = m.tracked(at[1]);
            if (e != null) {
                e.incrementGpc(type, at[0]);
            }
            return null;
        };
    }

    /**
     * wait-for-body time T [at-least N]: the rules stop until the whole body (or N bytes of it)
     * is received, for at most T; 408 when it does not come (configuration.txt "http-request
     * wait-for-body"). When the body is already there the rule lets the request through.
     */
    private static HttpAction waitForBody(RuleCompiler c, Rule r, List<String> a) {
        long time = -1;
        long atLeast = 0;
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "time" -> time = io.haquark.model.Values.time(a.get(++i), "wait-for-body");
                case "at-least" -> atLeast = io.haquark.model.Values.size(a.get(++i), "wait-for-body at-least");
                default -> throw new IllegalArgumentException("unexpected argument '" + a.get(i) + "'");
            }
        }
        if (time < 0) {
            throw new IllegalArgumentException("'wait-for-body' expects 'time'");
        }
        Verdict.BodyWait until = new Verdict.BodyWait(time, atLeast);
        Verdict.Yield wait = new Verdict.Yield(until, -1);
        return m -> until.satisfied(m.bodyBytes(), m.bodyComplete(), Long.MAX_VALUE) ? null : wait;
    }

    private static HttpAction setStatus(RuleCompiler c, Rule r, List<String> a) {
        int code = Integer.parseInt(a.get(0));
        String reason = a.size() > 2 && a.get(1).equals("reason") ? a.get(2) : Answers.reason(code);
        return m -> {
            m.response().setStatus(new HttpResponseStatus(code, reason));
            return null;
        };
    }

    /** set-var(name[,cond...]) expr / set-var-fmt(name[,cond...]) fmt (configuration.txt "http-request set-var"). */
    private static HttpAction setVar(RuleCompiler c, Rule r, List<String> a) {
        boolean format = r.action().startsWith("set-var-fmt");
        VariableAction.Target t = VariableAction.target(r, format ? "set-var-fmt" : "set-var");
        if (a.isEmpty()) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + r.action()
                    + "' expects " + (format ? "a log-format string." : "a sample expression."));
        }
        String name = t.name();
        int conditions = t.conditions();
        if (format) {
            LogFormat f = c.fmt(RuleCompiler.join(a, 0));
            return m -> {
                m.setVariable(name, f.eval(m), conditions);
                return null;
            };
        }
        SampleExpr e = c.sample(RuleCompiler.join(a, 0));
        return m -> {
            m.setVariable(name, VariableAction.single(e.eval(m)), conditions);
            return null;
        };
    }

    /**
     * http-error status N [content-type T] [string S | lf-string F | file F | errorfile F |
     * default-errorfiles] [hdr N V]*: the proxy's answer whenever it produces that status; null
     * for default-errorfiles (the default page). No payload at all is an empty answer
     * (configuration.txt "http-error"), not the default page.
     */
    private static HttpAction httpError(RuleCompiler c, Rule r, List<String> args) {
        List<String> a = new ArrayList<>(args);
        a.add(0, "status");
        boolean defaults = a.contains("default-errorfiles");
        RuleCompiler.Answer ans = c.answer(a, 500);
        return defaults ? null : m -> new Verdict.Respond(ans.build(m, false), false);
    }
}
