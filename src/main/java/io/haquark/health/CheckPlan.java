package io.haquark.health;

import io.haquark.model.HealthCheck;
import io.haquark.model.Proxy;
import io.haquark.model.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one check of a backend's servers sends and expects, built once from option httpchk /
 * http-check / tcp-check / the protocol checks. A plan is a list of send/expect steps run
 * on one connection; an empty plan is a plain TCP connect check.
 */
public final class CheckPlan {

    /** One expectation on the bytes received so far. */
    /**
     * @param minRecv bytes to wait for before deciding (min-recv), -1 when not set: then a
     *                mismatch waits for more data until the server closes or the check times out
     * @param step    the rule's step number as HAProxy reports it in check results, 0 when not a tcp-check
     * @param comment the rule's comment, or null
     */
    public record Expect(String kind, String value, boolean negate, Pattern regex, int minRecv, int step, String comment,
                         HttpChecks.HeaderMatch header) {
        public Expect(String kind, String value, boolean negate, Pattern regex) {
            this(kind, value, negate, regex, -1, 0, null, null);
        }

        public Expect(String kind, String value, boolean negate, Pattern regex, int minRecv, int step, String comment) {
            this(kind, value, negate, regex, minRecv, step, comment, null);
        }

        /** What a failure report says about this rule, as HAProxy describes it ("expect string 'x'"). */
        String describe() {
            return switch (kind) {
                case "string" -> "expect string '" + value + "'";
                case "binary" -> "expect binary '" + value + "'";
                case "rstring" -> "expect regex";
                case "rbinary" -> "expect binary regex";
                default -> "expect " + kind;
            };
        }
    }

    /**
     * One step: bytes to send and what to expect, or (connect != null) a new connection, the
     * previous one closed ("tcp-check connect [port N]").
     */
    public record Step(byte[] send, Expect expect, Connect connect, HttpChecks.Send httpSend, HttpChecks.VarStep var) {
        public Step(byte[] send, Expect expect) {
            this(send, expect, null, null, null);
        }

        public Step(byte[] send, Expect expect, Connect connect) {
            this(send, expect, connect, null, null);
        }
    }

    /**
     * A "tcp-check connect" / "http-check connect" rule: its port (0: the server's check port),
     * address (null: the server's, else resolved once when the plan is built, as HAProxy resolves
     * it at load) and step number.
     */
    public record Connect(int port, int step, java.net.InetAddress addr) {
        /** "connect [port N] [addr A[:P]]", the other options (warned at load) left aside. */
        static Connect parse(List<String> a, int step) {
            int port = 0;
            String addr = null;
            for (int i = 0; i + 1 < a.size(); i++) {
                if (a.get(i).equals("port")) {
                    port = Integer.parseInt(a.get(++i));
                } else if (a.get(i).equals("addr")) {
                    addr = a.get(++i);
                    int colon = addr.lastIndexOf(':');
                    if (colon > 0 && addr.indexOf(':') == colon) {
                        if (port == 0) {
                            port = Integer.parseInt(addr.substring(colon + 1));
                        }
                        addr = addr.substring(0, colon);
                    }
                }
            }
            try {
                return new Connect(port, step, addr == null ? null : java.net.InetAddress.getByName(addr));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("'connect' : 'addr' : invalid address: '" + addr + "'", e);
            }
        }

        /** HAProxy's words for it in a failure report. */
        String describe() {
            return port > 0 ? "connect port " + port : "connect";
        }
    }

    public final String type;
    public final List<Step> steps;
    /** HTTP checks read a status line; others read raw bytes. */
    public final boolean http;
    public final boolean disableOn404;
    /** option external-check: "external-check command" and "external-check path" (null when not set). */
    public final String externalCommand;
    public final String externalPath;
    /** http-check send-state: each request carries the server's state. */
    final boolean sendState;

    private CheckPlan(String type, List<Step> steps, boolean http, boolean disableOn404) {
        this(type, steps, http, disableOn404, null, null, false);
    }

    private CheckPlan(String type, List<Step> steps, boolean http, boolean disableOn404, String command, String path,
                      boolean sendState) {
        this.sendState = sendState;
        this.type = type;
        this.steps = List.copyOf(steps);
        this.http = http;
        this.disableOn404 = disableOn404;
        this.externalCommand = command;
        this.externalPath = path;
    }

    private static CheckPlan external(HealthCheck hc) {
        String command = null;
        String path = null;
        for (Rule r : hc.steps()) {
            if (r.keyword().equals("external-check")) {
                if (r.action().equals("command")) {
                    command = r.args().get(0);
                } else {
                    path = r.args().get(0);
                }
            }
        }
        return new CheckPlan("external", List.of(), false, false, command, path, false);
    }

    public static CheckPlan of(Proxy backend) {
        HealthCheck hc = backend.healthCheck();
        return switch (hc.type()) {
            case "http" -> http(hc);
            case "tcp-check" -> tcpCheck(hc);
            case "external" -> external(hc);
            case "redis" -> new CheckPlan("redis", List.of(new Step(bytes("PING\r\n"),
                    new Expect("string", "+PONG", false, null))), false, false);
            case "smtp" -> new CheckPlan("smtp", List.of(new Step(null, new Expect("rstring", "^2", false,
                    Pattern.compile("^2")))), false, false);
            case "mysql" -> mysql(hc);
            case "pgsql" -> new CheckPlan("pgsql", List.of(new Step(DatabaseChecks.pgsqlStartup(optionArgs(hc).get(1)),
                    new Expect("pgsql", "", false, null))), false, false);
            case "ldap" -> new CheckPlan("ldap", List.of(new Step(DatabaseChecks.LDAP_BIND,
                    new Expect("ldap", "", false, null))), false, false);
            case "ssl-hello" -> new CheckPlan("ssl-hello", List.of(new Step(SslHello.CLIENT_HELLO,
                    new Expect("ssl", "", false, null))), false, false);
            default -> new CheckPlan("tcp", List.of(), false, false);
        };
    }

