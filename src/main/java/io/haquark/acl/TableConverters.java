package io.haquark.acl;

import io.haquark.state.StickTable;
import java.util.List;
import java.util.Set;

/**
 * The table_* converters and in_table (configuration.txt §7.3.1): the input, as a string, is a
 * key of the named stick table; the converter answers one of the entry's data. A key the table
 * does not hold counts as zero, as HAProxy answers; a data type haquark's tables do not keep yet
 * fails the conversion (no sample), which is what HAProxy does for a type the table does not store.
 */
final class TableConverters {
    /** Every table_* converter HAProxy 2.6 has, by the data name after "table_". */
    static final Set<String> DATA = Set.of("bytes_in_rate", "bytes_out_rate", "conn_cnt", "conn_cur", "conn_rate", "expire",
            "gpc", "gpc0", "gpc0_rate", "gpc1", "gpc1_rate", "gpc_rate", "gpt", "gpt0", "http_err_cnt", "http_err_rate",
            "http_fail_cnt", "http_fail_rate", "http_req_cnt", "http_req_rate", "idle", "kbytes_in", "kbytes_out",
            "server_id", "sess_cnt", "sess_rate", "trackers");

    private TableConverters() {
    }

    /** table_<data>(<table>[,<default>]) for expire/idle; table_gpc/gpt/gpc_rate(<idx>,<table>). */
    static Converter table(String data, List<String> a) {
        boolean indexed = data.equals("gpc") || data.equals("gpt") || data.equals("gpc_rate");
        int idx = indexed ? Integer.parseInt(a.get(0).trim()) : -1;
        String table = a.get(indexed ? 1 : 0).trim();
        Long dflt = (data.equals("expire") || data.equals("idle")) && a.size() > 1 ? Long.parseLong(a.get(1).trim()) : null;
        return (v, s) -> {
            StickTable t = s.table(table);
            if (t == null || v == null) {
                return null;
            }
            String k = t.key(v);
            StickTable.Entry e = k == null ? null : t.lookup(k);
            if (e == null) {
                return data.equals("expire") || data.equals("idle") ? dflt : (Object) 0L;
            }
            long now = System.currentTimeMillis();
            return switch (data) {
                case "conn_cnt", "conn_cur", "http_req_cnt", "http_err_cnt", "conn_rate", "http_req_rate", "http_err_rate",
                     "gpc0_rate" -> FetchRegistry.counter(e, data);
                case "gpc0" -> e.gpc0.get();
                case "gpc" -> idx == 0 ? (Object) e.gpc0.get() : null;
                case "gpt0" -> e.gpt0.get();
                case "gpt" -> idx == 0 ? (Object) e.gpt0.get() : null;
                case "gpc_rate" -> idx == 0 ? (Object) e.rate("gpc0_rate") : null;
                case "trackers" -> e.connCur.get();
                case "kbytes_in" -> e.bytesIn.get() >> 10;
                case "kbytes_out" -> e.bytesOut.get() >> 10;
                case "expire" -> t.remainingMs(e, now);
                case "idle" -> now - e.lastTouched();
                default -> null;
            };
        };
    }

    /** in_table(<table>): whether the table holds the input as a key. */
    static Converter inTable(List<String> a) {
        String table = a.get(0).trim();
        return (v, s) -> {
            StickTable t = s.table(table);
            String k = t == null ? null : t.key(v);
            return k != null && t.lookup(k) != null;
        };
    }
}
