package io.haquark.acl;

import io.haquark.state.StickTable;
import java.util.List;
import java.util.Set;

/**
 * The table_* converters and in_table (configuration.txt §7.3.1): the input, as a string, is a
 * key of the named stick table; the converter answers one of the entry's data. A key the table
 * does not hold counts as zero, as HAProxy answers; a data type the table does not store fails
 * the conversion (no sample), as in HAProxy.
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
            StickTable.Layout l = e.layout();
            return switch (data) {
                case "expire" -> t.remainingMs(e, now);
                case "idle" -> now - e.lastTouched();
                case "trackers" -> e.connCur.get();
                case "server_id" -> null;
                case "kbytes_in" -> l.stores("bytes_in_cnt") ? e.bytesIn.get() >> 10 : null;
                case "kbytes_out" -> l.stores("bytes_out_cnt") ? e.bytesOut.get() >> 10 : null;
                case "gpc" -> idx < l.gpcSize() ? (Object) e.gpc(idx) : null;
                case "gpt" -> idx < l.gptSize() ? (Object) e.gpt(idx) : null;
                case "gpc_rate" -> idx < l.gpcRateSize() ? (Object) e.gpcRate(idx) : null;
                case "gpc0" -> l.stores("gpc0") ? e.gpc(0) : null;
                case "gpc1" -> l.stores("gpc1") ? e.gpc(1) : null;
                case "gpt0" -> l.stores("gpt0") ? e.gpt(0) : null;
                case "gpc0_rate" -> l.stores("gpc0_rate") ? e.gpcRate(0) : null;
                case "gpc1_rate" -> l.stores("gpc1_rate") ? e.gpcRate(1) : null;
                case "conn_cnt" -> l.stores(data) ? e.connCnt.get() : null;
                case "conn_cur" -> l.stores(data) ? e.connCur.get() : null;
                case "sess_cnt" -> l.stores(data) ? e.sessCnt.get() : null;
                case "http_req_cnt" -> l.stores(data) ? e.httpReqCnt.get() : null;
                case "http_err_cnt" -> l.stores(data) ? e.httpErrCnt.get() : null;
                case "http_fail_cnt" -> l.stores(data) ? e.httpFailCnt.get() : null;
                default -> l.stores(data) ? (Object) e.rate(data) : null;   // the *_rate counters
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
