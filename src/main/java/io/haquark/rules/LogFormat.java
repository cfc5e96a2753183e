package io.haquark.rules;

import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import io.haquark.logging.LogFields;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A log-format string (configuration.txt §8.2.4): literal text, {@code %[sample,converters]}
 * expressions and the %-variables, each with optional {@code %{+Q}} / {@code %{-Q}} quoting.
 * Rule values (set-header, return lf-string ...) and access logs ("log-format") both use it;
 * variables about the finished transaction (%ST, %Tw, %tsc ...) read {@link LogFields} and print
 * "-" where there is none yet. Parsed once; evaluating it only appends to a StringBuilder.
 */
public final class LogFormat {
    private interface Part {
        void append(StringBuilder sb, SampleSource s, LogFields f);
    }

    private final Part[] parts;
    private final boolean constant;
    private final String text;

    private LogFormat(Part[] parts, boolean constant, String text) {
        this.parts = parts;
        this.constant = constant;
        this.text = text;
    }

    /** A rule's value (set-header, lf-string ...): spaces are kept as written. */
    public static LogFormat parse(String fmt, Path base) {
        return parse(fmt, base, false, io.haquark.acl.SamplePhase.ANY);
    }

    /** A rule's value in a phase whose fetches are checked (an http-request rule reads no response). */
    public static LogFormat parse(String fmt, Path base, io.haquark.acl.SamplePhase phase) {
        return parse(fmt, base, false, phase);
    }

    /**
     * log-format, unique-id-format: as HAProxy parses them there, a run of spaces is one
     * separator, and a separator before anything was printed is dropped.
     */
    public static LogFormat parseLog(String fmt, Path base) {
        return parse(fmt, base, true, io.haquark.acl.SamplePhase.ANY);
    }

