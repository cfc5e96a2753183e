package io.haquark.rules;

import io.haquark.model.Rule;
import io.haquark.state.Variables;
import java.util.Arrays;
import java.util.List;

/**
 * The "(name[,cond...])" of set-var, set-var-fmt and unset-var, in every rule set
 * (configuration.txt §4.2 "http-request set-var", §2.8 variable scopes): one parser for the
 * HTTP and TCP rule sets and for the set-var converter.
 */
public final class VariableAction {
    /** A variable the action writes, and the set-var conditions (Variables' bits). */
    public record Target(String name, int conditions) {
    }

    private VariableAction() {
    }

    /**
     * HAProxy's complaint about the action word ("set-var(txn.x,ifset)"), or null when it is good;
     * for actions that are no variable action, null.
     */
    public static String check(String action) {
        int p = action.indexOf('(');
        String base = p < 0 ? action : action.substring(0, p);
        if (!base.equals("set-var") && !base.equals("set-var-fmt") && !base.equals("unset-var")) {
            return null;
        }
        if (p < 0 || !action.endsWith(")")) {
            return "incomplete argument after action '" + action + "'. Expects 'set-var(<var-name>)', "
                    + "'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'.";
        }
        try {
            parse(action.substring(p + 1, action.length() - 1), !base.equals("unset-var"));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The target of a rule's action; the proc variable it names exists from now on (as HAProxy creates it). */
    static Target target(Rule r, String base) {
        String action = r.action();
        String err = check(action);
        if (err != null) {
            throw new IllegalArgumentException("parsing [" + r.where() + "] : '" + r.keyword() + " " + action + "' : " + err);
        }
        return parse(action.substring(action.indexOf('(') + 1, action.length() - 1), !base.equals("unset-var"));
    }

    /** "name[,cond...]" as set-var's converter and action take it. */
    public static Target parse(String inside, boolean conditionsAllowed) {
        List<String> parts = Arrays.asList(inside.split(","));
        String name = parts.get(0).trim();
        if (Variables.Scope.of(name) == null) {
            throw new IllegalArgumentException("invalid variable name '" + name + "'. A variable name must be start by its "
                    + "scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'.");
        }
        int conditions = 0;
        if (parts.size() > 1) {
            if (!conditionsAllowed) {
                throw new IllegalArgumentException("unset-var() takes only a variable name.");
            }
            conditions = Variables.conditions(parts.subList(1, parts.size()));
        }
        Variables.parsed(name);
        return new Target(name, conditions);
    }

    /** A sample that is a list (several header values) stores its last element, as HAProxy does. */
    static Object single(Object v) {
        return v instanceof List<?> l ? (l.isEmpty() ? null : l.get(l.size() - 1)) : v;
    }
}
