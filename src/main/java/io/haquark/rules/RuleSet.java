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
                    return v instanceof Verdict.Yield y ? y.at(i + 1) : v;
                }
            }
        }
        return null;
    }
}
