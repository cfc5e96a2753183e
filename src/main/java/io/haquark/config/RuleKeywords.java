package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Rule;

/**
 * Actions of {@code http-request}, {@code http-response} and {@code http-after-response}
 * (configuration.txt §4.2 "http-request"). The line is kept as a {@link Rule}; which actions
 * exist and what each does is the rules package's registry ({@code HttpActions}).
 */
final class RuleKeywords {
    static Rule httpRule(ProxyBuilder p, ConfigLine line, String ruleKeyword) {
        String action = line.arg(1);
        variableAction(p, ruleKeyword, action);
        int paren = action.indexOf('(');
        String name = paren < 0 ? action : action.substring(0, paren);
        // The actions' registry (rules.HttpActions) says what HAProxy 2.6 knows; lua.* needs Lua.
        if (io.haquark.rules.HttpActions.entry(ruleKeyword, name) == null && !action.startsWith("lua.")) {
            throw new KeywordError("'" + ruleKeyword + "' : unknown action '" + action + "'.");
        }
        try {
            return ProxyKeywords.rule(line, 1);
        } catch (KeywordError e) {
            throw new KeywordError("error detected while parsing an '" + ruleKeyword + " " + action
                    + "' condition : " + e.getMessage());
        }
    }

    /** set-var(...) / unset-var(...): a bad name or condition is refused as HAProxy refuses it. */
    static void variableAction(ProxyBuilder p, String ruleKeyword, String action) {
        String err = io.haquark.rules.VariableAction.check(action);
        if (err != null) {
            throw new KeywordError("error detected in " + p.describe() + " while parsing '" + ruleKeyword + " " + action
                    + "' rule : " + err);
        }
    }

    private RuleKeywords() {
    }
}
