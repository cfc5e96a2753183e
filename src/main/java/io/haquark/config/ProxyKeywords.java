package io.haquark.config;

import io.haquark.model.AclDecl;
import io.haquark.model.Balance;
import io.haquark.model.Bind;
import io.haquark.model.Condition;
import io.haquark.model.Cookie;
import io.haquark.model.ErrorFile;
import io.haquark.model.KeywordError;
import io.haquark.model.ListenAddress;
import io.haquark.model.Location;
import io.haquark.model.Mode;
import io.haquark.model.Rule;
import io.haquark.model.SwitchingRule;
import io.haquark.model.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keywords of defaults/frontend/backend/listen sections (configuration.txt §4), registered
 * in one table with the capabilities HAProxy gives them (FE, BE, DEF), each with its own
 * small parse function. Adding a keyword touches this table only.
 */
final class ProxyKeywords {
    static final int FE = 1;
    static final int BE = 2;
    static final int DEF = 4;
    static final int ALL = FE | BE | DEF;

    interface Parser {
        void parse(LoadContext ctx, ProxyBuilder p, ConfigLine line);
    }

    record Def(String keyword, int caps, Support support, String note, Parser parser) {
    }

    static final Map<String, Def> KEYWORDS = new LinkedHashMap<>();

    private static void add(String kw, int caps, Support support, String note, Parser p) {
        KEYWORDS.put(kw, new Def(kw, caps, support, note, p));
    }

    private static void add(String kw, int caps, Parser p) {
        add(kw, caps, Support.SUPPORTED, null, p);
    }

    /** Valid HAProxy keyword we do not implement yet: parsed for presence, warned about, kept out of the model. */
    private static void notYet(String kw, int caps, String note) {
        add(kw, caps, Support.NOT_YET, note, (ctx, p, line) -> ctx.unsupported(line, line.keyword()));
    }

    /** Keywords HAProxy 2.x removed: HAProxy itself rejects them, so do we, with its hint. */
    private static void removed(String kw, String hint) {
        add(kw, ALL, Support.REJECTED, "removed in HAProxy 2.1", (ctx, p, line) -> {
            throw new KeywordError("The '" + kw + "' directive is not supported anymore since HAProxy 2.1. " + hint);
        });
    }

    static void needArgs(ConfigLine line, int count, String usage) {
        if (line.size() <= count || line.arg(count).isEmpty() && count > 0) {
            throw new KeywordError("'" + line.keyword() + "' expects " + usage + ".");
        }
    }

    static void noExtra(ConfigLine line, int expected) {
        if (line.size() > expected) {
            throw new KeywordError("'" + line.keyword() + "' cannot handle unexpected argument '"
                    + line.arg(expected) + "'.");
        }
    }

    static Location loc(ConfigLine line) {
        return new Location(line.file(), line.number());
    }

    /** Splits "action args... [if|unless cond]" into args and condition. */
    static Rule rule(ConfigLine line, int actionIndex) {
        List<String> words = line.words();
        int condAt = -1;
        for (int i = actionIndex + 1; i < words.size(); i++) {
            if (words.get(i).equals("if") || words.get(i).equals("unless")) {
                condAt = i;
                break;
            }
        }
        String action = line.arg(actionIndex);
        List<String> args = condAt < 0 ? line.from(actionIndex + 1) : words.subList(actionIndex + 1, condAt);
        Condition cond = null;
        if (condAt >= 0) {
            cond = ConditionParser.parse(words.subList(condAt, words.size()));
        }
        String keyword = String.join(" ", words.subList(0, actionIndex));
        return new Rule(keyword, action, new ArrayList<>(args), cond, loc(line));
    }

    /** capture cookie|request header|response header <name> len <n>. */
    private static void capture(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        io.haquark.model.Capture.Kind kind;
        String name;
        int lenAt;
        if (line.arg(1).equals("cookie")) {
            kind = io.haquark.model.Capture.Kind.COOKIE;
            name = line.arg(2);
            lenAt = 3;
            // HAProxy keeps one cookie capture: a later line replaces the earlier one.
            p.captures.removeIf(c -> c.kind() == io.haquark.model.Capture.Kind.COOKIE);
        } else if ((line.arg(1).equals("request") || line.arg(1).equals("response")) && line.arg(2).equals("header")) {
            kind = line.arg(1).equals("request") ? io.haquark.model.Capture.Kind.REQUEST_HEADER : io.haquark.model.Capture.Kind.RESPONSE_HEADER;
            name = line.arg(3);
            lenAt = 4;
        } else {
            throw new KeywordError("'capture' expects 'cookie', 'request header' or 'response header'.");
        }
        if (name.isEmpty() || !line.arg(lenAt).equals("len") || line.arg(lenAt + 1).isEmpty()) {
            throw new KeywordError("'capture " + (kind == io.haquark.model.Capture.Kind.COOKIE ? "cookie" : line.arg(1) + " header")
                    + "' expects <name> 'len' <len>.");
        }
        int len = Values.integer(line.arg(lenAt + 1), "capture len");
        if (len <= 0) {
            throw new KeywordError("'capture' : len must be > 0.");
        }
        p.captures.add(new io.haquark.model.Capture(kind, name, len));
    }

    /**
     * "http-request capture <sample> len <n>" takes a new request capture slot of the frontend;
     * the rule is kept as "capture <sample> id <slot> len <n>" so it is compiled like the "id" form.
     */
    private static Rule captureSlot(ProxyBuilder p, Rule r, boolean response) {
        if (!r.action().equals("capture")) {
            return r;
        }
        List<String> a = r.args();
        if (a.size() != 3 || !(a.get(1).equals("len") || a.get(1).equals("id"))) {
            throw new KeywordError("'" + r.keyword() + " capture' expects <expression> [ 'len' <length> | 'id' <idx> ].");
        }
        int n = Values.integer(a.get(2), r.keyword() + " capture " + a.get(1));
        if (a.get(1).equals("id")) {
            return r;
        }
        if (response) {
            throw new KeywordError("'" + r.keyword() + " capture' expects <expression> 'id' <idx>.");
        }
        if (!p.type.hasFrontend()) {
            throw new KeywordError("'" + r.keyword() + " capture' with 'len' is only allowed where a frontend is, use 'id'.");
        }
        int slot = 0;
        for (io.haquark.model.Capture c : p.captures) {
            if (c.kind().request()) {
                slot++;
            }
        }
        p.captures.add(new io.haquark.model.Capture(io.haquark.model.Capture.Kind.REQUEST_SLOT, null, n));
        return new Rule(r.keyword(), r.action(), List.of(a.get(0), "id", String.valueOf(slot), "len", String.valueOf(n)), r.condition(), r.where());
    }

