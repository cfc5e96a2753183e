package io.haquark.rules;

import io.haquark.acl.Cond;

/** An ordered, compiled rule list: the first terminal action wins (configuration.txt §4.2 "http-request"). */
public final class RuleSet {
    public static final RuleSet EMPTY = new RuleSet(new Cond[0], new HttpAction[0], new io.haquark.model.Location[0]);

    private final Cond[] conds;
    private final HttpAction[] actions;
    /** Where each rule was written: a final one becomes the transaction's last_rule_file/line. */
    private final io.haquark.model.Location[] where;

    RuleSet(Cond[] conds, HttpAction[] actions, io.haquark.model.Location[] where) {
        this.conds = conds;
        this.actions = actions;
        this.where = where;
    }

    public boolean isEmpty() {
        return actions.length == 0;
    }

    /** @return the terminal verdict, or null when every rule let the message through */
    public Verdict run(HttpMessageView m) {
        return run(m, 0);
    }

    /**
     * Runs the rules from index {@code from} (0, or where a {@link Verdict.Yield} said to resume).
     * @return the terminal verdict, a Yield positioned after the rule that yielded, or null
     */
    public Verdict run(HttpMessageView m, int from) {
        for (int i = from; i < actions.length; i++) {
            if (conds[i].test(m)) {
                Verdict v = actions[i].apply(m);
                if (v != null) {
                    if (v instanceof Verdict.Yield y) {
                        return y.at(i + 1);
                    }
                    m.finalRule(where[i]);
                    return v;
                }
            }
        }
        return null;
    }
}
