package io.haquark.rules;

import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A log-format string (configuration.txt §8.2.4) as rule values use it: literal text,
 * {@code %[sample,converters]} expressions and the common %-variables (%ci %cp %fi %fp %f
 * %b %H %%). Parsed once; evaluating it only appends to a StringBuilder.
 */
public final class LogFormat {
    private interface Part {
        void append(StringBuilder sb, SampleSource s);
    }

    private final Part[] parts;
    private final boolean constant;
    private final String text;

    private LogFormat(Part[] parts, boolean constant, String text) {
        this.parts = parts;
        this.constant = constant;
        this.text = text;
    }

    public static LogFormat parse(String fmt, Path base) {
        List<Part> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        boolean constant = true;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                lit.append(c);
                i++;
                continue;
            }
            char n = fmt.charAt(i + 1);
            if (n == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            flush(out, lit);
            constant = false;
            if (n == '[') {
                int end = closing(fmt, i + 2);
                SampleExpr e = SampleExpr.parse(fmt.substring(i + 2, end), base, null);
                out.add((sb, s) -> {
                    String v = e.evalString(s);
                    if (v != null) {
                        sb.append(v);
                    }
                });
                i = end + 1;
                continue;
            }
            int j = i + 1;
            while (j < fmt.length() && Character.isLetter(fmt.charAt(j))) {
                j++;
            }
            String var = fmt.substring(i + 1, j);
            out.add(variable(var));
            i = j;
        }
        flush(out, lit);
        return new LogFormat(out.toArray(new Part[0]), constant, constant ? fmt.replace("%%", "%") : null);
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
            out.add((sb, s) -> sb.append(t));
            lit.setLength(0);
        }
    }

    private static Part variable(String v) {
        return switch (v) {
            case "ci" -> (sb, s) -> sb.append(s.source() == null ? "-" : s.source().getAddress().getHostAddress());
            case "cp" -> (sb, s) -> sb.append(s.source() == null ? "-" : s.source().getPort());
            case "fi" -> (sb, s) -> sb.append(s.destination() == null ? "-" : s.destination().getAddress().getHostAddress());
            case "fp" -> (sb, s) -> sb.append(s.destination() == null ? "-" : s.destination().getPort());
            case "f", "ft" -> (sb, s) -> sb.append(s.frontendName());
            case "b" -> (sb, s) -> sb.append(s.backendName() == null ? "-" : s.backendName());
            case "HM" -> (sb, s) -> sb.append(s.method());
            case "HU" -> (sb, s) -> sb.append(s.uri());
            case "HP" -> (sb, s) -> sb.append(s.path());
            case "HQ" -> (sb, s) -> sb.append(s.query() == null ? "" : "?" + s.query());
            case "HV" -> (sb, s) -> sb.append("HTTP/").append(s.version());
            case "H" -> (sb, s) -> sb.append(HOST);
            case "pid" -> (sb, s) -> sb.append(ProcessHandle.current().pid());
            case "t", "T" -> (sb, s) -> sb.append(java.time.Instant.now());
            default -> (sb, s) -> sb.append('%').append(v);
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
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            p.append(sb, s);
        }
        return sb.toString();
    }
}