    static {
        add("mode", ALL, (ctx, p, line) -> {
            needArgs(line, 1, "one of 'tcp', 'http' or 'log'");
            p.mode = switch (line.arg(1)) {
                case "http" -> Mode.HTTP;
                case "tcp" -> Mode.TCP;
                case "log" -> Mode.LOG;
                default -> throw new KeywordError("unknown proxy mode '" + line.arg(1) + "'.");
            };
        });
        add("disabled", ALL, (ctx, p, line) -> p.disabled = true);
        add("enabled", ALL, (ctx, p, line) -> p.disabled = false);
        add("description", FE | BE, (ctx, p, line) -> { });
        add("id", FE | BE, (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            int v = Values.integer(line.arg(1), "id");
            if (v <= 0) {
                throw new KeywordError("custom id has to be > 0.");
            }
            p.id = v;
        });
        add("bind", FE, ProxyKeywords::bind);
        add("maxconn", FE | DEF, (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            noExtra(line, 2);
            p.maxconn = ctx.lenientInt(line, line.arg(1), "maxconn");
        });
        add("fullconn", BE | DEF, Support.PARTIAL, "parsed; used for minconn scaling only", (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            p.fullconn = ctx.lenientInt(line, line.arg(1), "fullconn");
        });
        add("backlog", FE | DEF, Support.PARTIAL, "passed to the listen socket", (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            Values.integer(line.arg(1), "backlog");
        });
        add("acl", FE | BE, (ctx, p, line) -> {
            needArgs(line, 2, "an ACL name and a criterion");
            String name = line.arg(1);
            if (!name.matches("[A-Za-z0-9_.:-]+")) {
                throw new KeywordError("ACL name '" + name + "' contains invalid character.");
            }
            p.acls.add(new AclDecl(name, line.from(2), loc(line)));
        });
        add("use_backend", FE, (ctx, p, line) -> {
            needArgs(line, 1, "a backend name");
            String target = line.arg(1);
            Condition cond = null;
            if (line.size() > 2) {
                if (!line.arg(2).equals("if") && !line.arg(2).equals("unless")) {
                    throw new KeywordError("error detected while parsing switching rule : expects 'if' or 'unless' followed by a condition but found '"
                            + line.arg(2) + "'.");
                }
                try {
                    cond = ConditionParser.parse(line.from(2));
                } catch (KeywordError e) {
                    throw new KeywordError("error detected while parsing switching rule : " + e.getMessage());
                }
            }
            p.switchingRules.add(new SwitchingRule(target, target.contains("%["), cond, loc(line)));
            p.useBackendLines.add(line);
        });
        add("default_backend", FE | DEF, (ctx, p, line) -> {
            needArgs(line, 1, "a backend name");
            noExtra(line, 2);
            p.defaultBackend = line.arg(1);
            p.defaultBackendLine = line;
        });
        add("balance", BE | DEF, ProxyKeywords::balance);
        add("hash-type", BE | DEF, (ctx, p, line) -> {
            needArgs(line, 1, "'map-based' or 'consistent'");
            String t = line.arg(1);
            if (!t.equals("map-based") && !t.equals("consistent")) {
                throw new KeywordError("'hash-type' expects 'map-based' or 'consistent', got '" + t + "'.");
            }
            String fn = line.size() > 2 && !line.arg(2).isEmpty() ? line.arg(2) : "sdbm";
            if (!Set.of("sdbm", "djb2", "wt6", "crc32", "none").contains(fn)) {
                throw new KeywordError("'hash-type' : unknown hash function '" + fn + "'.");
            }
            // hash-type <method> <function> [avalanche]: the modifier travels with the function name.
            if (line.size() > 3 && !line.arg(3).isEmpty()) {
                if (!line.arg(3).equals("avalanche")) {
                    throw new KeywordError("'hash-type' : unknown hash modifier '" + line.arg(3) + "'.");
                }
                fn = fn + " avalanche";
            }
            Balance b = p.balance;
            p.balance = new Balance(b.algorithm(), b.parameter(), b.options(), t, fn);
        });
        // hash-balance-factor <factor>: bounded-load consistent hashing (0 for none, else above 100).
        add("hash-balance-factor", BE | DEF, Support.SUPPORTED, "bounded-load consistent hashing, as HAProxy's chash bounds it", (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            int v = Values.integer(line.arg(1), "hash-balance-factor");
            if (v != 0 && v <= 100) {
                throw new KeywordError("'hash-balance-factor' must be 0 or greater than 100.");
            }
            p.settings.put("hash-balance-factor", line.arg(1));
        });
        add("server", BE, (ctx, p, line) -> ctx.server(p, line, false));
        add("default-server", BE | DEF, (ctx, p, line) -> ctx.server(p, line, true));
        add("server-template", BE, Support.NOT_YET, "needs DNS service discovery", (ctx, p, line) -> ctx.unsupported(line, "server-template"));
        add("timeout", ALL, (ctx, p, line) -> TimeoutKeywords.parse(p, line));
        add("option", ALL, (ctx, p, line) -> OptionKeywords.parse(ctx, p, line, true, 1));
        add("no", ALL, (ctx, p, line) -> {
            if (line.arg(1).equals("option")) {
                OptionKeywords.parse(ctx, p, line, false, 2);
            } else if (line.arg(1).equals("log")) {
                p.logTargets.clear();
            } else {
                throw new KeywordError("'no' only supports 'option' and 'log'.");
            }
        });
        add("retries", BE | DEF, (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument (dispatch counts)");
            p.retries = ctx.lenientInt(line, line.arg(1), "retries");
        });
        // retry-on (configuration.txt §4.2): connection failures, and after the request was sent (an
        // "L7 retry", for requests that fit a buffer) empty or broken answers, a response timeout, statuses.
        add("retry-on", BE | DEF, Support.SUPPORTED, "0rtt-rejected is accepted (no 0-RTT to servers)", (ctx, p, line) -> {
            if (line.size() < 2) {
                throw new KeywordError("'retry-on' needs at least one keyword to specify when to retry");
            }
            java.util.Set<String> on = new java.util.HashSet<>();
            for (int i = 1; i < line.size(); i++) {
                String w = line.arg(i);
                if (w.equals("none")) {
                    if (line.size() != 2) {
                        throw new KeywordError("'retry-on' 'none' keyworld only usable alone");
                    }
                } else if (w.equals("all-retryable-errors")) {
                    on.addAll(List.of("conn-failure", "empty-response", "junk-response", "response-timeout", "0rtt-rejected",
                            "500", "502", "503", "504"));
                } else if (Set.of("conn-failure", "empty-response", "junk-response", "response-timeout", "0rtt-rejected",
                        "404", "408", "425", "500", "501", "502", "503", "504").contains(w)) {
                    on.add(w);
                } else {
                    throw new KeywordError("'retry-on': unknown keyword '" + w + "'");
                }
            }
            p.retryOn = on;
        });
        add("stats", ALL, StatsKeywords::parse);
        add("http-check", BE | DEF, Support.PARTIAL, "connect [port N] [addr A] (each connect opens a new connection), send (meth, uri, uri-lf, ver, hdr, body, body-lf; the first completes option httpchk's request), expect (status, rstatus, string, rstring, hdr, fhdr with -m str|beg|end|sub|reg, name-lf, value-lf, '!', comment; an implicit 2xx/3xx expect after a send without one), set-var/unset-var in the check scope, send-state, disable-on-404, comment; connect's ssl, sni, alpn, proto, send-proxy, linger options and expect's on-success/on-error/ok-status/error-status not yet (warned)", (ctx, p, line) -> {
            needArgs(line, 1, "'disable-on-404', 'send-state', 'expect', 'send', 'connect', 'comment' or 'set-var'");
            String action = line.arg(1);
            checkOrder(p, line, "http-check");
            checkRule(ctx, line, "http-check", Set.of("disable-on-404", "send-state", "expect", "send", "connect", "comment"),
                    "'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var' and 'unset-var', but got '" + action + "'.");
            p.checkSteps.add(rule(line, 1));
        });
        add("tcp-check", BE | DEF, Support.PARTIAL, "connect [port N] [addr A] (each connect opens a new connection), send, send-binary, expect (string, rstring, binary, rbinary, '!', min-recv, comment), set-var/unset-var in the check scope; connect's other options and send-lf not yet", (ctx, p, line) -> {
            needArgs(line, 1, "'comment', 'connect', 'send', 'send-binary', 'send-lf', 'expect' or 'set-var'");
            String action = line.arg(1);
            checkOrder(p, line, "tcp-check");
            checkRule(ctx, line, "tcp-check", Set.of("comment", "connect", "send", "send-binary", "send-lf", "send-binary-lf", "expect"),
                    "'tcp-check' only supports 'comment', 'connect', 'send', 'send-binary', 'expect', 'set-var' and 'unset-var', but got '" + action + "'.");
            p.checkSteps.add(rule(line, 1));
        });
        // external-check command <cmd> | path <path>: kept with the check's steps for CheckPlan.
        add("external-check", BE | DEF, Support.SUPPORTED, "command and path of 'option external-check'", (ctx, p, line) -> {
            needArgs(line, 2, "'command' or 'path' followed by a value");
            if (!line.arg(1).equals("command") && !line.arg(1).equals("path")) {
                throw new KeywordError("'external-check' only supports 'command' and 'path'. but got '" + line.arg(1) + "'.");
            }
            p.checkSteps.removeIf(r -> r.keyword().equals("external-check") && r.action().equals(line.arg(1)));
            p.checkSteps.add(new Rule("external-check", line.arg(1), List.of(line.arg(2)), null, loc(line)));
        });
        add("cookie", BE | DEF, Support.PARTIAL, "insert/rewrite/prefix, indirect, nocache, postonly, preserve, httponly, secure, domain, maxidle, maxlife, attr; dynamic accepted, not applied", (ctx, p, line) -> {
            needArgs(line, 1, "<cookie_name> as argument");
            String mode = "rewrite";
            List<String> flags = new ArrayList<>();
            String domain = null;
            long maxIdle = 0;
            long maxLife = 0;
            for (int i = 2; i < line.size(); i++) {
                String w = line.arg(i);
                switch (w) {
                    case "rewrite", "insert", "prefix" -> mode = w;
                    case "indirect", "nocache", "postonly", "preserve", "httponly", "secure", "dynamic" -> flags.add(w);
                    case "domain" -> domain = line.arg(++i);
                    case "maxidle" -> maxIdle = Values.time(line.arg(++i), "cookie maxidle");
                    case "maxlife" -> maxLife = Values.time(line.arg(++i), "cookie maxlife");
                    case "attr" -> flags.add("attr=" + line.arg(++i));
                    default -> throw new KeywordError("'cookie' supports 'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'domain', 'maxidle', 'dynamic', 'maxlife' and 'attr' options.");
                }
            }
            p.cookie = new Cookie(line.arg(1), mode, flags, domain, maxIdle, maxLife);
        });
        add("http-request", FE | BE | DEF, Support.PARTIAL, "see the action rows below; also in named defaults sections", (ctx, p, line) -> {
            anonymousDefaults(p, line);
            needArgs(line, 1, "an action");
            if (line.arg(1).equals("normalize-uri") && !ctx.experimental) {
                throw new KeywordError("'normalize-uri' action is experimental, must be allowed via a global 'expose-experimental-directives'");
            }
            if (line.arg(1).equals("set-timeout") && p.type == io.haquark.model.ProxyType.FRONTEND) {
                throw new KeywordError("error detected in " + p.describe() + " while parsing 'http-request set-timeout' rule : proxy '"
                        + p.name + "' has no backend capability.");
            }
            p.httpRequestRules.add(captureSlot(p, RuleKeywords.httpRule(p, line, "http-request"), false));
        });
        add("http-response", FE | BE | DEF, Support.PARTIAL, "see the action rows below; also in named defaults sections", (ctx, p, line) -> {
            anonymousDefaults(p, line);
            needArgs(line, 1, "an action");
            p.httpResponseRules.add(captureSlot(p, RuleKeywords.httpRule(p, line, "http-response"), true));
        });
        add("http-after-response", FE | BE | DEF, Support.PARTIAL, "see the action rows below; also in named defaults sections", (ctx, p, line) -> {
            anonymousDefaults(p, line);
            needArgs(line, 1, "an action");
            p.httpResponseRules.add(captureSlot(p, RuleKeywords.httpRule(p, line, "http-after-response"), true));
        });
        add("tcp-request", FE | BE | DEF, Support.PARTIAL, "connection/session/content accept, reject, track-sc0..2, sc-inc-gpc0, set-var, set-var-fmt, unset-var, inspect-delay; also in named defaults sections; other actions are warned about", (ctx, p, line) -> {
            needArgs(line, 2, "'connection', 'session', 'content' or 'inspect-delay'");
            String where = line.arg(1);
            if (p.isDefaults() && p.name.isEmpty()) {
                throw new KeywordError("tcp-request " + where + " is not allowed in anonymous 'defaults' sections");
            }
            if (where.equals("inspect-delay")) {
                Values.time(line.arg(2), "tcp-request inspect-delay");
                p.tcpRequestRules.add(new Rule("tcp-request", "inspect-delay", List.of(line.arg(2)), null, loc(line)));
                return;
            }
            if (!Set.of("connection", "session", "content").contains(where)) {
                throw new KeywordError("'tcp-request' expects 'inspect-delay', 'connection', 'session' or 'content', found '" + where + "'.");
            }
            checkTcpAction(p, "tcp-request " + where, line.arg(2));
            p.tcpRequestRules.add(captureSlot(p, rule(line, 2), false));
        });
        add("tcp-response", BE | DEF, (ctx, p, line) -> {
            needArgs(line, 2, "'content' or 'inspect-delay'");
            if (p.isDefaults() && p.name.isEmpty()) {
                throw new KeywordError("tcp-response " + line.arg(1) + " is only allowed in 'backend' sections or 'defaults' section with a name");
            }
            if (line.arg(1).equals("inspect-delay")) {
                Values.time(line.arg(2), "tcp-response inspect-delay");
                p.tcpResponseRules.add(new Rule("tcp-response", "inspect-delay", List.of(line.arg(2)), null, loc(line)));
                return;
            }
            checkTcpAction(p, "tcp-response " + line.arg(1), line.arg(2));
            p.tcpResponseRules.add(rule(line, 2));
        });
        add("redirect", FE | BE, (ctx, p, line) -> {
            needArgs(line, 2, "'location', 'prefix' or 'scheme' followed by a value");
            if (!Set.of("location", "prefix", "scheme").contains(line.arg(1))) {
                throw new KeywordError("'redirect' expects 'location', 'prefix' or 'scheme', was '" + line.arg(1) + "'.");
            }
            p.redirects.add(rule(line, 1));
        });
        add("errorfile", ALL, (ctx, p, line) -> {
            needArgs(line, 2, "<status_code> and <file> as arguments");
            int code = ctx.errorStatus(line.arg(1), "errorfile");
            p.errorFile(new ErrorFile(code, ctx.resolveFile(line.arg(2), line), null, 0));
        });
        add("errorfiles", ALL, (ctx, p, line) -> {
            needArgs(line, 1, "<name> as argument");
            java.util.Set<Integer> codes = new java.util.HashSet<>();
            for (String c : line.from(2)) {
                codes.add(ctx.errorStatus(c, "errorfiles"));
            }
            p.errorDirectives.add(new ProxyBuilder.ErrorSection(line.arg(1), codes));
        });
        for (String kw : new String[] {"errorloc", "errorloc302", "errorloc303"}) {
            add(kw, ALL, (ctx, p, line) -> {
                needArgs(line, 2, "<status_code> and <url> as arguments");
                int code = ctx.errorStatus(line.arg(1), kw);
                p.errorFile(new ErrorFile(code, null, line.arg(2), kw.equals("errorloc303") ? 303 : 302));
            });
        }
        add("http-error", ALL, (ctx, p, line) -> {
            Rule r = RuleKeywords.httpRule(p, line, "http-error");
            int code = ctx.errorStatus(r.args().size() > 0 && r.action().equals("status") ? r.args().get(0) : "", "http-error");
            p.errorFile(new ErrorFile(code, null, null, 0));
            p.httpResponseRules.add(r);
        });
        add("monitor-uri", FE | DEF, (ctx, p, line) -> {
            needArgs(line, 1, "an URI");
            p.monitorUri = line.arg(1);
        });
        add("monitor", FE, (ctx, p, line) -> {
            // monitor fail if|unless <cond>: the monitor-uri answers 503 while the condition holds.
            if (!line.arg(1).equals("fail")) {
                throw new KeywordError("'monitor' only supports 'fail'.");
            }
            if (line.size() < 4 || !(line.arg(2).equals("if") || line.arg(2).equals("unless"))) {
                throw new KeywordError("'monitor fail' requires either 'if' or 'unless' followed by a condition.");
            }
            p.monitorFail.add(ConditionParser.parse(line.from(2)));
        });
        add("log", ALL, Support.PARTIAL, "stdout, stderr, UDP syslog, Unix datagram sockets (/dev/log) and 'global'; ring@ and tcp@ targets not yet (warned)", (ctx, p, line) -> {
            needArgs(line, 1, "<address> and <facility> or 'global'");
            p.logTargets.add(String.join(" ", line.from(1)));
            String cannot = io.haquark.logging.LogTarget.unsupported(String.join(" ", line.from(1)));
            if (cannot != null) {
                ctx.unsupported(line, cannot);
            }
        });
        add("log-format", FE | DEF, Support.SUPPORTED, "access log lines: %-variables of §8.2.4 (%Th/%Ti/%TR are 0), %{+Q}, %[fetch,conv]", (ctx, p, line) -> {
            needArgs(line, 1, "an argument");
            p.logFormat = String.join(" ", line.from(1));
            io.haquark.rules.LogFormat.parseLog(p.logFormat, java.nio.file.Path.of("."));   // alerts now, with this line
            p.options.remove("httplog");
            p.options.remove("tcplog");
        });
        // log-format-sd <fmt>: the structured-data part of rfc5424 log lines ("-" without it).
        add("log-format-sd", FE | DEF, Support.SUPPORTED, "the structured-data field of rfc5424 lines", (ctx, p, line) -> {
            needArgs(line, 1, "an argument");
            String fmt = String.join(" ", line.from(1));
            io.haquark.rules.LogFormat.parseLog(fmt, java.nio.file.Path.of("."));   // alerts now, with this line
            p.settings.put("log-format-sd", fmt);
        });
        add("log-tag", ALL, Support.PARTIAL, "kept for syslog", (ctx, p, line) -> needArgs(line, 1, "a tag"));
        // error-log-format <fmt>: the line of a connection that failed before a request (TLS, PROXY header).
        add("error-log-format", FE | DEF, Support.SUPPORTED, "failed TLS handshakes and PROXY headers (fc_err, fc_err_str as HAProxy's)", (ctx, p, line) -> {
            needArgs(line, 1, "an argument");
            String fmt = String.join(" ", line.from(1));
            io.haquark.rules.LogFormat.parseLog(fmt, java.nio.file.Path.of("."));
            p.settings.put("error-log-format", fmt);
        });
        add("unique-id-format", FE | DEF, Support.SUPPORTED, "%ID, unique-id fetch, %{+X}o hex as HAProxy prints it", (ctx, p, line) -> {
            needArgs(line, 1, "an argument");
            p.uniqueIdFormat = String.join(" ", line.from(1));
            io.haquark.rules.LogFormat.parseLog(p.uniqueIdFormat, java.nio.file.Path.of("."));
        });
        add("unique-id-header", FE | DEF, Support.SUPPORTED, "added to the request sent to the server", (ctx, p, line) -> {
            needArgs(line, 1, "an argument");
            p.uniqueIdHeader = line.arg(1);
        });
        add("capture", FE, ProxyKeywords::capture);
        add("declare", FE, (ctx, p, line) -> {
            // declare capture request|response len <n>: a slot for http-request/http-response capture ... id.
            if (line.size() != 5 || !line.arg(1).equals("capture") || !(line.arg(2).equals("request") || line.arg(2).equals("response"))
                    || !line.arg(3).equals("len")) {
                throw new KeywordError("'declare' expects 'capture' <request|response> 'len' <length>.");
            }
            int len = Values.integer(line.arg(4), "declare capture len");
            p.captures.add(new io.haquark.model.Capture(line.arg(2).equals("request") ? io.haquark.model.Capture.Kind.REQUEST_SLOT
                    : io.haquark.model.Capture.Kind.RESPONSE_SLOT, null, len));
        });
        add("stick-table", FE | BE, Support.PARTIAL, "every data type of HAProxy 2.6 is stored and counted; no peers sync yet", ProxyKeywords::stickTable);
        add("stick", BE, Support.SUPPORTED, "on, match, store-request, store-response (HTTP; a server found full is balanced around)", (ctx, p, line) -> {
            String kind = line.arg(1);
            if (!List.of("on", "match", "store-request", "store-response").contains(kind)) {
                throw new KeywordError("'stick' expects 'on', 'match', 'store-request' or 'store-response'.");
            }
            needArgs(line, 2, "a fetch method");
            Rule r = rule(line, 1);
            List<String> a = r.args();
            String table = null;
            for (int i = 1; i < a.size(); i++) {
                if (a.get(i).equals("table") && i + 1 < a.size()) {
                    table = a.get(++i);
                } else {
                    throw new KeywordError("'stick " + kind + "' : unknown argument '" + a.get(i) + "'.");
                }
            }
            if (a.isEmpty()) {
                throw new KeywordError("'stick " + kind + "' expects a fetch method.");
            }
            p.stickRules.add(new io.haquark.model.StickRule(kind, a.get(0), table, r.condition(), loc(line)));
        });
        add("filter", FE | BE, Support.PARTIAL, "trace; compression, cache, spoe, fcgi-app and opentracing not yet", ProxyKeywords::filter);
        notYet("compression", ALL, "HTTP compression");
        add("use-server", BE, Support.SUPPORTED, "first matching rule picks the server (fixed or %[...] name) before cookies and stick tables; a down server is passed over unless persistence is forced; HTTP and TCP; a full server is balanced around rather than queued for, as with cookies", (ctx, p, line) -> {
            // configuration.txt §4.2 "use-server": a named (or %[...]-built) server, always with a condition.
            if (line.size() < 2) {
                throw new KeywordError("'use-server' expects a server name.");
            }
            if (line.size() < 4 || !(line.arg(2).equals("if") || line.arg(2).equals("unless"))) {
                throw new KeywordError("'use-server' requires either 'if' or 'unless' followed by a condition.");
            }
            p.persistRules.add(new Rule("use-server", "use-server", List.of(line.arg(1)),
                    ConditionParser.parse(line.from(2)), loc(line)));
        });
        for (String kw : new String[] {"force-persist", "ignore-persist"}) {
            add(kw, FE | BE, (ctx, p, line) -> {
                if (line.size() < 3 || !(line.arg(1).equals("if") || line.arg(1).equals("unless"))) {
                    throw new KeywordError("'" + kw + "' requires either 'if' or 'unless' followed by a condition.");
                }
                p.persistRules.add(new Rule(kw, kw, List.of(), ConditionParser.parse(line.from(1)), loc(line)));
            });
        }
        // persist rdp-cookie[(<name>)]: the RDP cookie ("msts") names the server to go back to.
        add("persist", BE | DEF, Support.SUPPORTED, "rdp-cookie[(name)]: the RDP cookie's address and port pick that server while it is not down", (ctx, p, line) -> {
            String v = line.size() > 1 ? line.arg(1) : "";
            if (v.equals("rdp-cookie")) {
                p.settings.put("persist", "msts");
            } else if (v.startsWith("rdp-cookie(") && v.endsWith(")") && v.length() > 12) {
                p.settings.put("persist", v.substring(11, v.length() - 1));
            } else {
                throw new KeywordError("'persist' only supports 'rdp-cookie'.");
            }
        });
        add("dispatch", BE, Support.SUPPORTED, "the address a backend without servers connects to", (ctx, p, line) -> {
            needArgs(line, 1, "<addr>:<port>");
            String a = line.arg(1);
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || !Values.isCleanInteger(a.substring(colon + 1))) {
                throw new KeywordError("'dispatch' : missing port in address '" + a + "'.");
            }
            p.dispatch = a;
        });
        add("source", ALL, Support.PARTIAL, "the address (and port) server connections leave from; 'usesrc' (transparent proxying) and 'interface' not yet (warned)", (ctx, p, line) -> {
            // configuration.txt §4.2 "source": the default for servers without their own.
            if (line.size() < 2) {
                throw new KeywordError("'source' expects <addr>[:<port>], and optionally 'usesrc' <addr>, and 'interface' <name>.");
            }
            p.source = sourceAddress(line.arg(1), false);
            for (int i = 2; i < line.size(); i += 2) {
                String kw = line.arg(i);
                if (!kw.equals("usesrc") && !kw.equals("interface")) {
                    throw new KeywordError("'source' only supports optional keywords 'interface' and 'usesrc'.");
                }
                ctx.unsupported(line, "source ... " + kw);
            }
        });
        add("rate-limit", FE | DEF, Support.SUPPORTED, "rate-limit sessions: beyond the rate the frontend stops accepting, new connections wait in the backlog", (ctx, p, line) -> {
            // configuration.txt §4.2 "rate-limit sessions": 0 means no limit.
            if (line.size() < 2 || !line.arg(1).equals("sessions")) {
                throw new KeywordError("'rate-limit' only supports 'sessions' (got '" + (line.size() < 2 ? "" : line.arg(1)) + "')");
            }
            if (line.size() < 3) {
                throw new KeywordError("'rate-limit sessions' expects expects an integer value (in sessions/second)");
            }
            String v = line.arg(2);
            for (int i = 0; i < v.length(); i++) {
                if (!Character.isDigit(v.charAt(i))) {
                    throw new KeywordError("'rate-limit sessions' : unexpected character '" + v.charAt(i) + "' in integer value '" + v + "'");
                }
            }
            p.rateLimitSessions = Values.integer(v, "rate-limit sessions");
        });
        notYet("email-alert", ALL, "mailers");
        add("http-reuse", BE | DEF, Support.PARTIAL, "a client keeps its server connection between its requests; 'never' keeps it private, 'safe' sends a first request on a connection of its own, 'aggressive'/'always' may reuse an idle one; idle connections are shared within an event loop only", (ctx, p, line) -> {
            needArgs(line, 1, "one of 'never', 'safe', 'aggressive', 'always'");
            if (!Set.of("never", "safe", "aggressive", "always").contains(line.arg(1))) {
                throw new KeywordError("only supports 'never', 'safe', 'aggressive', 'always'");
            }
            p.httpReuse = line.arg(1);
        });
        notYet("load-server-state-from-file", BE | DEF, "server state files");
        notYet("server-state-file-name", BE | DEF, "server state files");
        // max-keep-alive-queue <n>: with prefer-last-server, how long a queue on the last server is
        // worth waiting in (-1 no limit). haquark has no per-server queues: a full last server is
        // never waited for, which is the value 0.
        add("max-keep-alive-queue", BE | DEF, Support.PARTIAL, "checked; behaves as 0 (a full last server is not waited for: haquark has no per-server queues)", (ctx, p, line) -> {
            needArgs(line, 1, "an integer argument");
            p.settings.put("max-keep-alive-queue", String.valueOf(Values.integer(line.arg(1), "max-keep-alive-queue")));
        });
        add("http-send-name-header", BE | DEF, Support.SUPPORTED, "replaces the client's header with the chosen server's name, set again on redispatch", (ctx, p, line) -> {
            // configuration.txt §4.2: the chosen server's name, in a header that replaces the client's.
            if (line.size() < 2) {
                throw new KeywordError("'http-send-name-header' requires a header string.");
            }
            p.sendNameHeader = line.arg(1);
        });
        // TCP keep-alive probes (with option clitcpka / srvtcpka / tcpka): count, idle time and
        // interval, times in seconds unless a unit says otherwise (configuration.txt §4.2).
        for (String side : new String[] {"clitcpka", "srvtcpka"}) {
            int caps = side.equals("clitcpka") ? FE | DEF : BE | DEF;
            for (String what : new String[] {"cnt", "idle", "intvl"}) {
                String kw = side + "-" + what;
                add(kw, caps, Support.SUPPORTED, "TCP_KEEP" + (what.equals("cnt") ? "CNT" : what.equals("idle") ? "IDLE" : "INTVL")
                        + " on " + (side.equals("clitcpka") ? "client" : "server") + " sockets", (ctx, p, line) -> {
                    needArgs(line, 1, what.equals("cnt") ? "an integer argument" : "a time argument");
                    String v = line.arg(1);
                    if (what.equals("cnt")) {
                        Values.integer(v, kw);
                    } else if (!v.chars().allMatch(Character::isDigit)) {
                        Values.time(v, kw);
                    }
                    p.settings.put(kw, v);
                });
            }
        }
        for (String[] old : new String[][] {{"clitimeout", "client"}, {"contimeout", "connect"}, {"srvtimeout", "server"}}) {
            add(old[0], ALL, Support.REJECTED, "removed in HAProxy 2.1", (ctx, p, line) -> {
                throw new KeywordError("the '" + old[0] + "' directive is not supported anymore since HAProxy 2.1. Use 'timeout " + old[1] + "'.");
            });
        }
        notYet("use-fcgi-app", BE | DEF, "FastCGI applications");
        add("grace", ALL, Support.REJECTED, "removed in HAProxy 2.5", (ctx, p, line) -> {
            throw new KeywordError("the 'grace' keyword is not supported any more since HAProxy version 2.5.");
        });
        // One process since HAProxy 2.5: HAProxy 2.6 warns and goes on, as does haquark.
        add("bind-process", ALL, Support.SUPPORTED, "no effect, with HAProxy 2.6's deprecation warning", (ctx, p, line) ->
                ctx.diag.warning(line, "'bind-process' has no effect, is deprecated, and will be removed in version 2.7."));
        for (String kw : new String[] {"reqadd", "reqdel", "reqrep", "reqidel", "reqirep", "reqallow", "reqiallow",
                "reqdeny", "reqideny", "reqpass", "reqipass", "reqtarpit", "reqitarpit", "rspadd", "rspdel", "rsprep",
                "rspidel", "rspirep", "rspdeny", "rspideny"}) {
            removed(kw, "Use 'http-request' or 'http-response' instead.");
        }
    }

    private static void bind(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        needArgs(line, 1, "{<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments");
        String spec = line.arg(1);
        List<ListenAddress> addrs;
        try {
            addrs = Addresses.bind(spec);
        } catch (KeywordError e) {
            throw new KeywordError(e.getMessage());
        }
        boolean ssl = false;
        boolean acceptProxy = false;
        String name = null;
        int maxconn = 0;
        List<String> crts = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < line.size(); i++) {
            String kw = line.arg(i);
            BindKeywords.Def def = BindKeywords.KEYWORDS.get(kw);
            if (def == null) {
                throw new KeywordError("'bind " + spec + "' in section '" + p.type.keyword() + "': unknown keyword '" + kw + "'.");
            }
            String value = null;
            if (def.takesValue()) {
                if (i + 1 >= line.size()) {
                    throw new KeywordError("'bind " + spec + "' : missing value for '" + kw + "' option.");
                }
                value = line.arg(++i);
            }
            switch (kw) {
                case "ssl" -> ssl = true;
                case "crt" -> crts.add(ctx.resolveFile(LoadContext.under(ctx.crtBase, value), line));
                case "ca-file", "ca-verify-file", "crl-file" -> options.put(kw, ctx.resolveFile(LoadContext.under(ctx.caBase, value), line));
                case "ca-ignore-err", "crt-ignore-err" -> {
                    try {
                        TlsOptions.ignoreList(value);
                    } catch (IllegalArgumentException e) {
                        throw new KeywordError("'bind " + spec + "' in section '" + p.type.keyword() + "' : '" + kw + "' : "
                                + e.getMessage());
                    }
                    options.put(kw, value);
                }
                case "accept-proxy" -> acceptProxy = true;
                case "accept-netscaler-cip" -> {
                    if (!value.matches("[0-9]+") || Long.parseLong(value) > 0xffffffffL) {
                        throw new KeywordError("'bind " + spec + "' : '" + kw + "' : expects a magic number as argument.");
                    }
                    options.put(kw, value);
                }
                case "verify" -> {
                    if (!List.of("none", "optional", "required").contains(value)) {
                        throw new KeywordError("'bind " + spec + "' : 'verify' : unknown verify method '" + value
                                + "', only 'none', 'optional', and 'required' are supported.");
                    }
                    options.put(kw, value);
                }
                case "name" -> name = value;
                case "maxconn" -> maxconn = Values.integer(value, "bind maxconn");
                case "mss", "id" -> {
                    if (!value.matches("-?[0-9]+") || kw.equals("id") && Long.parseLong(value) <= 0) {
                        throw new KeywordError("'bind " + spec + "' : '" + kw + "' expects " + (kw.equals("id") ? "a positive integer" : "an integer")
                                + " argument.");
                    }
                    options.put(kw, value);
                }
                case "tcp-ut" -> {
                    Values.time(value, "tcp-ut");
                    options.put(kw, value);
                }
                case "alpn" -> alpn.addAll(List.of(value.split(",")));
                case "proto" -> {
                    if (!value.equals("h2")) {
                        ctx.unsupported(line, "bind option 'proto " + value + "'");
                    }
                    options.put(kw, value);
                }
                default -> options.put(kw, value == null ? "" : value);
            }
            if (def.support() == Support.NOT_YET) {
                ctx.unsupported(line, "bind option '" + kw + "'");
            }
        }
        if (ssl && crts.isEmpty() && !options.containsKey("crt-list")) {
            throw new KeywordError("'bind " + spec + "' : 'ssl' requires a certificate ('crt' or 'crt-list').", false);
        }
        String crtList = null;
        List<io.haquark.model.CrtListLine> crtListLines = new ArrayList<>();
        if (options.containsKey("crt-list")) {
            crtList = ctx.resolveFile(options.get("crt-list"), line);   // crt-base applies to the lines, not the list
            try {
                List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(crtList));
                for (int n = 0; n < lines.size(); n++) {
                    io.haquark.model.CrtListLine l = io.haquark.model.CrtListLine.parse(lines.get(n), n + 1,
                            f -> ctx.resolveFile(LoadContext.under(ctx.crtBase, f), line));
                    if (l != null) {
                        crtListLines.add(l);
                    }
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new KeywordError("'bind " + spec + "' : unable to read crt-list '" + crtList + "'"
                        + (e instanceof IllegalArgumentException ? ": " + e.getMessage() : "") + ".");
            }
        }
        p.binds.add(new Bind(spec, addrs, ssl, crts, crtList, crtListLines, acceptProxy, name, maxconn, alpn, options, loc(line)));
    }

    private static void stickTable(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        String type = null;
        long size = 0;
        long expire = 0;
        List<String> store = new ArrayList<>();
        for (int i = 1; i < line.size(); i++) {
            String w = line.arg(i);
            switch (w) {
                case "type" -> {
                    type = line.arg(++i);
                    if (!Set.of("ip", "ipv6", "integer", "string", "binary").contains(type)) {
                        throw new KeywordError("stick-table: unknown type '" + type + "'.");
                    }
                    if ((type.equals("string") || type.equals("binary")) && line.arg(i + 1).equals("len")) {
                        i += 2;
                    }
                }
                case "size" -> size = Values.size(line.arg(++i), "stick-table size");
                case "expire" -> expire = Values.time(line.arg(++i), "stick-table expire");
                case "store" -> store.addAll(io.haquark.acl.SampleExpr.splitTopLevelPublic(line.arg(++i)));
                case "nopurge", "srvkey" -> {
                    if (w.equals("srvkey")) {
                        i++;
                    }
                }
                case "peers", "write-to", "recv-only" -> i++;
                default -> throw new KeywordError("stick-table: unknown argument '" + w + "'.");
            }
        }
        if (type == null) {
            throw new KeywordError("stick-table: missing type.");
        }
        checkStore(store);
        if (size <= 0) {
            throw new KeywordError("stick-table: missing size.");
        }
        p.stickTable = new io.haquark.model.StickTableSpec(type, size, expire, store, loc(line));
    }

    /** The stick-table data types (configuration.txt "stick-table ... store"), and which take a period. */
    private static final Set<String> COUNTS = Set.of("server_id", "server_key", "server_name", "gpt0", "gpc0", "gpc1",
            "conn_cnt", "conn_cur", "sess_cnt", "http_req_cnt", "http_err_cnt", "http_fail_cnt", "bytes_in_cnt", "bytes_out_cnt");
    private static final Set<String> RATES = Set.of("gpc0_rate", "gpc1_rate", "conn_rate", "sess_rate", "http_req_rate",
            "http_err_rate", "http_fail_rate", "bytes_in_rate", "bytes_out_rate");

    /** Each "store" item as HAProxy checks it, with its messages. */
    private static void checkStore(List<String> store) {
        Set<String> names = new java.util.HashSet<>();
        for (String item : store) {
            int open = item.indexOf('(');
            String name = open < 0 ? item : item.substring(0, open);
            List<String> args = open < 0 || !item.endsWith(")") ? List.of()
                    : List.of(item.substring(open + 1, item.length() - 1).split(",", -1));
            names.add(name);
            boolean array = name.equals("gpt") || name.equals("gpc") || name.equals("gpc_rate");
            if (!COUNTS.contains(name) && !RATES.contains(name) && !array) {
                throw new KeywordError("stick-table: unknown store option '" + name + "'.");
            }
            if (COUNTS.contains(name)) {
                if (!args.isEmpty()) {
                    throw new KeywordError("stick-table: unexpected argument to store option '" + name + "'.");
                }
                continue;
            }
            int needed = name.equals("gpc_rate") ? 2 : 1;
            if (args.size() < needed) {
                throw new KeywordError("stick-table: missing argument to store option '" + name + "'.");
            }
            try {
                if (array) {
                    int n = Integer.parseInt(args.get(0).trim());
                    if (n < 1 || n > 100) {
                        throw new KeywordError("stick-table: array size is out of allowed range (1-100) for store option '"
                                + name + "'.");
                    }
                }
                if (RATES.contains(name) || name.equals("gpc_rate")) {
                    Values.time(args.get(needed - 1).trim(), "stick-table store " + name);
                }
            } catch (NumberFormatException | KeywordError e) {
                if (e instanceof KeywordError k && k.getMessage().contains("out of allowed range")) {
                    throw k;
                }
                throw new KeywordError("stick-table: error when processing store option '" + name + "'.");
            }
        }
        if (names.contains("gpt") && names.contains("gpt0")) {
            throw new KeywordError("stick-table: simultaneous usage of 'gpt' and 'gpt0' in a same table is not permitted as "
                    + "'gpt' overrides 'gpt0'.");
        }
        if (names.contains("gpc") && (names.contains("gpc0") || names.contains("gpc1"))) {
            throw new KeywordError("stick-table: simultaneous usage of 'gpc' and 'gpc[0/1]' in a same table is not permitted as "
                    + "'gpc' overrides 'gpc[0/1]'.");
        }
        if (names.contains("gpc_rate") && (names.contains("gpc0_rate") || names.contains("gpc1_rate"))) {
            throw new KeywordError("stick-table: simultaneous usage of 'gpc_rate' and 'gpc[0/1]_rate' in a same table is not "
                    + "permitted as 'gpc_rate' overrides 'gpc[0/1]_rate'.");
        }
    }

    /** HTTP rules may only be in a named defaults section (configuration.txt §4 "defaults"). */
    private static void anonymousDefaults(ProxyBuilder p, ConfigLine line) {
        if (p.isDefaults() && p.name.isEmpty()) {
            throw new KeywordError("'" + line.keyword() + "' not allowed in anonymous 'defaults' section.");
        }
    }

    /** An action HAProxy 2.6 does not know in that rule set is refused with its list (rules.TcpActions). */
    private static void checkTcpAction(ProxyBuilder p, String ruleSet, String action) {
        if (!io.haquark.rules.TcpActions.known(ruleSet, action) && !action.startsWith("lua.")) {
            throw new KeywordError(io.haquark.rules.TcpActions.unknown(ruleSet, action, p.type.keyword(), p.name));
        }
        if ((action.equals("expect-proxy") || action.equals("expect-netscaler-cip")) && !ruleSet.equals("tcp-request connection")) {
            // Only a connection rule can still change how the first bytes are read.
            throw new KeywordError("'" + action + " layer4' is not allowed in '" + ruleSet + "' rules in " + p.type.keyword()
                    + " '" + p.name + "'");
        }
        RuleKeywords.variableAction(p, ruleSet, action);
    }

    /** filter <name> [args]: a known filter runs when haquark has it, else it is warned about (configuration.txt §9). */
    private static void filter(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        needArgs(line, 1, "a filter name");
        io.haquark.filters.FilterRegistry.Kind kind = io.haquark.filters.FilterRegistry.kind(line.arg(1));
        if (kind == null) {
            throw new KeywordError(io.haquark.filters.FilterRegistry.unknown(line.arg(1)));
        }
        if (!kind.supported()) {
            ctx.unsupported(line, "filter " + kind.name());
            return;
        }
        try {
            kind.parser().apply(line.from(2));
        } catch (IllegalArgumentException e) {
            throw new KeywordError(e.getMessage());
        }
        p.filters.add(new io.haquark.model.FilterDecl(kind.name(), line.from(2), loc(line)));
    }

    private static void balance(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        needArgs(line, 1, "an algorithm");
        p.balance = io.haquark.balance.BalanceAlgorithm.parse(line.arg(1), line.from(2), p.balance);
    }

    private ProxyKeywords() {
    }

    /**
     * A "source" address as HAProxy takes it: an address (a name resolved now) with an optional
     * port; a port range only where the caller allows it (server lines).
     */
    static String sourceAddress(String text, boolean rangeAllowed) {
        String host = text;
        String port = null;
        int colon = text.lastIndexOf(':');
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            host = end < 0 ? text : text.substring(1, end);
            port = end >= 0 && end + 1 < text.length() && text.charAt(end + 1) == ':' ? text.substring(end + 2) : null;
        } else if (colon >= 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (port != null && port.contains("-") && !rangeAllowed) {
            throw new KeywordError("'source " + text + "' : port range not permitted here in '" + text + "'");
        }
        if (port != null && !port.isEmpty() && !port.matches("[0-9]+(-[0-9]+)?")) {
            throw new KeywordError("'source " + text + "' : invalid address: '" + text + "' in '" + text + "'");
        }
        try {
            java.net.InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host);
        } catch (java.net.UnknownHostException e) {
            throw new KeywordError("'source " + text + "' : invalid address: '" + host + "' in '" + text + "'");
        }
        return text;
    }

    /**
     * The checks of one http-check / tcp-check rule at load time, so that a check never meets
     * a bad expression while running: the action, connect's options, set-var's expression,
     * expect's regex and the log-formats of http-check send and expect.
     */
    private static void checkRule(LoadContext ctx, ConfigLine line, String kw, Set<String> actions, String unknown) {
        String action = line.arg(1);
        if (action.startsWith("set-var(") || action.startsWith("unset-var(")) {
            String err = io.haquark.rules.VariableAction.check(action);
            if (err != null) {
                throw new KeywordError("'" + kw + " " + action + "' : " + err);
            }
            if (action.startsWith("set-var(")) {
                if (line.size() < 3) {
                    throw new KeywordError("'" + kw + " " + action + "' : missing sample expression.");
                }
                try {
                    io.haquark.acl.SampleExpr.parse(String.join(" ", line.from(2)), null, null);
                } catch (RuntimeException e) {
                    throw new KeywordError("'" + kw + " " + action + "' : " + e.getMessage());
                }
            }
            return;
        }
        if (!actions.contains(action)) {
            throw new KeywordError(unknown);
        }
        switch (action) {
            case "connect" -> {
                for (int i = 2; i < line.size(); i++) {
                    String opt = line.arg(i);
                    if (opt.equals("port") && (i + 1 >= line.size() || !line.arg(i + 1).matches("[0-9]{1,5}"))) {
                        throw new KeywordError("'" + kw + " connect' : 'port' expects a port number as argument.");
                    }
                    if (opt.equals("addr") && i + 1 >= line.size()) {
                        throw new KeywordError("'" + kw + " connect' : 'addr' expects an address as argument.");
                    }
                    if (opt.equals("addr")) {
                        // HAProxy resolves the address at load; the check keeps what it got.
                        String a = line.arg(i + 1);
                        int colon = a.lastIndexOf(':');
                        String host = colon > 0 && a.indexOf(':') == colon ? a.substring(0, colon) : a;
                        try {
                            java.net.InetAddress.getByName(host);
                        } catch (java.net.UnknownHostException e) {
                            throw new KeywordError("'" + kw + " connect' : 'addr' : invalid address: '" + a + "' in '" + a + "'");
                        }
                    }
                    if (opt.equals("port") || opt.equals("comment") || opt.equals("addr")) {
                        i++;
                    } else if (!opt.equals("default")) {
                        // send-proxy, ssl, sni, alpn, linger, via-socks4, proto: not applied yet.
                        ctx.unsupported(line, kw + " connect ... " + opt);
                        if (Set.of("sni", "alpn", "proto").contains(opt)) {
                            i++;
                        }
                    }
                }
            }
            case "send" -> {
                if (kw.equals("http-check")) {
                    for (int i = 2; i + 1 < line.size(); i++) {
                        String opt = line.arg(i);
                        if (opt.equals("uri-lf") || opt.equals("body-lf")) {
                            logFormat(kw, line.arg(++i));
                        } else if (opt.equals("hdr")) {
                            if (i + 2 >= line.size()) {
                                throw new KeywordError("'" + kw + " send' : 'hdr' expects <name> and <value> as arguments.");
                            }
                            logFormat(kw, line.arg(i + 2));
                            i += 2;
                        } else {
                            i++;
                        }
                    }
                }
            }
            case "expect" -> {
                for (int i = 2; i < line.size(); i++) {
                    String w = line.arg(i);
                    if (Set.of("on-success", "on-error", "ok-status", "error-status", "tout-status", "status-code").contains(w)) {
                        ctx.unsupported(line, kw + " expect ... " + w);
                        i++;
                    } else if (Set.of("rstring", "rstatus", "rbinary", "!rstring", "!rstatus", "!rbinary").contains(w) && i + 1 < line.size()) {
                        try {
                            java.util.regex.Pattern.compile(line.arg(i + 1));
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw new KeywordError("'" + kw + " expect' : regex '" + line.arg(i + 1) + "' : " + e.getDescription() + ".");
                        }
                        break;
                    } else if ((w.equals("name") || w.equals("value")) && i + 3 < line.size() && line.arg(i + 1).equals("-m")
                            && line.arg(i + 2).equals("reg")) {
                        // hdr/fhdr "name -m reg <re>" and "value -m reg <re>": compiled once with the plan.
                        try {
                            java.util.regex.Pattern.compile(line.arg(i + 3));
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw new KeywordError("'" + kw + " expect' : regex '" + line.arg(i + 3) + "' : " + e.getDescription() + ".");
                        }
                    } else if ((w.equals("name-lf") || w.equals("value-lf")) && i + 1 < line.size()) {
                        logFormat(kw, line.arg(line.arg(i + 1).equals("-m") && i + 3 < line.size() ? i + 3 : i + 1));
                    }
                }
            }
            default -> { }
        }
    }

    private static void logFormat(String kw, String fmt) {
        try {
            io.haquark.rules.LogFormat.parse(fmt, null);
        } catch (RuntimeException e) {
            throw new KeywordError("'" + kw + "' : " + e.getMessage());
        }
    }

    /**
     * The order HAProxy 2.6 demands of check rules: with a connect in the ruleset, the first
     * rule (after set-var, unset-var and comment) is a connect; for http-check, a connect
     * follows an expect, and one connection carries one send.
     */
    private static void checkOrder(ProxyBuilder p, ConfigLine line, String kw) {
        String action = line.arg(1);
        if (!action.equals("connect") && !(kw.equals("http-check") && action.equals("send"))) {
            return;
        }
        boolean connectSeen = false;
        boolean otherFirst = false;
        boolean awaitingExpect = false;
        boolean sent = false;
        int rules = 0;
        for (io.haquark.model.Rule r : p.checkSteps) {
            if (!r.keyword().equals(kw) || r.action().equals("disable-on-404") || r.action().equals("send-state")) {
                continue;
            }
            rules++;
            String a = r.action();
            boolean neutral = a.equals("comment") || a.startsWith("set-var(") || a.startsWith("unset-var(");
            if (a.equals("connect")) {
                connectSeen = true;
                sent = false;
            } else if (!neutral && !connectSeen) {
                otherFirst = true;
            }
            if (a.equals("send")) {
                awaitingExpect = true;
                sent = true;
            } else if (a.equals("expect")) {
                awaitingExpect = false;
            }
        }
        if (action.equals("connect") && otherFirst && !connectSeen) {
            throw new KeywordError("'" + kw + " connect' : first step MUST also be a 'connect', optionally preceded by a "
                    + "'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in the tcp-check ruleset.");
        }
        if (!kw.equals("http-check")) {
            return;
        }
        // HAProxy counts option httpchk's own send rule when no connect comes first.
        int step = rules + (connectSeen ? 0 : 1);
        if (action.equals("connect") && awaitingExpect) {
            throw new KeywordError("'http-check connect' : unable to add http-check connect rule at step " + (connectSeen ? rules : step)
                    + " (missing expect rule).");
        }
        if (action.equals("send") && sent) {
            throw new KeywordError("'http-check send' : unable to add http-check send rule at step " + step + " (missing connect rule).");
        }
    }
}
