package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Rule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Actions of {@code http-request}, {@code http-response} and {@code http-after-response}
 * (configuration.txt §4.2 "http-request"). The line is kept as a {@link Rule}; what each
 * action does is the rules package's job. The table records how far each one is done.
 */
final class RuleKeywords {
    record Def(String ruleKeyword, String action, Support support, String note) {
    }

    static final Map<String, Def> ACTIONS = new LinkedHashMap<>();

    private static void add(String ruleKw, Support s, String note, String... actions) {
        for (String a : actions) {
            boolean done = io.haquark.rules.RuleCompiler.IMPLEMENTED.contains(ruleKw + " " + a);
            ACTIONS.put(ruleKw + " " + a, new Def(ruleKw, a, done ? Support.SUPPORTED : s, done ? null : note));
        }
    }

    static {
        String later = "not yet: warned about and skipped";
        add("http-request", Support.NOT_YET, later, "allow", "deny", "tarpit", "auth", "redirect", "return",
                "set-header", "add-header", "del-header", "replace-header", "replace-value", "set-path",
                "set-pathq", "set-query", "set-uri", "set-method", "replace-path", "replace-pathq", "replace-uri",
                "set-var", "set-var-fmt", "unset-var", "set-log-level", "set-src", "set-src-port", "set-dst",
                "set-dst-port", "set-nice", "set-tos", "set-mark", "set-timeout", "capture", "track-sc0",
                "track-sc1", "track-sc2", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt0",
                "add-acl", "del-acl", "set-map", "del-map", "cache-use", "use-service", "silent-drop", "reject",
                "wait-for-body", "wait-for-handshake", "early-hint", "normalize-uri", "disable-l7-retry",
                "do-resolve", "send-spoe-group", "set-priority-class", "set-priority-offset", "strict-mode",
                "set-bandwidth-limit");
        add("http-response", Support.NOT_YET, later, "allow", "deny", "redirect", "return", "set-header",
                "add-header", "del-header", "replace-header", "replace-value", "set-status", "set-var",
                "set-var-fmt", "unset-var", "set-log-level", "set-nice", "set-tos", "set-mark", "capture",
                "track-sc0", "track-sc1", "track-sc2", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt0",
                "add-acl", "del-acl", "set-map", "del-map", "cache-store", "silent-drop", "wait-for-body",
                "send-spoe-group", "strict-mode", "set-bandwidth-limit");
        add("http-after-response", Support.NOT_YET, later, "allow", "set-header", "add-header", "del-header",
                "replace-header", "replace-value", "set-status", "set-var", "set-var-fmt", "unset-var",
                "capture", "set-map", "del-map", "del-acl", "add-acl", "strict-mode", "set-log-level");
        add("http-error", Support.NOT_YET, later, "status");
    }

    static Rule httpRule(ConfigLine line, String ruleKeyword) {
        String action = line.arg(1);
        if (!ACTIONS.containsKey(ruleKeyword + " " + action) && !action.startsWith("lua.")
                && !(action.startsWith("set-var(") || action.startsWith("unset-var(") || action.startsWith("set-var-fmt(")
                || action.startsWith("capture") || action.startsWith("sc-") || action.startsWith("track-sc"))) {
            throw new KeywordError("'" + ruleKeyword + "' : unknown action '" + action + "'.");
        }
        try {
            return ProxyKeywords.rule(line, 1);
        } catch (KeywordError e) {
            throw new KeywordError("error detected while parsing an '" + ruleKeyword + " " + action
                    + "' condition : " + e.getMessage());
        }
    }

    private RuleKeywords() {
    }
}
