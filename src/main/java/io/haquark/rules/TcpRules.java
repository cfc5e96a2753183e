package io.haquark.rules;

import io.haquark.acl.AclCompiler;
import io.haquark.acl.Cond;
import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import io.haquark.model.Location;
import io.haquark.model.Rule;
import io.haquark.state.ConnectionTracking;
import io.haquark.state.StickTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * tcp-request connection / content rules (configuration.txt §4.2 "tcp-request"): accept, reject,
 * track-sc0..2 and sc-inc-gpc0, evaluated in order, with "tcp-request inspect-delay" for content
 * rules; other actions are warned about.
 */
public final class TcpRules {
    public static final TcpRules NONE = new TcpRules(new TcpRule[0], new TcpRule[0], new TcpRule[0], new TcpRule[0], 0, 0);

    private enum Kind { SWITCH_HTTP, ACCEPT, REJECT, CLOSE, TRACK, INC_GPC, SET_GPT, SET_VAR, SET_VAR_FMT, UNSET_VAR, SET_ADDRESS,
        SET_LOG_LEVEL, CAPTURE, SILENT_DROP, SET_TOS, SET_MARK, EXPECT_PROXY, NO_EFFECT, SET_PRIORITY }

    /** What tcp-response content rules decided. */
    public enum ResponseVerdict { ACCEPT, REJECT, CLOSE, WAIT, SILENT_DROP }

    /**
     * One rule: its condition, what it does, for tracking the counter, key and table, for the
     * variable actions the name, the set-var conditions (Variables' bits), the expression or format;
     * for the gpc/gpt actions "var" is the data type (gpc0, gpc1, gpc, gpt0, gpt) and
     * "varConditions" the array index.
     */
    private record TcpRule(Cond cond, Kind kind, int counter, SampleExpr key, String table, String var, int varConditions,
                           LogFormat format, Location where) {
        TcpRule(Cond cond, Kind kind, int counter, SampleExpr key, String table) {
            this(cond, kind, counter, key, table, null, 0, null, null);
        }

        TcpRule(Cond cond, Kind kind, int counter, SampleExpr key, String table, String var, int varConditions, LogFormat format) {
            this(cond, kind, counter, key, table, var, varConditions, format, null);
        }

        TcpRule at(Location w) {
            return new TcpRule(cond, kind, counter, key, table, var, varConditions, format, w);
        }
    }

    private final TcpRule[] connection;
    private final TcpRule[] session;
    private final TcpRule[] content;
    private final TcpRule[] response;
    public final long inspectDelayMs;
    /** tcp-response inspect-delay: how long the server's first bytes may wait for the response rules. */
    public final long responseInspectDelayMs;

    private TcpRules(TcpRule[] connection, TcpRule[] session, TcpRule[] content, TcpRule[] response, long delay,
                     long responseDelay) {
        this.connection = connection;
        this.session = session;
        this.content = content;
        this.response = response;
        this.inspectDelayMs = delay;
        this.responseInspectDelayMs = responseDelay;
    }

