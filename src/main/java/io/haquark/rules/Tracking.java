package io.haquark.rules;

import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import io.haquark.state.StickTable;

/** What track-sc0..2 does in tcp-request and http-request rules alike: the entry for the key. */
final class Tracking {
    private Tracking() {
    }

    /** The table's entry for the key's value (created when there is room), or null without table, key or room. */
    static StickTable.Entry entry(SampleSource s, String table, SampleExpr key) {
        StickTable t = s.table(table);
        String k = t == null ? null : t.key(key.eval(s));
        return k == null ? null : t.track(k);
    }
}
