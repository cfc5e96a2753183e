package io.haquark.health;

import io.haquark.model.HealthCheck;
import io.haquark.model.Proxy;
import io.haquark.model.Rule;
import io.haquark.model.Server;
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
    public record Expect(String kind, String value, boolean negate, Pattern regex, int minRecv, int step, String comment) {
        public Expect(String kind, String value, boolean negate, Pattern regex) {
            this(kind, value, negate, regex, -1, 0, null);
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
    public record Step(byte[] send, Expect expect, Connect connect) {
        public Step(byte[] send, Expect expect) {
            this(send, expect, null);
        }
    }

    /** A "tcp-check connect" rule: its port (0: the server's check port) and step number. */
    public record Connect(int port, int step) {
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

    private CheckPlan(String type, List<Step> steps, boolean http, boolean disableOn404) {
        this(type, steps, http, disableOn404, null, null);
    }

    private CheckPlan(String type, List<Step> steps, boolean http, boolean disableOn404, String command, String path) {
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
        return new CheckPlan("external", List.of(), false, false, command, path);
    }

    public static CheckPlan of(Proxy backend, Server server) {
        HealthCheck hc = backend.healthCheck();
        return switch (hc.type()) {
            case "http" -> http(hc, server);
            case "tcp-check" -> tcpCheck(hc);
            case "external" -> external(hc);
            case "redis" -> new CheckPlan("redis", List.of(new Step(bytes("PING\r\n"),
                    new Expect("string", "+PONG", false, null))), false, false);
            case "smtp" -> new CheckPlan("smtp", List.of(new Step(null, new Expect("rstring", "^2", false,
                    Pattern.compile("^2")))), false, false);
            case "mysql" -> mysql(hc);
            case "pgsql" -> new CheckPlan("pgsql", List.of(new Step(DatabaseChecks.pgsqlStartup(optionArgs(hc).get(1)),
                    new Expect("pgsql", "", false, null))), false, false);
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

    /** option httpchk [METH] [URI] [VER], then http-check send/expect lines (2.x forms). */
    private static CheckPlan http(HealthCheck hc, Server server) {
        String method = hc.httpMethod() == null ? "OPTIONS" : hc.httpMethod();
        String uri = hc.httpUri() == null ? "/" : hc.httpUri();
        String version = hc.httpVersion() == null ? "HTTP/1.0" : hc.httpVersion();
        List<String> headers = new ArrayList<>();
        String body = null;
        // The old form put headers after the version: "HTTP/1.1\r\nHost:\ www".
        int crlf = version.indexOf("\r\n");
        if (crlf >= 0) {
            for (String h : version.substring(crlf + 2).split("\r\n")) {
                if (!h.isBlank()) {
                    headers.add(h);
                }
            }
            version = version.substring(0, crlf);
        }
        Expect expect = new Expect("rstatus", "^[23]", false, Pattern.compile("^[23]"));
        for (Rule r : hc.steps()) {
            List<String> a = r.args();
            if (r.action().equals("send")) {
                for (int i = 0; i < a.size(); i++) {
                    switch (a.get(i)) {
                        case "meth" -> method = a.get(++i);
                        case "uri", "uri-lf" -> uri = a.get(++i);
                        case "ver" -> version = a.get(++i);
                        case "hdr" -> {
                            headers.add(a.get(i + 1) + ": " + a.get(i + 2));
                            i += 2;
                        }
                        case "body", "body-lf" -> body = a.get(++i);
                        default -> { }
                    }
                }
            } else if (r.action().equals("expect")) {
                expect = expectation(a);
            }
        }
        StringBuilder req = new StringBuilder(method + " " + uri + " " + version + "\r\n");
        boolean hasConnection = false;
        for (String h : headers) {
            req.append(h).append("\r\n");
            hasConnection |= h.toLowerCase().startsWith("connection:");
        }
        if (!hasConnection) {
            req.append("Connection: close\r\n");
        }
        if (body != null) {
            req.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        } else {
            req.append("\r\n");
        }
        return new CheckPlan("http", List.of(new Step(bytes(req.toString()), expect)), true, hc.disableOn404());
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
                || a.get(i).equals("ok-status") || a.get(i).equals("error-status") || a.get(i).equals("tout-status"))) {
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
                    int port = 0;
                    for (int i = 0; i + 1 < a.size(); i++) {
                        if (a.get(i).equals("port")) {
                            port = Integer.parseInt(a.get(i + 1));
                        }
                    }
                    steps.add(new Step(null, null, new Connect(port, step)));
                }
                case "send", "send-lf" -> pending = concat(pending, bytes(a.isEmpty() ? "" : a.get(0)));
                case "send-binary", "send-binary-lf" -> pending = concat(pending, java.util.HexFormat.of().parseHex(a.isEmpty() ? "" : a.get(0)));
                case "expect" -> {
                    steps.add(new Step(pending, expectation(a, step)));
                    pending = null;
                }
                default -> { }
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
