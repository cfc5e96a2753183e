package io.haquark.rules;

import io.haquark.acl.Cond;

/** An ordered, compiled rule list: the first terminal action wins (configuration.txt §4.2 "http-request"). */
public final class RuleSet {
    public static final RuleSet EMPTY = new RuleSet(new Cond[0], new HttpAction[0]);

    private final Cond[] conds;
    private final HttpAction[] actions;

    RuleSet(Cond[] conds, HttpAction[] actions) {
        this.conds = conds;
        this.actions = actions;
    }

    public boolean isEmpty() {
        return actions.length == 0;
    }

    /** @return the terminal verdict, or null when every rule let the message through */
    public Verdict run(HttpMessageView m) {
        for (int i = 0; i < actions.length; i++) {
            if (conds[i].test(m)) {
                Verdict v = actions[i].apply(m);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }
}