    public static TcpRules compile(List<Rule> rules, AclCompiler acls, Path base, BiConsumer<Location, String> warnings) {
        List<TcpRule> conn = new ArrayList<>();
        List<TcpRule> sess = new ArrayList<>();
        List<TcpRule> cont = new ArrayList<>();
        List<TcpRule> resp = new ArrayList<>();
        long delay = 0;
        long responseDelay = 0;
        for (Rule r : rules) {
            boolean responseRule = r.keyword().startsWith("tcp-response");
            if (r.action().equals("inspect-delay")) {
                if (responseRule) {
                    responseDelay = io.haquark.model.Values.time(r.args().get(0), "tcp-response inspect-delay");
                } else {
                    delay = io.haquark.model.Values.time(r.args().get(0), "tcp-request inspect-delay");
                }
                continue;
            }
            boolean content = r.keyword().endsWith("content");
            boolean connection = r.keyword().endsWith("connection") || r.keyword().endsWith("session");
            String name = r.action().contains("(") ? r.action().substring(0, r.action().indexOf('(')) : r.action();
            String ruleSet = r.keyword().startsWith("tcp-") ? r.keyword() : "tcp-request " + r.keyword();
            if (!TcpActions.supported(ruleSet, name) || !(content || connection)) {
                warnings.accept(r.where(), "'" + r.keyword() + " " + r.action() + "' is not supported by haquark yet, ignored (see docs/compatibility.md).");
                continue;
            }
            Cond c;
            try {
                c = acls.compile(r.condition());
            } catch (io.haquark.acl.AclException e) {
                throw new io.haquark.acl.AclException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                        + "' : error detected while parsing condition : " + e.getMessage());
            }
            TcpRule rule = switch (name) {
                case "accept" -> new TcpRule(c, Kind.ACCEPT, 0, null, null);
                case "reject" -> new TcpRule(c, Kind.REJECT, 0, null, null);
                case "close" -> new TcpRule(c, Kind.CLOSE, 0, null, null);
                case "silent-drop" -> new TcpRule(c, Kind.SILENT_DROP, 0, null, null);
                case "set-tos", "set-mark" -> new TcpRule(c, name.equals("set-tos") ? Kind.SET_TOS : Kind.SET_MARK,
                        socketValue(r, name), null, null);
                // set-nice orders HAProxy's tasks; the JVM's event loops have no task priorities.
                case "set-nice" -> {
                    niceValue(r);
                    yield new TcpRule(c, Kind.NO_EFFECT, 0, null, null);
                }
                case "set-priority-class", "set-priority-offset" -> {
                    if (r.args().isEmpty()) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                                + "' expects a sample expression.");
                    }
                    try {
                        yield new TcpRule(c, Kind.SET_PRIORITY, 0, SampleExpr.parse(r.args().get(0), base, null), null,
                                name.substring(13), 0, null);
                    } catch (io.haquark.acl.AclException e) {
                        throw new io.haquark.acl.AclException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name + "' : " + e.getMessage());
                    }
                }
                case "expect-proxy" -> {
                    if (r.args().isEmpty() || !r.args().get(0).equals("layer4")) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " expect-proxy' only supports 'layer4'.");
                    }
                    yield new TcpRule(c, Kind.EXPECT_PROXY, 0, null, null);
                }
                case "switch-mode" -> {
                    // configuration.txt "tcp-request content switch-mode http [proto <name>]": final, like accept.
                    if (r.args().isEmpty() || !r.args().get(0).equals("http")) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword()
                                + " switch-mode' expects a mode as argument ('http').");
                    }
                    // "proto h1|h2" fixes the HTTP version; without it the bytes decide (the h2 preface).
                    String proto = null;
                    if (r.args().size() > 1 && r.args().get(1).equals("proto")) {
                        if (r.args().size() < 3) {
                            throw new IllegalArgumentException("parsing [" + r.where() + "] : 'tcp-request switch-mode': "
                                    + "'proto' expects a protocol as argument.");
                        }
                        proto = r.args().get(2);
                        if (!proto.equals("h1") && !proto.equals("h2")) {
                            throw new IllegalArgumentException("parsing [" + r.where() + "] : 'tcp-request switch-mode': "
                                    + "'proto' expects a valid MUX protocol, if specified (got '" + proto + "')");
                        }
                    }
                    yield new TcpRule(c, Kind.SWITCH_HTTP, 0, null, null, proto, 0, null);
                }
                case "set-log-level" -> {
                    String level = r.args().isEmpty() ? "" : r.args().get(0);
                    if (!HttpActions.LOG_LEVELS.contains(level)) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword()
                                + " set-log-level' : unknown log level '" + level + "'");
                    }
                    yield new TcpRule(c, Kind.SET_LOG_LEVEL, 0, null, null, level, 0, null);
                }
                case "capture" -> {
                    // "capture <sample> len <n>", kept by the config as "<sample> id <slot> len <n>".
                    yield new TcpRule(c, Kind.CAPTURE, Integer.parseInt(r.args().get(2)), SampleExpr.parse(r.args().get(0), base, null),
                            null);
                }
                case "sc-inc-gpc0", "sc-inc-gpc1" -> new TcpRule(c, Kind.INC_GPC, counterArg(r.action()), null, null,
                        name.substring(7), name.endsWith("1") ? 1 : 0, null);
                case "sc-inc-gpc" -> {
                    int[] a = indexAndCounter(r, name);
                    yield new TcpRule(c, Kind.INC_GPC, a[1], null, null, "gpc", a[0], null);
                }
                case "sc-set-gpt0", "sc-set-gpt" -> {
                    String arg = String.join(" ", r.args());
                    if (arg.isEmpty()) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword()
                                + " " + name + "' expects an integer or a sample expression.");
                    }
                    int[] a = name.equals("sc-set-gpt") ? indexAndCounter(r, name) : new int[] {0, counterArg(r.action())};
                    yield new TcpRule(c, Kind.SET_GPT, a[1],
                            SampleExpr.parse(arg.matches("-?[0-9]+") ? "int(" + arg + ")" : arg, base, null), null,
                            name.substring(7), a[0], null);
                }
                case "set-var", "set-var-fmt", "unset-var" -> variableRule(r, name, c, base);
                case "set-src", "set-dst", "set-src-port", "set-dst-port" -> {
                    if (r.args().isEmpty()) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                                + "' expects a sample expression.");
                    }
                    SampleExpr e;
                    try {
                        e = SampleExpr.parse(String.join(" ", r.args()), base, null);
                    } catch (io.haquark.acl.AclException ex) {
                        throw new io.haquark.acl.AclException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name + "' : " + ex.getMessage());
                    }
                    // var carries which address: "src", "dst", "src-port", "dst-port".
                    yield new TcpRule(c, Kind.SET_ADDRESS, 0, e, null, name.substring(4), 0, null);
                }
                default -> {
                    List<String> a = r.args();
                    if (a.isEmpty()) {
                        throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                                + "' expects a sample expression.");
                    }
                    String table = a.size() > 2 && a.get(1).equals("table") ? a.get(2) : null;
                    SampleExpr key;
                    try {
                        key = SampleExpr.parse(a.get(0), base, null);
                    } catch (io.haquark.acl.AclException e) {
                        throw new io.haquark.acl.AclException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                                + "' : " + e.getMessage());
                    }
                    yield new TcpRule(c, Kind.TRACK, name.charAt(name.length() - 1) - '0', key, table);
                }
            };
            (responseRule ? resp : content ? cont : r.keyword().endsWith("session") ? sess : conn).add(rule.at(r.where()));
        }
        return new TcpRules(conn.toArray(new TcpRule[0]), sess.toArray(new TcpRule[0]), cont.toArray(new TcpRule[0]),
                resp.toArray(new TcpRule[0]), delay, responseDelay);
    }

    /** set-var(name[,cond...]) expr, set-var-fmt(name[,cond...]) fmt, unset-var(name). */
    private static TcpRule variableRule(Rule r, String name, Cond c, Path base) {
        VariableAction.Target t = VariableAction.target(r, name);
        if (name.equals("unset-var")) {
            return new TcpRule(c, Kind.UNSET_VAR, 0, null, null, t.name(), 0, null);
        }
        if (r.args().isEmpty()) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                    + "' expects " + (name.equals("set-var") ? "a sample expression." : "a log-format string."));
        }
        String text = String.join(" ", r.args());
        try {
            return name.equals("set-var")
                    ? new TcpRule(c, Kind.SET_VAR, 0, SampleExpr.parse(text, base, null), null, t.name(), t.conditions(), null)
                    : new TcpRule(c, Kind.SET_VAR_FMT, 0, null, null, t.name(), t.conditions(), LogFormat.parse(text, base));
        } catch (io.haquark.acl.AclException e) {
            throw new io.haquark.acl.AclException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name + "' : " + e.getMessage());
        }
    }

    /** sc-inc-gpc(<idx>,<sc-id>) / sc-set-gpt(<idx>,<sc-id>): {index, counter}. */
    private static int[] indexAndCounter(Rule r, String name) {
        String action = r.action();
        int p = action.indexOf('(');
        String[] parts = p < 0 ? new String[0] : action.substring(p + 1, action.length() - 1).split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                    + "' expects an index and a stick counter between parentheses.");
        }
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }

    /** set-nice's value: -1024 .. 1024, as HAProxy checks it (the value itself changes nothing here). */
    static int niceValue(Rule r) {
        String v = r.args().isEmpty() ? "" : r.args().get(0);
        try {
            return Math.max(-1024, Math.min(1024, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " set-nice' expects an integer argument.");
        }
    }

    /** set-tos / set-mark's value: decimal, 0x hexadecimal or 0 octal, as strtoul reads it. */
    static int socketValue(Rule r, String name) {
        String v = r.args().isEmpty() ? "" : r.args().get(0);
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16)
                    : v.length() > 1 && v.startsWith("0") ? Long.parseLong(v.substring(1), 8) : Long.parseLong(v);
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + name
                    + "' expects an integer argument.");
        }
    }

    private static int counterArg(String action) {
        int p = action.indexOf('(');
        return p < 0 ? 0 : Integer.parseInt(action.substring(p + 1, action.length() - 1).trim());
    }

    /**
     * Layer 4 rules at accept time, connection rules then session rules: ACCEPT, REJECT (reset at
     * once) or SILENT_DROP (gone without a packet).
     */
    public ContentVerdict acceptConnection(SampleSource s) {
        ContentVerdict v = run(connection, s, SampleSource.AddressLevel.CONNECTION);
        if (v == ContentVerdict.REJECT || v == ContentVerdict.SILENT_DROP) {
            return v;
        }
        v = run(session, s, SampleSource.AddressLevel.SESSION);
        return v == ContentVerdict.REJECT || v == ContentVerdict.SILENT_DROP ? v : ContentVerdict.ACCEPT;
    }

    /** Layer 4 connection rules only (what runs before a PROXY header expect-proxy asked for). */
    public ContentVerdict acceptConnectionOnly(SampleSource s) {
        ContentVerdict v = run(connection, s, SampleSource.AddressLevel.CONNECTION);
        return v == ContentVerdict.REJECT || v == ContentVerdict.SILENT_DROP ? v : ContentVerdict.ACCEPT;
    }

    /** Layer 4 session rules only, once the PROXY header expect-proxy asked for has come. */
    public ContentVerdict acceptSession(SampleSource s) {
        ContentVerdict v = run(session, s, SampleSource.AddressLevel.SESSION);
        return v == ContentVerdict.REJECT || v == ContentVerdict.SILENT_DROP ? v : ContentVerdict.ACCEPT;
    }

    /** Whether a connection rule may ask for a PROXY header (expect-proxy layer4). */
    public boolean mayExpectProxy() {
        for (TcpRule r : connection) {
            if (r.kind == Kind.EXPECT_PROXY) {
                return true;
            }
        }
        return false;
    }

    public boolean hasContentRules() {
        return content.length > 0;
    }

    /**
     * What the content rules decided for a stream: go on, stop, or go on in HTTP (switch-mode
     * http), as the bytes say or as "proto h1" / "proto h2" fixes it.
     */
    public enum ContentVerdict { ACCEPT, REJECT, SWITCH_HTTP, SWITCH_H1, SWITCH_H2, WAIT, SILENT_DROP }

    public ContentVerdict contentVerdict(SampleSource s) {
        return run(content, s, SampleSource.AddressLevel.STREAM);
    }

    public boolean hasResponseRules() {
        return response.length > 0;
    }

    /**
     * tcp-response content rules on a response (configuration.txt "tcp-response content"): in HTTP
     * mode they run once the response headers are in, before the http-response rules.
     */
    public ResponseVerdict acceptResponse(SampleSource s) {
        for (int i = s.ruleCursor(); i < response.length; i++) {
            TcpRule r = response[i];
            boolean matched = r.cond.test(s);
            if (waits(s, i)) {
                return ResponseVerdict.WAIT;
            }
            if (!matched) {
                continue;
            }
            switch (r.kind) {
                case ACCEPT -> {
                    s.finalRule(r.where);
                    return ResponseVerdict.ACCEPT;
                }
                case REJECT -> {
                    s.finalRule(r.where);
                    return ResponseVerdict.REJECT;
                }
                case CLOSE -> {
                    s.finalRule(r.where);
                    return ResponseVerdict.CLOSE;
                }
                case SILENT_DROP -> {
                    s.finalRule(r.where);
                    return ResponseVerdict.SILENT_DROP;
                }
                default -> {
                    perform(r, s, SampleSource.AddressLevel.STREAM);
                    s.takeMayChange();             // an action takes the sample as it is; only conditions wait
                }
            }
        }
        s.ruleCursor(0);
        return ResponseVerdict.ACCEPT;
    }

    /**
     * A sample of rule {@code i} read data that is not all there yet (req.payload past the bytes
     * received, an MQTT packet cut short) while more may still come: the rules stop at this rule
     * and run again from it with more data, as HAProxy's rules wait on a sample that "may change".
     */
    private static boolean waits(SampleSource s, int i) {
        if (s.takeMayChange()) {
            s.ruleCursor(i);
            return true;
        }
        return false;
    }

    /** The rules in order until a final one (accept, close, switch-mode, reject); none accepts. */
    private static ContentVerdict run(TcpRule[] rules, SampleSource s, SampleSource.AddressLevel level) {
        for (int i = s.ruleCursor(); i < rules.length; i++) {
            TcpRule r = rules[i];
            boolean matched = r.cond.test(s);
            if (waits(s, i)) {
                return ContentVerdict.WAIT;
            }
            if (!matched) {
                continue;
            }
            switch (r.kind) {
                case ACCEPT, CLOSE -> {
                    s.finalRule(r.where);
                    return ContentVerdict.ACCEPT;
                }
                case SWITCH_HTTP -> {
                    s.finalRule(r.where);
                    return r.var == null ? ContentVerdict.SWITCH_HTTP
                            : r.var.equals("h2") ? ContentVerdict.SWITCH_H2 : ContentVerdict.SWITCH_H1;
                }
                case REJECT -> {
                    s.finalRule(r.where);
                    return ContentVerdict.REJECT;
                }
                case SILENT_DROP -> {
                    s.finalRule(r.where);
                    return ContentVerdict.SILENT_DROP;
                }
                default -> {
                    perform(r, s, level);
                    s.takeMayChange();             // an action takes the sample as it is; only conditions wait
                }
            }
        }
        s.ruleCursor(0);
        return ContentVerdict.ACCEPT;
    }

    private static void perform(TcpRule r, SampleSource s, SampleSource.AddressLevel level) {
        switch (r.kind) {
            case SET_ADDRESS -> AddressAction.apply(s, level, r.var, r.key.eval(s));
            case SET_GPT -> {
                StickTable.Entry e = s.tracked(r.counter);
                Object v = r.key.eval(s);
                if (e != null && v instanceof Long n) {
                    e.setGpt(r.var, r.varConditions, n);
                }
            }
            case TRACK -> track(r, s);
            case INC_GPC -> {
                StickTable.Entry e = s.tracked(r.counter);
                if (e != null) {
                    e.incrementGpc(r.var, r.varConditions);
                }
            }
            case SET_LOG_LEVEL -> s.setLogLevel(r.var);
            case CAPTURE -> {
                String v = r.key.evalString(s);
                if (v != null) {
                    s.capture(false, r.counter, v);
                }
            }
            case SET_VAR -> s.setVariable(r.var, VariableAction.single(r.key.eval(s)), r.varConditions);
            case SET_VAR_FMT -> s.setVariable(r.var, r.format.eval(s), r.varConditions);
            case UNSET_VAR -> s.unsetVariable(r.var);
            case SET_TOS -> SocketActions.setTos(s.frontChannel(), r.counter);
            case SET_MARK -> SocketActions.setMark(s.frontChannel(), r.counter);
            case EXPECT_PROXY -> s.expectProxy();
            case SET_PRIORITY -> {
                Long n = io.haquark.acl.ConverterRegistry.asLong(r.key.eval(s));
                if (n != null) {
                    s.setPriority(r.var.equals("offset"), n);
                }
            }
            default -> { }
        }
    }

    private static void track(TcpRule r, SampleSource s) {
        ConnectionTracking ct = s.connectionTracking();
        if (ct == null || ct.get(r.counter) != null) {
            return;
        }
        ct.track(r.counter, Tracking.entry(s, r.table, r.key));
    }
}