    private static LogFormat parse(String fmt, Path base, boolean separators, io.haquark.acl.SamplePhase phase) {
        List<Part> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        StringBuilder constantText = new StringBuilder();
        boolean afterSpace = true;   // at the start, a separator prints nothing
        boolean constant = true;
        boolean globalQuote = false;
        boolean globalHex = false;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                if (!separators || c != ' ' || !afterSpace) {
                    lit.append(c);
                    constantText.append(c);
                }
                afterSpace = c == ' ';
                i++;
                continue;
            }
            char n = fmt.charAt(i + 1);
            if (n == '%') {
                lit.append('%');
                constantText.append('%');
                afterSpace = false;
                i += 2;
                continue;
            }
            flush(out, lit);
            constant = false;
            int at = i + 1;
            boolean quote = globalQuote;
            boolean hex = globalHex;
            if (n == '{') {
                int close = fmt.indexOf('}', at);
                if (close < 0) {
                    throw new io.haquark.acl.AclException("missing '}' in log-format '" + fmt + "'");
                }
                for (String flag : fmt.substring(at + 1, close).split(",")) {
                    for (int k = 0; k + 1 < flag.length(); k += 2) {
                        boolean on = flag.charAt(k) == '+';
                        switch (flag.charAt(k + 1)) {
                            case 'Q' -> quote = on;
                            case 'X' -> hex = on;
                            default -> { }   // E (escape) and friends: values are not escaped yet
                        }
                    }
                }
                at = close + 1;
            }
            if (fmt.startsWith("o", at) && (at + 1 == fmt.length() || !Character.isLetter(fmt.charAt(at + 1)))) {
                // %{+X}o: the flags apply to every variable after it, and it prints nothing.
                globalQuote = quote;
                globalHex = hex;
                i = at + 1;
                continue;
            }
            Part part;
            if (at < fmt.length() && fmt.charAt(at) == '[') {
                int end = closing(fmt, at + 1);
                SampleExpr e = SampleExpr.parse(fmt.substring(at + 1, end), base, null, phase);
                boolean q = quote;
                // As HAProxy: an absent sample is empty in a rule's value, "-" (or "" quoted) in a log line.
                part = (sb, s, f) -> {
                    String v = e.evalString(s);
                    if (f == null) {
                        sb.append(v == null ? "" : v);
                    } else if (q) {
                        sb.append('"').append(v == null ? "" : v).append('"');
                    } else {
                        sb.append(v == null ? "-" : v);
                    }
                };
                i = end + 1;
                out.add(part);
                afterSpace = false;
                continue;
            } else {
                int j = at;
                while (j < fmt.length() && Character.isLetter(fmt.charAt(j))) {
                    j++;
                }
                String name = fmt.substring(at, j);
                part = name.equals("ID") ? uniqueId(quote) : hex ? hexVariable(name) : variable(name);
                i = j;
            }
            out.add(quote ? quoted(part) : part);
            afterSpace = false;
        }
        flush(out, lit);
        return new LogFormat(out.toArray(new Part[0]), constant, constant ? constantText.toString() : null);
    }

    private static int closing(String fmt, int from) {
        int depth = 1;
        for (int k = from; k < fmt.length(); k++) {
            char ch = fmt.charAt(k);
            if (ch == '[') {
                depth++;
            } else if (ch == ']' && --depth == 0) {
                return k;
            }
        }
        throw new io.haquark.acl.AclException("missing ']' in log-format expression '" + fmt + "'");
    }

    private static void flush(List<Part> out, StringBuilder lit) {
        if (!lit.isEmpty()) {
            String t = lit.toString();
            out.add((sb, s, f) -> sb.append(t));
            lit.setLength(0);
        }
    }

    /** %{+Q}: the value between double quotes in a log line (rule values are never quoted, as in HAProxy). */
    private static Part quoted(Part p) {
        return (sb, s, f) -> {
            if (f == null) {
                p.append(sb, s, null);
                return;
            }
            sb.append('"');
            p.append(sb, s, f);
            sb.append('"');
        };
    }

    /** %{+X}: addresses, ports and counters in upper-case hexadecimal, as unique-id formats use them. */
    private static Part hexVariable(String v) {
        return switch (v) {
            case "ci" -> (sb, s, f) -> hexIp(sb, s.source());
            case "cp" -> (sb, s, f) -> hexPort(sb, s.source());
            case "fi" -> (sb, s, f) -> hexIp(sb, s.destination());
            case "fp" -> (sb, s, f) -> hexPort(sb, s.destination());
            case "si" -> field((sb, f) -> hexIp(sb, f.serverAddress()));
            case "sp" -> field((sb, f) -> hexPort(sb, f.serverAddress()));
            case "bi" -> field((sb, f) -> hexIp(sb, f.backendSource()));
            case "bp" -> field((sb, f) -> hexPort(sb, f.backendSource()));
            case "Ts" -> (sb, s, f) -> sb.append(String.format("%04X", accept(s, f).getEpochSecond()));
            case "ms" -> (sb, s, f) -> sb.append(String.format("%02X", accept(s, f).toEpochMilli() % 1000));
            case "pid" -> (sb, s, f) -> sb.append(String.format("%04X", ProcessHandle.current().pid()));
            case "rt" -> (sb, s, f) -> sb.append(String.format("%04X", f == null ? 0 : f.requestCounter()));
            default -> variable(v);
        };
    }

    private static void hexIp(StringBuilder sb, java.net.InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            sb.append('-');
            return;
        }
        for (byte b : a.getAddress().getAddress()) {
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
    }

    private static void hexPort(StringBuilder sb, java.net.InetSocketAddress a) {
        sb.append(a == null ? "-" : String.format("%04X", a.getPort()));
    }

    /** %ID: "-" when there is none, or nothing between the quotes of %{+Q}ID. */
    private static Part uniqueId(boolean quote) {
        return (sb, s, f) -> {
            String id = f == null ? null : f.uniqueId();
            sb.append(id != null ? id : quote ? "" : "-");
        };
    }

    private static final java.time.format.DateTimeFormatter ACCEPT_DATE = java.time.format.DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", java.util.Locale.ENGLISH).withZone(java.time.ZoneId.systemDefault());
    private static final java.time.format.DateTimeFormatter GMT_DATE = java.time.format.DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);
    private static final java.time.format.DateTimeFormatter LOCAL_DATE = java.time.format.DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ENGLISH).withZone(java.time.ZoneId.systemDefault());

    /** A variable about the finished transaction: "-" while there is none (rule values). */
    private static Part field(java.util.function.BiConsumer<StringBuilder, LogFields> p) {
        return (sb, s, f) -> {
            if (f == null) {
                sb.append('-');
            } else {
                p.accept(sb, f);
            }
        };
    }

    /** A number about the finished transaction (a time in ms, a byte or connection count). */
    private static Part number(java.util.function.ToLongFunction<LogFields> t) {
        return field((sb, f) -> sb.append(t.applyAsLong(f)));
    }

    private static void ip(StringBuilder sb, java.net.InetSocketAddress a, boolean port) {
        if (a == null) {
            sb.append('-');
        } else if (port) {
            sb.append(a.getPort());
        } else {
            sb.append(a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress());
        }
    }

    private static java.time.Instant accept(SampleSource s, LogFields f) {
        return java.time.Instant.ofEpochMilli(f == null ? System.currentTimeMillis() : f.acceptMillis());
    }

    private static Part variable(String v) {
        return switch (v) {
            case "ci" -> (sb, s, f) -> ip(sb, s.source(), false);
            case "cp" -> (sb, s, f) -> ip(sb, s.source(), true);
            case "fi" -> (sb, s, f) -> ip(sb, s.destination(), false);
            case "fp" -> (sb, s, f) -> ip(sb, s.destination(), true);
            case "f" -> (sb, s, f) -> sb.append(s.frontendName());
            case "ft" -> (sb, s, f) -> sb.append(f == null ? s.frontendName() : f.frontendLabel());
            case "b" -> (sb, s, f) -> sb.append(s.backendName() == null ? s.frontendName() : s.backendName());
            case "s" -> field((sb, f) -> sb.append(f.serverName()));
            case "si" -> field((sb, f) -> ip(sb, f.serverAddress(), false));
            case "sp" -> field((sb, f) -> ip(sb, f.serverAddress(), true));
            case "bi" -> field((sb, f) -> ip(sb, f.backendSource(), false));
            case "bp" -> field((sb, f) -> ip(sb, f.backendSource(), true));
            case "HM" -> (sb, s, f) -> sb.append(s.method() == null ? "-" : s.method());
            case "HU" -> (sb, s, f) -> sb.append(s.uri() == null ? "-" : s.uri());
            case "HP" -> (sb, s, f) -> sb.append(s.path() == null ? "-" : s.path());
            case "HQ" -> (sb, s, f) -> sb.append(s.query() == null ? "" : "?" + s.query());
            case "HV" -> (sb, s, f) -> sb.append(s.version() == null ? "-" : "HTTP/" + s.version());
            case "H" -> (sb, s, f) -> sb.append(HOST);
            case "pid" -> (sb, s, f) -> sb.append(ProcessHandle.current().pid());
            case "t", "tr" -> (sb, s, f) -> sb.append(ACCEPT_DATE.format(accept(s, f)));
            case "trg", "T" -> (sb, s, f) -> sb.append(GMT_DATE.format(accept(s, f)));
            case "trl", "Tl" -> (sb, s, f) -> sb.append(LOCAL_DATE.format(accept(s, f)));
            case "Ts" -> (sb, s, f) -> sb.append(accept(s, f).getEpochSecond());
            case "ms" -> (sb, s, f) -> sb.append(String.format("%03d", accept(s, f).toEpochMilli() % 1000));
            case "TR" -> number(LogFields::requestTime);
            case "Tw" -> number(LogFields::queueTime);
            case "Tc" -> number(LogFields::connectTime);
            case "Tr" -> number(LogFields::responseTime);
            case "Ta" -> number(LogFields::activeTime);
            case "Tt" -> number(LogFields::totalTime);
            case "Th", "Ti" -> number(f -> 0);
            case "Tq" -> number(LogFields::requestTime);
            case "Td" -> number(f -> f.responseTime() < 0 ? -1
                    : Math.max(0, f.totalTime() - Math.max(0, f.requestTime()) - Math.max(0, f.queueTime())
                    - Math.max(0, f.connectTime()) - f.responseTime()));
            case "ST" -> field((sb, f) -> sb.append(f.statusCode()));
            case "B" -> number(LogFields::bytesToClient);
            case "U" -> number(LogFields::bytesFromClient);
            case "tsc" -> field((sb, f) -> sb.append(f.terminationState()));
            case "ts" -> field((sb, f) -> sb.append(f.terminationState(), 0, 2));
            case "ac" -> number(LogFields::processConnections);
            case "fc" -> number(LogFields::frontendConnections);
            case "bc" -> number(LogFields::backendConnections);
            case "sc" -> number(LogFields::serverConnections);
            case "rc" -> number(LogFields::retries);
            case "sq" -> number(LogFields::serverQueue);
            case "bq" -> number(LogFields::backendQueue);
            case "lc" -> number(f -> 0);
            case "CC" -> field((sb, f) -> sb.append(f.capturedCookie(false)));
            case "CS" -> field((sb, f) -> sb.append(f.capturedCookie(true)));
            case "hr", "hrl" -> field((sb, f) -> sb.append(f.capturedHeaders(false) == null ? "" : f.capturedHeaders(false)));
            case "hs", "hsl" -> field((sb, f) -> sb.append(f.capturedHeaders(true) == null ? "" : f.capturedHeaders(true)));
            case "r" -> (sb, s, f) -> sb.append(f != null && f.requestLine() != null ? f.requestLine()
                    : s.method() == null ? "-" : s.method() + " " + s.uri() + " HTTP/" + s.version());
            case "rt" -> number(LogFields::requestCounter);
            case "rp" -> number(f -> 0);
            default -> throw new io.haquark.acl.AclException("no such format variable '" + v + "'. If you wanted to emit the '%' character verbatim, you need to use '%%'");
        };
    }

    private static final String HOST = hostname();

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    public String eval(SampleSource s) {
        if (constant) {
            return text;
        }
        // A rule's value: absent samples are empty, as in HAProxy (even when s could also feed a log line).
        StringBuilder sb = new StringBuilder();
        append(sb, s, null);
        return sb.toString();
    }

    /** As a log line or unique-id reads it: transaction variables available, absent samples "-". */
    public String evalLog(SampleSource s, LogFields f) {
        StringBuilder sb = new StringBuilder();
        append(sb, s, f);
        return sb.toString();
    }

    /** Appends the formatted text; f is null where the transaction is not over (rule values). */
    public void append(StringBuilder sb, SampleSource s, LogFields f) {
        if (constant) {
            sb.append(text);
            return;
        }
        for (Part p : parts) {
            p.append(sb, s, f);
        }
    }
}
