package io.haquark.runtime;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.Engine;
import io.haquark.engine.Routing;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.haquark.stats.StatsCsv;
import io.haquark.stats.StatsPage;
import io.haquark.stats.StatsScope;
import java.util.List;

/**
 * HAProxy's runtime API text commands (management guide §9.3), the subset haquark answers:
 * help, show info, show stat, show servers state, show backend, show sess, show table,
 * disable/enable server, set server state|health|weight, get weight, set weight, clear
 * counters, clear table, shutdown sessions server. Level "user" may only read.
 */
public final class RuntimeApi {
    private final Engine engine;

    public RuntimeApi(Engine engine) {
        this.engine = engine;
    }

    /**
     * A command with a payload: "add map <file> <<" followed by lines up to an empty one
     * (management.txt "Commands with a payload"). Each payload line is one entry.
     */
    public String execute(String line, String level, java.util.List<String> payload) {
        return execute(line, new Cli(level), payload);
    }

    /**
     * One client of the runtime API: its level, and whether it turned "experimental-mode" on
     * (management.txt §9.3), which lasts for its connection.
     */
    public static final class Cli {
        final String level;
        boolean experimental;

        public Cli(String level) {
            this.level = level;
        }
    }

    public String execute(String line, Cli cli, java.util.List<String> payload) {
        String level = cli.level;
        String[] w = line.trim().split("\\s+");
        if (PatternCommands.handles(w) && w[0].equals("add") && w.length == 3) {
            for (String entry : payload) {
                String answer = one(line.trim() + " " + entry.trim(), cli);
                if (!answer.equals("\n")) {
                    return answer;
                }
            }
            return "\n";
        }
        return payload.isEmpty() ? execute(line, cli) : one(line.trim(), cli, payload);
    }

    /** Runs one line (commands separated by ';'); returns the text to send back. */
    public String execute(String line, String level) {
        return execute(line, new Cli(level));
    }

    public String execute(String line, Cli cli) {
        StringBuilder out = new StringBuilder();
        for (String cmd : commands(line)) {
            String c = cmd.trim();
            if (!c.isEmpty()) {
                out.append(one(c, cli, List.of()));
            }
        }
        return out.toString();
    }

    /** The commands of a line: separated by ';', which a backslash keeps as text (management.txt §9.3). */
    static List<String> commands(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(c).append(line.charAt(++i));
            } else if (c == ';') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** The words of a command: split on blanks; a backslash makes the next character plain text ("\\*", "\\ "). */
    static String[] words(String cmd) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (c == '\\' && i + 1 < cmd.length()) {
                cur.append(cmd.charAt(++i));
                any = true;
            } else if (c == ' ' || c == '\t') {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out.isEmpty() ? new String[] {""} : out.toArray(new String[0]);
    }

    /** The access levels of "stats socket ... level" (management guide §9.3), lowest first. */
    enum Level {
        USER, OPERATOR, ADMIN;

        static Level of(String name) {
            return switch (name) {
                case "admin" -> ADMIN;
                case "operator" -> OPERATOR;
                default -> USER;
            };
        }
    }

    /** What a command does: the engine's API, the serving model, the words typed, the socket's level. */
    interface Executor {
        String run(RuntimeApi api, Routing r, String[] w, String level);

        /** Commands that take a payload ("set ssl cert <file> <<") override this one. */
        default String run(RuntimeApi api, Routing r, String[] w, String level, List<String> payload) {
            return run(api, r, w, level);
        }
    }

    /** The TLS store commands: the answer ends with an empty line, as every answer of the API. */
    private static final Executor SSL = new Executor() {
        @Override
        public String run(RuntimeApi api, Routing r, String[] w, String level) {
            return run(api, r, w, level, List.of());
        }

        @Override
        public String run(RuntimeApi api, Routing r, String[] w, String level, List<String> payload) {
            return new io.haquark.tls.SslRuntime(r.ssl).run(w, payload) + "\n";
        }
    };

