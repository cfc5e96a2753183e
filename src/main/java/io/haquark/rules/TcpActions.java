package io.haquark.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of tcp-request / tcp-response actions (configuration.txt §4.2 "tcp-request
 * connection", "tcp-request session", "tcp-request content", "tcp-response content"): which
 * actions HAProxy 2.6 accepts in each rule set, in the order its error lists them, and which
 * ones haquark runs ({@link TcpRules}); the others are accepted and warned about.
 */
public final class TcpActions {
    private static final List<String> LAYER4 = List.of("accept", "reject", "capture", "expect-proxy", "expect-netscaler-cip",
            "track-sc0", "track-sc1", "track-sc2", "sc-inc-gpc(*)", "sc-inc-gpc0(*)", "sc-inc-gpc1(*)", "sc-set-gpt(*)",
            "sc-set-gpt0(*)", "set-var-fmt(*)", "set-var(*)", "unset-var(*)", "set-dst", "set-dst-port", "set-mark", "set-src",
            "set-src-port", "set-tos", "silent-drop");
    private static final List<String> CONTENT = List.of("accept", "reject", "capture", "expect-proxy", "expect-netscaler-cip",
            "track-sc0", "track-sc1", "track-sc2", "ot-group", "set-log-level", "set-nice", "switch-mode", "use-service",
            "sc-inc-gpc(*)", "sc-inc-gpc0(*)", "sc-inc-gpc1(*)", "sc-set-gpt(*)", "sc-set-gpt0(*)", "send-spoe-group",
            "do-resolve(*)", "set-var-fmt(*)", "set-var(*)", "unset-var(*)", "set-src", "set-src-port", "set-dst",
            "set-dst-port", "set-mark", "set-tos", "silent-drop", "set-priority-class", "set-priority-offset");
    private static final List<String> RESPONSE = List.of("accept", "close", "reject", "ot-group", "set-log-level", "set-nice",
            "sc-inc-gpc(*)", "sc-inc-gpc0(*)", "sc-inc-gpc1(*)", "sc-set-gpt(*)", "sc-set-gpt0(*)", "send-spoe-group",
            "set-var-fmt(*)", "set-var(*)", "unset-var(*)", "set-mark", "set-tos", "silent-drop");

    private static final Map<String, List<String>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("tcp-request connection", LAYER4);
        KNOWN.put("tcp-request session", LAYER4);
        KNOWN.put("tcp-request content", CONTENT);
        KNOWN.put("tcp-response content", RESPONSE);
    }

    /** What {@link TcpRules} runs, on tcp-request rules. */
    private static final Set<String> RUN = Set.of("accept", "reject", "track-sc0", "track-sc1", "track-sc2", "sc-inc-gpc0", "sc-set-gpt0",
            "sc-inc-gpc", "sc-inc-gpc1", "sc-set-gpt", "set-log-level", "capture",
            "set-var", "set-var-fmt", "unset-var", "set-src", "set-dst", "set-src-port", "set-dst-port", "switch-mode",
            "silent-drop", "set-tos", "set-mark", "set-nice", "expect-proxy", "set-priority-class", "set-priority-offset");

    private TcpActions() {
    }

    private static String base(String action) {
        int p = action.indexOf('(');
        return p < 0 ? action : action.substring(0, p);
    }

    /** Whether HAProxy 2.6 knows the action in that rule set ("tcp-request content" ...). */
    public static boolean known(String ruleSet, String action) {
        List<String> list = KNOWN.get(ruleSet);
        if (list == null) {
            return false;
        }
        String name = base(action);
        for (String a : list) {
            if (base(a).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** What {@link TcpRules} runs, on tcp-response content rules. */
    private static final Set<String> RUN_RESPONSE = Set.of("accept", "reject", "close", "sc-inc-gpc0", "sc-inc-gpc1",
            "sc-inc-gpc", "sc-set-gpt0", "sc-set-gpt", "set-log-level", "set-var",
            "set-var-fmt", "unset-var", "silent-drop", "set-tos", "set-mark", "set-nice");

    /** Whether haquark runs it (others are warned about and skipped). */
    public static boolean supported(String ruleSet, String action) {
        return ruleSet.startsWith("tcp-request ") ? RUN.contains(base(action))
                : ruleSet.equals("tcp-response content") && RUN_RESPONSE.contains(base(action));
    }

    /** HAProxy's refusal of an unknown action: what the rule set expects, then what came. */
    public static String unknown(String ruleSet, String action, String proxyKind, String proxyName) {
        List<String> shown = new ArrayList<>();
        for (String a : KNOWN.getOrDefault(ruleSet, List.of())) {
            if (a.equals("track-sc0")) {
                shown.add("'track-sc0' ... 'track-sc2'");
            } else if (!a.equals("track-sc1") && !a.equals("track-sc2")) {
                shown.add("'" + a + "'");
            }
        }
        String list = String.join(", ", shown);
        return "'" + ruleSet + "' expects " + list + " in " + proxyKind + " '" + proxyName + "' (got '" + action + "').";
    }

    /** What a user should know of an action that runs with limits, or null (docs/compatibility.md "partial"). */
    public static String limits(String action) {
        return base(action).equals("set-nice")
                ? "accepted; it orders HAProxy's tasks, and the JVM's event loops have no task priorities" : null;
    }

    /** Every (rule set, action) pair, for docs/compatibility.md. */
    public static Map<String, List<String>> all() {
        return KNOWN;
    }
}
