package io.haquark.rules;

import io.haquark.acl.AclCompiler;
import io.haquark.acl.Cond;
import io.haquark.acl.SampleSource;
import io.haquark.model.Location;
import io.haquark.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * tcp-request connection / content rules (configuration.txt §4.2 "tcp-request"): accept and
 * reject, with "tcp-request inspect-delay" for content rules; other actions are warned about.
 */
public final class TcpRules {
    public static final TcpRules NONE = new TcpRules(new Cond[0], new boolean[0], new Cond[0], new boolean[0], 0);

    private final Cond[] connConds;
    private final boolean[] connAccept;
    private final Cond[] contentConds;
    private final boolean[] contentAccept;
    public final long inspectDelayMs;

    private TcpRules(Cond[] cc, boolean[] ca, Cond[] tc, boolean[] ta, long delay) {
        this.connConds = cc;
        this.connAccept = ca;
        this.contentConds = tc;
        this.contentAccept = ta;
        this.inspectDelayMs = delay;
    }

    public static TcpRules compile(List<Rule> rules, AclCompiler acls, BiConsumer<Location, String> warnings) {
        List<Cond> cc = new ArrayList<>();
        List<Boolean> ca = new ArrayList<>();
        List<Cond> tc = new ArrayList<>();
        List<Boolean> ta = new ArrayList<>();
        long delay = 0;
        for (Rule r : rules) {
            if (r.action().equals("inspect-delay")) {
                delay = io.haquark.config.Values.time(r.args().get(0), "tcp-request inspect-delay");
                continue;
            }
            boolean content = r.keyword().endsWith("content");
            boolean connection = r.keyword().endsWith("connection") || r.keyword().endsWith("session");
            if (!(r.action().equals("accept") || r.action().equals("reject")) || !(content || connection)) {
                warnings.accept(r.where(), "'" + r.keyword() + " " + r.action() + "' is not supported by haquark yet, ignored (see docs/compatibility.md).");
                continue;
            }
            Cond c = acls.compile(r.condition());
            (content ? tc : cc).add(c);
            (content ? ta : ca).add(r.action().equals("accept"));
        }
        return new TcpRules(cc.toArray(new Cond[0]), toArray(ca), tc.toArray(new Cond[0]), toArray(ta), delay);
    }

    private static boolean[] toArray(List<Boolean> l) {
        boolean[] b = new boolean[l.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = l.get(i);
        }
        return b;
    }

    /** Layer 4 rules at accept time: false means reject (close at once). */
    public boolean acceptConnection(SampleSource s) {
        for (int i = 0; i < connConds.length; i++) {
            if (connConds[i].test(s)) {
                return connAccept[i];
            }
        }
        return true;
    }

    public boolean hasContentRules() {
        return contentConds.length > 0;
    }

    /** Content rules on the buffered data: false means reject; no matching rule accepts. */
    public boolean acceptContent(SampleSource s) {
        for (int i = 0; i < contentConds.length; i++) {
            if (contentConds[i].test(s)) {
                return contentAccept[i];
            }
        }
        return true;
    }
}
