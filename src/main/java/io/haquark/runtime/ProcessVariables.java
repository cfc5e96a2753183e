package io.haquark.runtime;

import io.haquark.engine.GlobalVariables;
import io.haquark.engine.Routing;
import io.haquark.state.Variables;
import java.util.Arrays;

/** "get var" and "set var" (management.txt §9.3): the process-wide variables only, as HAProxy allows. */
final class ProcessVariables {
    private ProcessVariables() {
    }

    static String get(Routing r, String[] w) {
        if (w.length < 3) {
            return "Missing process-wide variable identifier.\n\n";
        }
        Object v = Variables.Scope.of(w[2]) == Variables.Scope.PROC ? r.procVars.get(w[2]) : null;
        if (v == null) {
            return "Variable not found.\n\n";
        }
        return w[2] + ": type=" + Variables.typeName(v) + " value=<" + printable(v) + ">\n";
    }

    /** set var <name> [fmt|expr] <text>: evaluated as the global section's set-var is. */
    static String set(Routing r, String[] w) {
        if (w.length < 3) {
            return "Missing process-wide variable identifier.\n\n";
        }
        if (Variables.Scope.of(w[2]) != Variables.Scope.PROC) {
            return "'set var': cannot set variable '" + w[2] + "', only scope 'proc' is permitted here.\n\n";
        }
        int from = 3;
        boolean format = false;
        if (w.length > 3 && (w[3].equals("fmt") || w[3].equals("expr"))) {
            format = w[3].equals("fmt");
            from = 4;
        }
        if (w.length <= from) {
            return "Missing either 'expr', 'fmt' or expression.\n\n";
        }
        try {
            Object v = GlobalVariables.evaluate(r, String.join(" ", Arrays.copyOfRange(w, from, w.length)), format);
            if (v != null) {
                r.procVars.set(w[2], v);
            }
            return "\n";
        } catch (RuntimeException e) {
            return e.getMessage() + "\n\n";
        }
    }

    /** As HAProxy prints a sample: non-printable bytes of a binary as dots. */
    private static String printable(Object v) {
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                sb.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
            }
            return sb.toString();
        }
        if (v instanceof Boolean bool) {
            return bool ? "1" : "0";
        }
        if (v instanceof java.net.InetAddress a) {
            return a.getHostAddress();
        }
        return String.valueOf(v);
    }
}
