package io.haquark.health;

import io.haquark.acl.Matcher;
import io.haquark.acl.SampleExpr;
import io.haquark.model.HealthCheck;
import io.haquark.model.Rule;
import io.haquark.rules.LogFormat;
import io.haquark.rules.VariableAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HTTP checks as HAProxy 2.2+ runs them (configuration.txt §4.2 "option httpchk", "http-check
 * connect / send / expect / set-var / unset-var / send-state"): a list of rules, each connect
 * opening a new connection, each send a request, the expects after it judging its response.
 */
final class HttpChecks {
    private HttpChecks() {
    }

    /** One request: a literal or log-format URI and body, headers whose values are log-formats. */
    record Send(String method, String uri, LogFormat uriFmt, String version, List<Header> headers, String body,
                LogFormat bodyFmt) {
    }

    record Header(String name, LogFormat value) {
    }

    /** "set-var(check.x) <expr>" (expr != null) or "unset-var(check.x)". */
    record VarStep(String name, int conditions, SampleExpr expr) {
        void apply(CheckSamples s) {
            if (expr == null) {
                s.unsetVariable(name);
                return;
            }
            Object v = expr.eval(s);
            if (v instanceof List<?> l) {
                v = l.isEmpty() ? null : l.get(l.size() - 1);
            }
            if (v != null) {
                s.setVariable(name, v, conditions);
            }
        }
    }

    /**
     * "expect [!] hdr|fhdr name [-m meth] <name> [value [-m meth] <value>]", name-lf / value-lf
     * taking log-formats; names match without case, values with it. The -m methods are the
     * ACL matchers'; a literal pattern is compiled once, a log-format one at each check.
     */
    record HeaderMatch(boolean full, String nameMethod, Matcher name, LogFormat nameFmt, String valueMethod,
                       Matcher value, LogFormat valueFmt) {
        static HeaderMatch of(boolean full, String nameMethod, String name, LogFormat nameFmt, String valueMethod,
                              String value, LogFormat valueFmt) {
            return new HeaderMatch(full, nameMethod, name == null ? null : matcher(nameMethod, name, true), nameFmt,
                    valueMethod, valueMethod == null || value == null ? null : matcher(valueMethod, value, false), valueFmt);
        }

        private static Matcher matcher(String method, String pattern, boolean ignoreCase) {
            return Matcher.compile(method, List.of(pattern), ignoreCase);
        }

        boolean matches(CheckSamples s, Response r) {
            Matcher n = name != null ? name : nameFmt != null ? matcher(nameMethod, nameFmt.eval(s), true) : null;
            Matcher v = valueMethod == null ? null : value != null ? value
                    : valueFmt != null ? matcher(valueMethod, valueFmt.eval(s), false) : null;
            if (n == null || valueMethod != null && v == null) {
                return false;
            }
            for (String[] h : r.headers) {
                if (!n.matchOne(h[0])) {
                    continue;
                }
                if (v == null) {
                    return true;
                }
                if (full) {
                    if (v.matchOne(h[1])) {
                        return true;
                    }
                    continue;
                }
                for (String one : h[1].split(",")) {
                    if (v.matchOne(one.trim())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** A response as far as it came: status line, headers, and the body when complete. */
    static final class Response {
        String version;
        int status;
        String reason = "";
        final List<String[]> headers = new ArrayList<>();
        /** The body, de-chunked; null until it is complete (or the server closed, or the buffer is full). */
        byte[] body;
        boolean invalid;
    }

    /** The default answer HAProxy expects when a send has no expect after it: a 2xx or 3xx status. */
    static final CheckPlan.Expect DEFAULT_EXPECT = new CheckPlan.Expect("rstatus", "^[23]", false, Pattern.compile("^[23]"));

    /** The rules of an HTTP check, implicit connect, send and expects included. */
    static List<CheckPlan.Step> steps(HealthCheck hc) {
        Send optionSend = optionSend(hc);
        List<CheckPlan.Step> items = new ArrayList<>();
        boolean merged = false;
        int index = 0;
        for (Rule r : hc.steps()) {
            if (!r.keyword().equals("http-check")) {
                continue;
            }
            index++;
            List<String> a = r.args();
            String action = r.action();
            if (action.equals("connect")) {
                items.add(new CheckPlan.Step(null, null, CheckPlan.Connect.parse(a, index)));
            } else if (action.equals("send")) {
                // configuration.txt "http-check send": the first one completes "option httpchk"'s request.
                items.add(send(a, merged ? null : optionSend));
                merged = true;
            } else if (action.equals("expect")) {
                items.add(new CheckPlan.Step(null, CheckPlan.expectation(a)));
            } else if (action.startsWith("set-var(") || action.startsWith("unset-var(")) {
                items.add(varStep(r));
            }
        }
        if (!merged) {
            // No "http-check send": option httpchk's request goes first on the first connection.
            int at = !items.isEmpty() && items.get(0).connect() != null ? 1 : 0;
            items.add(at, new CheckPlan.Step(null, null, null, optionSend, null));
        }
        // A send with no expect before the next send or connect gets the implicit one.
        List<CheckPlan.Step> out = new ArrayList<>(items.size() + 2);
        boolean awaiting = false;
        for (CheckPlan.Step s : items) {
            if ((s.httpSend() != null || s.connect() != null) && awaiting) {
                out.add(new CheckPlan.Step(null, DEFAULT_EXPECT));
                awaiting = false;
            }
            if (s.httpSend() != null) {
                awaiting = true;
            } else if (s.expect() != null) {
                awaiting = false;
            }
            out.add(s);
        }
        if (awaiting) {
            out.add(new CheckPlan.Step(null, DEFAULT_EXPECT));
        }
        return out;
    }

    /** A set-var / unset-var rule of http-check or tcp-check. */
    static CheckPlan.Step varStep(Rule r) {
        String action = r.action();
        boolean set = action.startsWith("set-var(");
        VariableAction.Target t = VariableAction.parse(action.substring(action.indexOf('(') + 1, action.length() - 1), set);
        SampleExpr expr = set ? SampleExpr.parse(String.join(" ", r.args()), null, null) : null;
        return new CheckPlan.Step(null, null, null, null, new VarStep(t.name(), t.conditions(), expr));
    }

    /** option httpchk [<method>] [<uri>] [<version>] (headers after the version in the old form). */
    private static Send optionSend(HealthCheck hc) {
        String version = hc.httpVersion() == null ? "HTTP/1.0" : hc.httpVersion();
        List<Header> headers = new ArrayList<>();
        int crlf = version.indexOf("\r\n");
        if (crlf >= 0) {
            for (String h : version.substring(crlf + 2).split("\r\n")) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.add(new Header(h.substring(0, colon).trim(), LogFormat.parse(h.substring(colon + 1).trim(), null)));
                }
            }
            version = version.substring(0, crlf);
        }
        return new Send(hc.httpMethod() == null ? "OPTIONS" : hc.httpMethod(), hc.httpUri() == null ? "/" : hc.httpUri(),
                null, version, headers, null, null);
    }

    /** "send [meth M] [uri U | uri-lf F] [ver V] [hdr N F]* [body S | body-lf F]", over base when merging. */
    private static CheckPlan.Step send(List<String> a, Send base) {
        String method = null;
        String uri = null;
        LogFormat uriFmt = null;
        String version = null;
        String body = null;
        LogFormat bodyFmt = null;
        List<Header> headers = new ArrayList<>(base == null ? List.of() : base.headers());
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "meth" -> method = a.get(++i);
                case "uri" -> uri = a.get(++i);
                case "uri-lf" -> uriFmt = LogFormat.parse(a.get(++i), null);
                case "ver" -> version = a.get(++i);
                case "hdr" -> {
                    headers.add(new Header(a.get(i + 1), LogFormat.parse(a.get(i + 2), null)));
                    i += 2;
                }
                case "body" -> body = a.get(++i);
                case "body-lf" -> bodyFmt = LogFormat.parse(a.get(++i), null);
                default -> { }
            }
        }
        if (base != null) {
            method = method == null ? base.method() : method;
            if (uri == null && uriFmt == null) {
                uri = base.uri();
            }
            version = version == null ? base.version() : version;
        }
        Send s = new Send(method == null ? "GET" : method, uri == null && uriFmt == null ? "/" : uri, uriFmt,
                version == null ? "HTTP/1.0" : version, List.copyOf(headers), body, bodyFmt);
        return new CheckPlan.Step(null, null, null, s, null);
    }

    /** "expect ... hdr|fhdr ..." after the options: the name and value tests. */
    static HeaderMatch headerMatch(String kind, List<String> a, int from) {
        String nameMethod = "str";
        String name = null;
        LogFormat nameFmt = null;
        String valueMethod = null;
        String value = null;
        LogFormat valueFmt = null;
        boolean inValue = false;
        String method = "str";
        for (int i = from; i < a.size(); i++) {
            String w = a.get(i);
            switch (w) {
                case "-m" -> method = i + 1 < a.size() ? a.get(++i) : "str";
                case "name", "name-lf" -> {
                    inValue = false;
                    method = "str";
                    if (i + 1 < a.size() && a.get(i + 1).equals("-m")) {
                        method = i + 2 < a.size() ? a.get(i + 2) : "str";
                        i += 2;
                    }
                    nameMethod = method;
                    if (i + 1 < a.size()) {
                        if (w.equals("name")) {
                            name = a.get(++i);
                        } else {
                            nameFmt = LogFormat.parse(a.get(++i), null);
                        }
                    }
                }
                case "value", "value-lf" -> {
                    inValue = true;
                    method = "str";
                    if (i + 1 < a.size() && a.get(i + 1).equals("-m")) {
                        method = i + 2 < a.size() ? a.get(i + 2) : "str";
                        i += 2;
                    }
                    valueMethod = method;
                    if (i + 1 < a.size()) {
                        if (w.equals("value")) {
                            value = a.get(++i);
                        } else {
                            valueFmt = LogFormat.parse(a.get(++i), null);
                        }
                    }
                }
                case "comment", "min-recv", "ok-status", "error-status", "tout-status", "on-success", "on-error",
                     "status-code" -> i++;
                default -> { }
            }
        }
        return HeaderMatch.of(kind.equals("fhdr"), nameMethod, name, nameFmt, valueMethod, value, valueFmt);
    }

    /** The request bytes of a send, its log-formats evaluated on this run's samples. */
    static byte[] render(Send s, CheckSamples samples, String serverState) {
        String uri = s.uriFmt() != null ? s.uriFmt().eval(samples) : s.uri();
        StringBuilder req = new StringBuilder(128).append(s.method()).append(' ').append(uri.isEmpty() ? "/" : uri)
                .append(' ').append(s.version()).append("\r\n");
        boolean connection = false;
        boolean length = false;
        for (Header h : s.headers()) {
            // HAProxy sends header names in lower case (its HTX form).
            String name = h.name().toLowerCase(Locale.ROOT);
            connection |= name.equals("connection");
            length |= name.equals("content-length");
            req.append(name).append(": ").append(h.value().eval(samples)).append("\r\n");
        }
        if (serverState != null) {
            req.append("x-haproxy-server-state: ").append(serverState).append("\r\n");
        }
        String body = s.bodyFmt() != null ? s.bodyFmt().eval(samples) : s.body();
        if (body != null && !length) {
            req.append("content-length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        if (!connection && !s.version().equals("HTTP/1.0")) {
            req.append("connection: close\r\n");
        }
        req.append("\r\n");
        if (body != null) {
            req.append(body);
        }
        return req.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses what came so far; null while the header block is incomplete. The body is set once
     * complete: by content-length, the last chunk, the server closing, or a full buffer.
     */
    static Response parse(byte[] data, boolean closed, int max) {
        int end = indexOf(data, HEAD_END, 0);
        if (end < 0) {
            if (!closed && data.length < max) {
                return null;
            }
            Response r = new Response();
            r.invalid = true;
            return r;
        }
        String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        Response r = new Response();
        String[] parts = lines[0].split(" ", 3);
        try {
            if (!parts[0].startsWith("HTTP/") || parts[1].length() != 3) {
                throw new NumberFormatException();
            }
            r.version = parts[0];
            r.status = Integer.parseInt(parts[1]);
            r.reason = parts.length > 2 ? parts[2] : "";
        } catch (RuntimeException e) {
            r.invalid = true;
            return r;
        }
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            r.headers.add(new String[] {name, value});
            if (name.equalsIgnoreCase("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    length = -1;
                }
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        int bodyAt = end + 4;
        int have = data.length - bodyAt;
        boolean bodyless = r.status == 204 || r.status == 304 || r.status < 200;
        if (bodyless || length == 0) {
            r.body = new byte[0];
        } else if (chunked) {
            r.body = dechunk(data, bodyAt, closed || data.length >= max);
        } else if (length > 0 && have >= length) {
            r.body = java.util.Arrays.copyOfRange(data, bodyAt, (int) (bodyAt + length));
        } else if (closed || data.length >= max) {
            r.body = java.util.Arrays.copyOfRange(data, bodyAt, data.length);
        }
        return r;
    }

    /** The chunks' data once the last chunk came (or whatever came when nothing more will). */
    private static byte[] dechunk(byte[] data, int at, boolean final_) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int p = at;
        while (true) {
            int eol = indexOf(data, CRLF, p);
            if (eol < 0) {
                return final_ ? out.toByteArray() : null;
            }
            String size = new String(data, p, eol - p, StandardCharsets.ISO_8859_1);
            int semi = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            } catch (NumberFormatException e) {
                return out.toByteArray();
            }
            if (n == 0) {
                return out.toByteArray();
            }
            if (eol + 2 + n > data.length) {
                if (final_) {
                    out.write(data, eol + 2, data.length - eol - 2);
                    return out.toByteArray();
                }
                return null;
            }
            out.write(data, eol + 2, n);
            p = eol + 2 + n + 2;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private static int indexOf(byte[] data, byte[] w, int from) {
        outer:
        for (int i = from; i <= data.length - w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (data[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Judges one expect on the response: null when it passed, else HAProxy's result
     * (a wrong status or header gives L7STS with the reason phrase, content L7RSP).
     */
    static CheckResult judge(CheckPlan.Expect e, Response r, CheckSamples s, long ms) {
        boolean ok;
        boolean content = false;
        switch (e.kind()) {
            case "string", "rstring" -> {
                content = true;
                String body = new String(r.body, StandardCharsets.ISO_8859_1);
                ok = e.kind().equals("string") ? body.contains(e.value()) : e.regex().matcher(body).find();
            }
            case "status" -> ok = Expectations.statusMatches(e.value(), r.status);
            case "rstatus" -> ok = e.regex().matcher(Integer.toString(r.status)).find();
            case "hdr", "fhdr" -> ok = e.header().matches(s, r);
            default -> ok = r.status >= 200 && r.status < 400;
        }
        if (e.negate()) {
            ok = !ok;
        }
        if (ok) {
            return null;
        }
        String comment = e.comment() == null ? "" : " comment: " + e.comment();
        if (content) {
            return CheckResult.l7rsp((e.negate() ? "HTTP check matched unwanted content" : "HTTP content check did not match")
                    + comment, ms);
        }
        return CheckResult.l7sts(r.status, r.reason + comment, ms);
    }
}
