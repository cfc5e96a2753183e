package io.haquark.engine;

import io.haquark.acl.AclException;
import io.haquark.acl.SampleExpr;
import io.haquark.config.ConfigException;
import io.haquark.config.Diagnostics;
import io.haquark.model.Rule;
import io.haquark.rules.LogFormat;
import java.nio.file.Path;

/**
 * The global section's "set-var" / "set-var-fmt" lines (configuration.txt §3.1): run in order
 * once the configuration is compiled, before any traffic, with only the proc scope around.
 */
public final class GlobalVariables {
    private GlobalVariables() {
    }

    /** A sample expression or a log-format string evaluated where only the proc scope exists. */
    public static Object evaluate(Routing routing, String text, boolean format) {
        ProcessSource source = new ProcessSource(routing);
        Object v = format ? LogFormat.parse(text, null).eval(source) : SampleExpr.parse(text, null, null).eval(source);
        return v instanceof java.util.List<?> l ? (l.isEmpty() ? null : l.get(l.size() - 1)) : v;
    }

    static void run(Routing routing, Path baseDir, Diagnostics diag) throws ConfigException {
        ProcessSource source = new ProcessSource(routing);
        for (Rule r : routing.config.global().setVars()) {
            String action = r.action();
            String name = action.substring(action.indexOf('(') + 1, action.length() - 1);
            boolean format = action.startsWith("set-var-fmt");
            Object value;
            try {
                value = format ? LogFormat.parse(r.args().get(0), baseDir).eval(source)
                        : SampleExpr.parse(r.args().get(0), baseDir, null).eval(source);
            } catch (AclException | IllegalArgumentException e) {
                diag.alert(r.where().toString(), "'" + (format ? "set-var-fmt" : "set-var") + "' : " + e.getMessage());
                throw new ConfigException(diag);
            }
            routing.procVars.set(name, value instanceof java.util.List<?> l && !l.isEmpty() ? l.get(l.size() - 1) : value);
        }
    }
}