    /** The arguments of the check's own option line ("option mysql-check user x post-41"), kept as a step. */
    private static List<String> optionArgs(HealthCheck hc) {
        for (Rule r : hc.steps()) {
            if (r.keyword().equals("option")) {
                return r.args();
            }
        }
        return List.of();
    }

    /** option mysql-check: the greeting alone, or with "user" a login (and QUIT) and its answer. */
    private static CheckPlan mysql(HealthCheck hc) {
        List<String> a = optionArgs(hc);
        Expect greeting = new Expect("mysql-greeting", "", false, null);
        if (a.size() < 2) {
            return new CheckPlan("mysql", List.of(new Step(null, greeting)), false, false);
        }
        // As HAProxy does, the login (and QUIT) leaves with the connection, before the greeting is read.
        boolean pre41 = a.size() > 2 && a.get(2).equals("pre-41");
        return new CheckPlan("mysql", List.of(new Step(DatabaseChecks.mysqlLogin(a.get(1), pre41), greeting),
                new Step(null, new Expect("mysql-login", "", false, null))), false, false);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** option httpchk, then the http-check rules in order (HttpChecks builds them). */
    private static CheckPlan http(HealthCheck hc) {
        boolean sendState = hc.steps().stream().anyMatch(r -> r.keyword().equals("http-check") && r.action().equals("send-state"));
        return new CheckPlan("http", HttpChecks.steps(hc), true, hc.disableOn404(), null, null, sendState);
    }

    /** "expect [!] status|rstatus|string|rstring <pattern>" (also tcp-check's binary/rbinary). */
    static Expect expectation(List<String> a) {
        return expectation(a, 0);
    }

    static Expect expectation(List<String> a, int step) {
        int i = 0;
        boolean negate = false;
        int minRecv = -1;
        String comment = null;
        while (i < a.size() && (a.get(i).equals("!") || a.get(i).equals("min-recv") || a.get(i).startsWith("comment")
                || a.get(i).equals("ok-status") || a.get(i).equals("error-status") || a.get(i).equals("tout-status")
                || a.get(i).equals("on-success") || a.get(i).equals("on-error") || a.get(i).equals("status-code"))) {
            if (a.get(i).equals("!")) {
                negate = true;
                i++;
            } else {
                if (a.get(i).equals("min-recv") && i + 1 < a.size()) {
                    minRecv = Integer.parseInt(a.get(i + 1));
                }
                i += 2;
            }
        }
        String kind = i < a.size() ? a.get(i) : "status";
        if (kind.startsWith("!")) {
            // "!rstring" written as one word negates as "! rstring" does.
            negate = true;
            kind = kind.substring(1);
        }
        String value = i + 1 < a.size() ? a.get(i + 1) : "";
        // Options may also follow the pattern: "expect string valid comment 'x'".
        for (int j = i + 2; j + 1 < a.size(); j += 2) {
            if (a.get(j).equals("comment")) {
                comment = a.get(j + 1);
            } else if (a.get(j).equals("min-recv")) {
                minRecv = Integer.parseInt(a.get(j + 1));
            }
        }
        for (int j = 0; j + 1 < i; j++) {
            if (a.get(j).equals("comment")) {
                comment = a.get(j + 1);
            }
        }
        if (kind.equals("hdr") || kind.equals("fhdr")) {
            return new Expect(kind, "", negate, null, minRecv, step, comment, HttpChecks.headerMatch(kind, a, i + 1));
        }
        Pattern re = kind.startsWith("r") ? Pattern.compile(value) : null;
        return new Expect(kind, value, negate, re, minRecv, step, comment);
    }

    /** tcp-check connect / send / send-binary / expect lines, in order. */
    private static CheckPlan tcpCheck(HealthCheck hc) {
        List<Step> steps = new ArrayList<>();
        byte[] pending = null;
        // Step numbers count every tcp-check rule from 1, after an implicit connect (step 0)
        // when the rules do not start with one, as HAProxy reports them ("at step 2 of tcp-check").
        List<Rule> rules = hc.steps().stream().filter(r -> r.keyword().equals("tcp-check")).toList();
        boolean implicitConnect = rules.stream().filter(r -> !r.action().equals("comment")).findFirst()
                .map(r -> !r.action().equals("connect")).orElse(true);
        int index = implicitConnect ? 1 : 0;
        for (Rule r : hc.steps()) {
            List<String> a = r.args();
            int step = r.keyword().equals("tcp-check") ? ++index : 0;
            switch (r.action()) {
                case "connect" -> {
                    if (pending != null) {
                        steps.add(new Step(pending, null));
                        pending = null;
                    }
                    steps.add(new Step(null, null, Connect.parse(a, step)));
                }
                case "send", "send-lf" -> pending = concat(pending, bytes(a.isEmpty() ? "" : a.get(0)));
                default -> {
                    if (r.action().startsWith("set-var(") || r.action().startsWith("unset-var(")) {
                        if (pending != null) {
                            steps.add(new Step(pending, null));
                            pending = null;
                        }
                        steps.add(HttpChecks.varStep(r));
                    }
                }
                case "send-binary", "send-binary-lf" -> pending = concat(pending, java.util.HexFormat.of().parseHex(a.isEmpty() ? "" : a.get(0)));
                case "expect" -> {
                    steps.add(new Step(pending, expectation(a, step)));
                    pending = null;
                }
            }
        }
        if (pending != null) {
            steps.add(new Step(pending, null));
        }
        return new CheckPlan("tcp-check", steps, false, false);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