    /**
     * One runtime API command: the words that name it, the level it needs (lower levels get
     * "Permission denied"), its help line, and its executor. {@link #COMMANDS} is the only
     * place a command is known: dispatch and "help" both read it.
     */
    record Command(List<String> words, Level level, String usage, String help, Executor executor, boolean experimental) {
        boolean matches(String[] w) {
            if (w.length < words.size()) {
                return false;
            }
            for (int i = 0; i < words.size(); i++) {
                if (!words.get(i).equals(w[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Command cmd(String words, Level level, String usage, String help, Executor e) {
        return new Command(List.of(words.split(" ")), level, usage, help, e, false);
    }

    /** A command HAProxy 2.6 only runs after "experimental-mode on" (it is not in "help" before). */
    private static Command experimental(String words, Level level, String usage, String help, Executor e) {
        return new Command(List.of(words.split(" ")), level, usage, help, e, true);
    }

    private static final String UNKNOWN_SERVER = "No such server.\n\n";

    /** Every command, in the order "help" lists them; the longest matching words win. */
    static final List<Command> COMMANDS = List.of(
            cmd("help", Level.USER, "help", "this message", (api, r, w, l) -> help(Level.of(l))),
            cmd("show info", Level.USER, "show info", "report information about the running process", (api, r, w, l) -> api.showInfo(r)),
            cmd("show stat", Level.USER, "show stat", "report counters for each proxy and server (CSV)",
                    (api, r, w, l) -> StatsCsv.render(r, new StatsScope(List.of(), ""), false) + "\n"),
            cmd("show servers state", Level.USER, "show servers state [<bk>]", "dump volatile server information",
                    (api, r, w, l) -> ServersState.render(r, w.length > 3 ? w[3] : null)),
            cmd("show backend", Level.USER, "show backend", "list backends", (api, r, w, l) -> {
                StringBuilder sb = new StringBuilder("# name\n");
                r.backends.keySet().forEach(n -> sb.append(n).append('\n'));
                return sb.append('\n').toString();
            }),
            cmd("get weight", Level.USER, "get weight <bk>/<srv>", "report a server's current weight", (api, r, w, l) -> {
                ServerState s = w.length > 2 ? server(r, w[2]) : null;
                return s == null ? UNKNOWN_SERVER : s.weight() + " (initial " + s.server.weight() + ")\n\n";
            }),
            cmd("set weight", Level.ADMIN, "set weight <bk>/<srv> <w>[%]", "change a server's weight", (api, r, w, l) -> {
                ServerState s = w.length > 3 ? server(r, w[2]) : null;
                return s == null ? UNKNOWN_SERVER : setWeight(s, w[3], r, w[2]);
            }),
            cmd("disable server", Level.ADMIN, "disable server <bk>/<srv>", "put a server in maintenance", (api, r, w, l) -> adminAction(r, w, "maint")),
            cmd("enable server", Level.ADMIN, "enable server <bk>/<srv>", "take a server out of maintenance", (api, r, w, l) -> adminAction(r, w, "ready")),
            cmd("set server", Level.ADMIN, "set server <bk>/<srv> state|health|weight|addr ...",
                    "ready/drain/maint, up/stopping/down, a weight, or a new address", (api, r, w, l) -> setServer(r, w)),
            cmd("show sess", Level.USER, "show sess", "one line per client connection", (api, r, w, l) -> {
                StringBuilder sb = new StringBuilder();
                api.engine.describeSessions().forEach(line -> sb.append(line).append('\n'));
                return sb.append('\n').toString();
            }),
            cmd("show table", Level.USER, "show table [<name>]", "stick tables, or the entries of one",
                    (api, r, w, l) -> showTable(r, w.length > 2 ? w[2] : null)),
            cmd("show events", Level.USER, "show events [<ring>]", "log sinks, or the lines of a ring",
                    (api, r, w, l) -> showEvents(w.length > 2 ? w[2] : null)),
            cmd("clear table", Level.ADMIN, "clear table <name> [key <k>]", "drop entries", (api, r, w, l) -> clearTable(r, w)),
            cmd("clear counters", Level.OPERATOR, "clear counters", "reset the max values", (api, r, w, l) -> clearCounters(r, false)),
            cmd("clear counters all", Level.ADMIN, "clear counters all", "reset every counter", (api, r, w, l) -> clearCounters(r, true)),
            cmd("shutdown sessions", Level.ADMIN, "shutdown sessions server <bk>/<srv>", "close the connections using a server",
                    (api, r, w, l) -> api.shutdownSessions(r, w)),
            cmd("add server", Level.ADMIN, "add server <bk>/<srv> <addr>[:<port>] [params]", "a new server, in maintenance",
                    (api, r, w, l) -> api.addOrDeleteServer(r, w)),
            cmd("del server", Level.ADMIN, "del server <bk>/<srv>", "remove a server in maintenance", (api, r, w, l) -> api.addOrDeleteServer(r, w)),
            cmd("enable health", Level.ADMIN, "enable health <bk>/<srv>", "start or resume its health checks", (api, r, w, l) -> api.checks(r, w)),
            cmd("disable health", Level.ADMIN, "disable health <bk>/<srv>", "pause its health checks", (api, r, w, l) -> api.checks(r, w)),
            cmd("enable agent", Level.ADMIN, "enable agent <bk>/<srv>", "start or resume its agent checks", (api, r, w, l) -> api.checks(r, w)),
            cmd("disable agent", Level.ADMIN, "disable agent <bk>/<srv>", "pause its agent checks", (api, r, w, l) -> api.checks(r, w)),
            cmd("set maxconn", Level.ADMIN, "set maxconn server|frontend <name> <n>", "change a server's or a frontend's maxconn",
                    (api, r, w, l) -> api.setMaxconn(r, w)),
            // HAProxy 2.6 lets every level read and edit pattern and map files.
            cmd("show acl", Level.USER, "show acl [<file>|#<id>]", "ACL pattern files, or the patterns of one", RuntimeApi::patterns),
            cmd("add acl", Level.USER, "add acl <file> <pattern>", "add a pattern to every ACL reading the file", RuntimeApi::patterns),
            cmd("del acl", Level.USER, "del acl <file> <pattern>", "remove a pattern", RuntimeApi::patterns),
            cmd("clear acl", Level.USER, "clear acl <file>", "remove every pattern", RuntimeApi::patterns),
            cmd("show map", Level.USER, "show map [<file>|#<id>]", "map files, or the entries of one", RuntimeApi::patterns),
            cmd("add map", Level.USER, "add map <file> <key> <value>", "add an entry", RuntimeApi::patterns),
            cmd("set map", Level.USER, "set map <file> <key> <value>", "change the value of a key", RuntimeApi::patterns),
            cmd("del map", Level.USER, "del map <file> <key>", "remove a key", RuntimeApi::patterns),
            cmd("clear map", Level.USER, "clear map <file>", "remove every entry", RuntimeApi::patterns),
            cmd("get var", Level.OPERATOR, "get var <name>", "retrieve contents of a process-wide variable",
                    (api, r, w, l) -> ProcessVariables.get(r, w)),
            experimental("set var", Level.OPERATOR, "set var <name> [fmt|expr] {<fmt>|<expr>}",
                    "set a process-wide variable", (api, r, w, l) -> ProcessVariables.set(r, w)),
            cmd("show ssl cert", Level.OPERATOR, "show ssl cert [<certfile>]", "display the SSL certificates used in memory", SSL),
            cmd("set ssl cert", Level.ADMIN, "set ssl cert <certfile> <payload>", "replace a certificate file", SSL),
            cmd("commit ssl cert", Level.ADMIN, "commit ssl cert <certfile>", "commit a certificate file", SSL),
            cmd("abort ssl cert", Level.ADMIN, "abort ssl cert <certfile>", "abort a transaction for a certificate file", SSL),
            cmd("new ssl cert", Level.ADMIN, "new ssl cert <certfile>", "create a new certificate file to be used in a crt-list", SSL),
            cmd("del ssl cert", Level.ADMIN, "del ssl cert <certfile>", "delete an unused certificate file", SSL),
            cmd("show ssl ca-file", Level.OPERATOR, "show ssl ca-file [<cafile>]", "display the SSL CA files used in memory", SSL),
            cmd("set ssl ca-file", Level.ADMIN, "set ssl ca-file <cafile> <payload>", "replace a CA file", SSL),
            cmd("commit ssl ca-file", Level.ADMIN, "commit ssl ca-file <cafile>", "commit a CA file", SSL),
            cmd("abort ssl ca-file", Level.ADMIN, "abort ssl ca-file <cafile>", "abort a transaction for a CA file", SSL),
            cmd("new ssl ca-file", Level.ADMIN, "new ssl ca-file <cafile>", "create a new CA file to be used in a crt-list", SSL),
            cmd("del ssl ca-file", Level.ADMIN, "del ssl ca-file <cafile>", "delete an unused CA file", SSL),
            cmd("show ssl crl-file", Level.OPERATOR, "show ssl crl-file [<crlfile>]", "display the SSL CRL files used in memory", SSL),
            cmd("set ssl crl-file", Level.ADMIN, "set ssl crl-file <crlfile> <payload>", "replace a CRL file", SSL),
            cmd("commit ssl crl-file", Level.ADMIN, "commit ssl crl-file <crlfile>", "commit a CRL file", SSL),
            cmd("abort ssl crl-file", Level.ADMIN, "abort ssl crl-file <crlfile>", "abort a transaction for a CRL file", SSL),
            cmd("new ssl crl-file", Level.ADMIN, "new ssl crl-file <crlfile>", "create a new CRL file to be used in a crt-list", SSL),
            cmd("del ssl crl-file", Level.ADMIN, "del ssl crl-file <crlfile>", "delete an unused CRL file", SSL),
            cmd("show ssl crt-list", Level.ADMIN, "show ssl crt-list [-n] [<list>]", "show the list of crt-lists or the content of one",
                    SSL),
            cmd("add ssl crt-list", Level.ADMIN, "add ssl crt-list <list> <cert> [opts]*", "add a line to a crt-list", SSL),
            cmd("del ssl crt-list", Level.ADMIN, "del ssl crt-list <list> <cert[:line]>", "delete a line from a crt-list", SSL),
            cmd("experimental-mode", Level.ADMIN, "experimental-mode [on|off]", "toggle experimental mode",
                    (api, r, w, l) -> "\n"));

    private static String patterns(RuntimeApi api, Routing r, String[] w, String level) {
        return PatternCommands.run(r.patterns, w);
    }

    /** The command a line names (the one with the most matching words), or null. */
    static Command find(String[] w) {
        Command best = null;
        for (Command c : COMMANDS) {
            if (c.matches(w) && (best == null || c.words().size() > best.words().size())) {
                best = c;
            }
        }
        return best;
    }

    /** "help": the commands of this level and below, from the registry. */
    static String help(Level level) {
        StringBuilder sb = new StringBuilder("The following commands are valid at this level:\n");
        for (Command c : COMMANDS) {
            if (c.level().ordinal() <= level.ordinal() && !c.experimental()) {
                sb.append(String.format("  %-48s: %s%n", c.usage(), c.help()));
            }
        }
        return sb.append('\n').toString();
    }

    private String one(String cmd, Cli cli) {
        return one(cmd, cli, List.of());
    }

    private String one(String cmd, Cli cli, List<String> payload) {
        String level = cli.level;
        String[] w = words(cmd);
        Command c = find(w);
        if (c == null) {
            boolean changes = w[0].equals("disable") || w[0].equals("enable") || w[0].equals("set");
            if (changes && Level.of(level) != Level.ADMIN) {
                return "Permission denied\n\n";
            }
            return unknown(cmd);
        }
        if (Level.of(level).ordinal() < c.level().ordinal()) {
            return "Permission denied\n\n";
        }
        if (c.words().get(0).equals("experimental-mode")) {
            cli.experimental = w.length < 2 || !w[1].equals("off");
        }
        if (c.experimental() && !cli.experimental) {
            return "This command is restricted to experimental mode only.\n\n";
        }
        return c.executor().run(this, engine.routing(), w, level, payload);
    }

    private String showInfo(Routing r) {
        return "Name: haquark\nVersion: " + io.haquark.model.Release.VERSION + "\nPid: " + ProcessHandle.current().pid()
                + "\nUptime_sec: " + (System.currentTimeMillis() - START) / 1000 + "\nMaxconn: "
                + r.config.global().maxconn() + "\nCurrConns: " + engine.activeConnections() + "\n\n";
    }

    private static String adminAction(Routing r, String[] w, String action) {
        ServerState s = w.length > 2 ? server(r, w[2]) : null;
        if (s == null) {
            return UNKNOWN_SERVER;
        }
        StatsPage.apply(s, action);
        return "\n";
    }

    private static String setServer(Routing r, String[] w) {
        ServerState s = w.length > 2 ? server(r, w[2]) : null;
        if (s == null) {
            return UNKNOWN_SERVER;
        }
        if (w.length < 5) {
            return "'set server <srv>' only supports 'state', 'health' and 'weight' here.\n\n";
        }
        String action = switch (w[3] + " " + w[4]) {
            case "state ready" -> "ready";
            case "state drain" -> "drain";
            case "state maint" -> "maint";
            case "health up" -> "hrunn";
            case "health down" -> "hdown";
            case "health stopping" -> "hnolb";
            default -> null;
        };
        if (w[3].equals("weight")) {
            return setWeight(s, w[4], r, w[2]);
        }
        if (w[3].equals("addr")) {
            return setAddress(s, w);
        }
        if (w[3].equals("fqdn")) {
            // Names are resolved at load time only until "resolvers" sections exist (issue on DNS discovery).
            return "set server <b>/<s> fqdn failed because no resolution is configured.\n";
        }
        if (action == null) {
            return "'set server <srv>' only supports 'state', 'health' and 'weight' here.\n\n";
        }
        StatsPage.apply(s, action);
        return "\n";
    }

    /** "show events": the log sinks (stdout, stderr, rings); "show events RING": the ring's lines. */
    private static String showEvents(String ring) {
        if (ring == null) {
            StringBuilder sb = new StringBuilder("Supported events sinks are listed below. Add -w(wait), -n(new). Any key to stop\n");
            sb.append(String.format("    %-10s : type=fd, %d dropped, standard output (fd#1)%n", "stdout", 0));
            sb.append(String.format("    %-10s : type=fd, %d dropped, standard output (fd#2)%n", "stderr", 0));
            for (io.haquark.logging.RingBuffer r : io.haquark.logging.Rings.all()) {
                sb.append(String.format("    %-10s : type=buffer, %d dropped, %s%n", r.spec().name(), r.dropped(), r.spec().description()));
            }
            return sb.append('\n').toString();
        }
        io.haquark.logging.RingBuffer r = io.haquark.logging.Rings.get(ring);
        if (r == null) {
            return "No such event sink\n";
        }
        StringBuilder sb = new StringBuilder();
        r.lines().forEach(l -> sb.append(l).append('\n'));
        return sb.append('\n').toString();
    }

    /** "show table": one line per table; "show table NAME": its entries with the counters it stores. */
    private static String showTable(Routing r, String name) {
        StringBuilder sb = new StringBuilder();
        for (var e : r.tables.entrySet()) {
            if (name != null && !name.equals(e.getKey())) {
                continue;
            }
            io.haquark.state.StickTable t = e.getValue();
            var entries = name == null ? null : t.snapshot();
            sb.append("# table: ").append(e.getKey()).append(", type: ").append(t.spec.type()).append(", size:")
                    .append(t.spec.size()).append(", used:").append(entries == null ? t.size() : entries.size()).append('\n');
            if (entries != null) {
                for (var en : entries.entrySet()) {
                    io.haquark.state.StickTable.Entry x = en.getValue();
                    sb.append("0x").append(Integer.toHexString(System.identityHashCode(x))).append(": key=").append(en.getKey())
                            .append(" use=").append(x.connCur.get())
                            .append(" exp=").append(t.remainingMs(x, System.currentTimeMillis()));
                    if (x.server != null) {
                        sb.append(" server_name=").append(x.server);
                    }
                    for (String store : dataTypesInDumpOrder(t.spec.store())) {
                        appendData(sb, t, x, store.contains("(") ? store.substring(0, store.indexOf('(')) : store);
                    }
                    sb.append('\n');
                }
            }
        }
        if (name != null && sb.length() == 0) {
            return "Unknown table\n\n";
        }
        return sb.append('\n').toString();
    }

    /**
     * One stored data type of an entry as "show table" prints it: a rate with its period in
     * milliseconds ("http_req_rate(10000)=3"), an array item by item ("gpc0=3 gpc1=0",
     * "gpc0_rate(10000)=3").
     */
    private static void appendData(StringBuilder sb, io.haquark.state.StickTable t, io.haquark.state.StickTable.Entry x, String type) {
        io.haquark.state.StickTable.Layout l = t.layout;
        switch (type) {
            case "gpt" -> {
                for (int i = 0; i < l.gptSize(); i++) {
                    sb.append(" gpt").append(i).append('=').append(x.gpt(i));
                }
            }
            case "gpc" -> {
                for (int i = 0; i < l.gpcSize(); i++) {
                    sb.append(" gpc").append(i).append('=').append(x.gpc(i));
                }
            }
            case "gpc_rate" -> {
                for (int i = 0; i < l.gpcRateSize(); i++) {
                    sb.append(" gpc").append(i).append("_rate(").append(t.periodMs("gpc_rate")).append(")=").append(x.gpcRate(i));
                }
            }
            default -> {
                sb.append(' ').append(type);
                if (type.endsWith("_rate")) {
                    sb.append('(').append(t.periodMs(type)).append(')');
                }
                sb.append('=').append(switch (type) {
                    case "conn_cur" -> x.connCur.get();
                    case "conn_cnt" -> x.connCnt.get();
                    case "sess_cnt" -> x.sessCnt.get();
                    case "http_req_cnt" -> x.httpReqCnt.get();
                    case "http_err_cnt" -> x.httpErrCnt.get();
                    case "http_fail_cnt" -> x.httpFailCnt.get();
                    case "gpc0" -> x.gpc(0);
                    case "gpc1" -> x.gpc(1);
                    case "gpt0" -> x.gpt(0);
                    case "gpc0_rate" -> x.gpcRate(0);
                    case "gpc1_rate" -> x.gpcRate(1);
                    case "bytes_in_cnt" -> x.bytesIn.get();
                    case "bytes_out_cnt" -> x.bytesOut.get();
                    case "server_id", "server_key" -> 0L;
                    default -> x.rate(type);
                });
            }
        }
    }

    /** HAProxy's stick-table data types in the order "show table" lists them, whatever the order of "store". */
    private static final java.util.List<String> DATA_TYPE_ORDER = java.util.List.of("server_id", "gpt0", "gpc0", "gpc0_rate",
            "conn_cnt", "conn_rate", "conn_cur", "sess_cnt", "sess_rate", "http_req_cnt", "http_req_rate", "http_err_cnt",
            "http_err_rate", "bytes_in_cnt", "bytes_in_rate", "bytes_out_cnt", "bytes_out_rate", "gpc1", "gpc1_rate",
            "server_key", "http_fail_cnt", "http_fail_rate", "gpt", "gpc", "gpc_rate");

    private static java.util.List<String> dataTypesInDumpOrder(java.util.List<String> store) {
        java.util.List<String> sorted = new java.util.ArrayList<>(store);
        sorted.sort(java.util.Comparator.comparingInt(st -> {
            int i = DATA_TYPE_ORDER.indexOf(st.contains("(") ? st.substring(0, st.indexOf('(')) : st);
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return sorted;
    }

    /** clear counters [all]: the max values, or (all) every counter of every proxy and server. */
    private static String clearCounters(Routing r, boolean all) {
        java.util.List<io.haquark.state.Counters> every = new java.util.ArrayList<>();
        r.frontends.values().forEach(f -> every.add(f.state.counters));
        for (BackendRuntime b : r.backends.values()) {
            every.add(b.state.counters);
            for (ServerState s : b.state.servers()) {
                every.add(s.counters);
            }
        }
        every.forEach(c -> {
            if (all) {
                c.clearAll();
            } else {
                c.clearMax();
            }
        });
        return "\n";
    }

    /** clear table NAME [key K]. */
    private static String clearTable(Routing r, String[] w) {
        if (w.length < 3) {
            return unknown(String.join(" ", w));
        }
        io.haquark.state.StickTable t = r.table(w[2]);
        if (t == null) {
            return "Unknown table\n\n";
        }
        t.clear(w.length >= 5 && w[3].equals("key") ? w[4] : null);
        return "\n";
    }

    /** shutdown sessions server B/S. */
    private String shutdownSessions(Routing r, String[] w) {
        if (w.length < 4 || !w[2].equals("server")) {
            return unknown(String.join(" ", w));
        }
        ServerState s = server(r, w[3]);
        if (s == null) {
            return UNKNOWN_SERVER;
        }
        engine.shutdownSessions(s);
        return "\n";
    }

    private static String unknown(String cmd) {
        return "Unknown command: '" + cmd + "'. Type 'help' for the commands haquark knows.\n\n";
    }

    /** add server b/s addr[:port] [params], del server b/s: HAProxy 2.6's dynamic servers, with its answers. */
    private String addOrDeleteServer(Routing r, String[] w) {
        boolean add = w[0].equals("add");
        if (w.length < (add ? 4 : 3) || w[2].indexOf('/') < 0) {
            return "'server' expects <name> and <addr>[:<port>] as arguments.\n\n";
        }
        String backend = w[2].substring(0, w[2].indexOf('/'));
        String name = w[2].substring(w[2].indexOf('/') + 1);
        BackendRuntime b = r.backend(backend);
        if (b == null) {
            return "No such backend.\n";
        }
        if (!add) {
            ServerState s = b.state.server(name);
            if (s == null) {
                return "No such server.\n";
            }
            String refused = engine.deleteServer(b, s);
            return (refused == null ? "Server deleted." : refused) + "\n";
        }
        if (!b.acceptsDynamicServers()) {
            return "Backend must use a dynamic load balancing to support dynamic servers.\n";
        }
        if (b.state.server(name) != null) {
            return "Already exists a server with the same name in backend.\n\n";
        }
        java.util.List<String> params = java.util.List.of(w).subList(4, w.length);
        int proto = params.indexOf("proto");
        if (proto >= 0 && proto + 1 < params.size() && params.get(proto + 1).equals("h2")
                && b.proxy.mode() != io.haquark.model.Mode.HTTP) {
            // An HTTP/2 server in a TCP backend: HAProxy has no multiplexer for that pairing.
            return "MUX protocol is not usable for server.\n";
        }
        try {
            io.haquark.model.Server s = io.haquark.config.ServerLines.dynamic(name, w[3],
                    java.util.List.of(java.util.Arrays.copyOfRange(w, 4, w.length)));
            ServerState tracked = null;
            String track = s.options().get("track");
            if (track != null) {
                int slash = track.indexOf('/');
                io.haquark.engine.BackendRuntime owner = slash < 0 ? b : r.backend(track.substring(0, slash));
                if (owner == null) {
                    return "unable to find required proxy '" + track.substring(0, slash) + "' for tracking.\n\n";
                }
                String tn = slash < 0 ? track : track.substring(slash + 1);
                tracked = owner.state.server(tn);
                if (tracked == null) {
                    return "unable to find required server '" + tn + "' for tracking.\n\n";
                }
                if (tracked.server.where() != null && "runtime".equals(tracked.server.where().file())) {
                    return "unable to use " + owner.state.name() + "/" + tn + " for tracking as it is a dynamic server.\n\n";
                }
                if (!tracked.server.trackable()) {
                    return "unable to use " + owner.state.name() + "/" + tn + " for tracking as it does not have any check nor agent"
                            + " enabled.\n\n";
                }
            }
            engine.addServer(b, s);
            if (tracked != null) {
                b.state.server(name).track(tracked);
            }
            return "New server registered.\n\n";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n\n";
        }
    }

    /** enable|disable health|agent b/s: a server's health checks or agent checks on (started for a server added at run time) or off. */
    private String checks(Routing r, String[] w) {
        ServerState s = w.length > 2 ? server(r, w[2]) : null;
        if (s == null) {
            return UNKNOWN_SERVER;
        }
        boolean agent = w[1].equals("agent");
        if (w[0].equals("disable")) {
            if (agent) {
                s.agentEnabled = false;
            } else {
                s.checksEnabled = false;
            }
            return "\n";
        }
        io.haquark.engine.BackendRuntime b = r.backend(w[2].substring(0, w[2].indexOf('/')));
        String refused = agent ? engine.enableAgent(b, s) : engine.enableHealth(b, s);
        return refused == null ? "\n" : refused + "\n\n";
    }

    /** set maxconn server b/s N | frontend f N; global is not adjustable here (no process-wide limit of its own). */
    private String setMaxconn(Routing r, String[] w) {
        if (w.length < 5 || !(w[2].equals("server") || w[2].equals("frontend"))) {
            if (w.length >= 3 && w[2].equals("global")) {
                return "'set maxconn global' is not supported by haquark yet: each frontend's maxconn applies.\n\n";
            }
            return "'set maxconn' only supports 'frontend', 'server' and 'global'.\n\n";
        }
        int v;
        try {
            v = Integer.parseInt(w[4]);
        } catch (NumberFormatException e) {
            return "maxconn string empty or preceded by garbage\n";
        }
        if (v < 0) {
            return "Value out of range.\n\n";
        }
        if (w[2].equals("server")) {
            ServerState s = server(r, w[3]);
            if (s == null) {
                return UNKNOWN_SERVER;
            }
            s.setMaxconn(v);
            return "\n";
        }
        io.haquark.engine.FrontendRuntime f = r.frontends.get(w[3]);
        if (f == null) {
            return "No such frontend.\n\n";
        }
        if (v == 0) {
            return "Value out of range.\n\n";
        }
        engine.setMaxconn(f, v);
        return "\n";
    }

    /** set server <b>/<s> addr <ip> [port <port>]: an IP address, as HAProxy takes it here (no name lookup). */
    private static String setAddress(ServerState s, String[] w) {
        String ip = w[4];
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return "Invalid addr: '" + ip + "'. An IP address is expected.\n\n";
        }
        int port = -1;
        if (w.length >= 7 && w[5].equals("port")) {
            try {
                port = Integer.parseInt(w[6]);
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                return "Invalid port: '" + w[6] + "'.\n\n";
            }
        }
        java.net.InetAddress a;
        try {
            a = java.net.InetAddress.getByName(ip);   // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            return "Invalid addr: '" + ip + "'.\n\n";
        }
        String old = s.address == null ? s.host() : s.address.getHostAddress();
        int oldPort = s.portOverride >= 0 ? s.portOverride : s.server.port();
        s.setAddress(a, port);
        return "IP changed from '" + old + "' to '" + ip + "'" + (port >= 0 ? ", port changed from '" + oldPort + "' to '" + port + "'" : "")
                + " by 'stats socket command'\n\n";
    }

    private static String setWeight(ServerState s, String v, Routing r, String id) {
        try {
            int weight = v.endsWith("%") ? s.server.weight() * Integer.parseInt(v.substring(0, v.length() - 1)) / 100
                    : Integer.parseInt(v);
            if (weight < 0 || weight > 256) {
                return "Absolute weight can only be between 0 and 256 inclusive.\n\n";
            }
            s.setWeight(weight);
            return "\n";
        } catch (NumberFormatException e) {
            return "Require <weight> or <weight%>.\n\n";
        }
    }

    private static ServerState server(Routing r, String id) {
        int slash = id.indexOf('/');
        if (slash < 0) {
            return null;
        }
        BackendRuntime b = r.backend(id.substring(0, slash));
        return b == null ? null : b.state.server(id.substring(slash + 1));
    }

    static final long START = System.currentTimeMillis();

}
