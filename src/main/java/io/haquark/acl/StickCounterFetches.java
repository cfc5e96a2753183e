package io.haquark.acl;

import io.haquark.state.StickTable;
import java.util.List;
import java.util.Map;

/**
 * The stick counter fetches of configuration.txt §7.3.3: {@code sc_<x>(<ctr>[,<table>])},
 * {@code sc0_<x>} .. {@code sc2_<x>}, and {@code src_<x>([<table>])} on the entry of the
 * client's address; the array forms take the array index first ({@code sc_get_gpc(<idx>,<ctr>)},
 * {@code src_get_gpc(<idx>)}).
 *
 * <p>As read off HAProxy 2.6: a counter the entry's table does not store gives no sample;
 * {@code inc_} returns the new value, {@code clr_} the one cleared; {@code kbytes_*} are the byte
 * counts divided by 1024; an address with no entry counts as zero for {@code src_} fetches, and
 * {@code src_inc_*} / {@code src_updt_conn_cnt} create it.
 */
final class StickCounterFetches {
    private StickCounterFetches() {
    }

    /** What a fetch reads (or changes), and the data type the table must store for it. */
    private record Counter(String stored, boolean indexed, boolean creates, java.util.function.BiFunction<StickTable.Entry, Integer, Object> read) {
    }

    private static Counter plain(String stored, java.util.function.Function<StickTable.Entry, Object> read) {
        return new Counter(stored, false, false, (e, i) -> read.apply(e));
    }

    private static final Map<String, Counter> COUNTERS = Map.ofEntries(
            Map.entry("conn_cnt", plain("conn_cnt", e -> e.connCnt.get())),
            Map.entry("conn_cur", plain("conn_cur", e -> e.connCur.get())),
            Map.entry("conn_rate", plain("conn_rate", e -> e.rate("conn_rate"))),
            Map.entry("sess_cnt", plain("sess_cnt", e -> e.sessCnt.get())),
            Map.entry("sess_rate", plain("sess_rate", e -> e.rate("sess_rate"))),
            Map.entry("http_req_cnt", plain("http_req_cnt", e -> e.httpReqCnt.get())),
            Map.entry("http_req_rate", plain("http_req_rate", e -> e.rate("http_req_rate"))),
            Map.entry("http_err_cnt", plain("http_err_cnt", e -> e.httpErrCnt.get())),
            Map.entry("http_err_rate", plain("http_err_rate", e -> e.rate("http_err_rate"))),
            Map.entry("http_fail_cnt", plain("http_fail_cnt", e -> e.httpFailCnt.get())),
            Map.entry("http_fail_rate", plain("http_fail_rate", e -> e.rate("http_fail_rate"))),
            Map.entry("bytes_in_rate", plain("bytes_in_rate", e -> e.rate("bytes_in_rate"))),
            Map.entry("bytes_out_rate", plain("bytes_out_rate", e -> e.rate("bytes_out_rate"))),
            Map.entry("kbytes_in", plain("bytes_in_cnt", e -> e.bytesIn.get() >> 10)),
            Map.entry("kbytes_out", plain("bytes_out_cnt", e -> e.bytesOut.get() >> 10)),
            Map.entry("trackers", plain(null, e -> e.connCur.get())),
            Map.entry("get_gpt0", plain("gpt0", e -> e.gpt(0))),
            Map.entry("get_gpc0", plain("gpc0", e -> e.gpc(0))),
            Map.entry("get_gpc1", plain("gpc1", e -> e.gpc(1))),
            Map.entry("gpc0_rate", plain("gpc0_rate", e -> e.gpcRate(0))),
            Map.entry("gpc1_rate", plain("gpc1_rate", e -> e.gpcRate(1))),
            Map.entry("inc_gpc0", new Counter("gpc0", false, true, (e, i) -> e.incGpc(0))),
            Map.entry("inc_gpc1", new Counter("gpc1", false, true, (e, i) -> e.incGpc(1))),
            Map.entry("clr_gpc0", new Counter("gpc0", false, false, (e, i) -> e.clrGpc(0))),
            Map.entry("clr_gpc1", new Counter("gpc1", false, false, (e, i) -> e.clrGpc(1))),
            Map.entry("get_gpt", new Counter("gpt", true, false, (e, i) -> e.gpt(i))),
            Map.entry("get_gpc", new Counter("gpc", true, false, (e, i) -> e.gpc(i))),
            Map.entry("gpc_rate", new Counter("gpc_rate", true, false, (e, i) -> e.gpcRate(i))),
            Map.entry("inc_gpc", new Counter("gpc", true, true, (e, i) -> e.incGpc(i))),
            Map.entry("clr_gpc", new Counter("gpc", true, false, (e, i) -> e.clrGpc(i))));

    private static final java.util.regex.Pattern SC = java.util.regex.Pattern.compile("sc([0-2])?_(\\w+)");
    private static final java.util.regex.Pattern SRC = java.util.regex.Pattern.compile("src_(\\w+)");

    /** Whether the name is one of these fetches. */
    static boolean knows(String name) {
        java.util.regex.Matcher m = SC.matcher(name);
        if (m.matches()) {
            Counter c = COUNTERS.get(m.group(2));
            return m.group(2).equals("tracked") || c != null && !(c.indexed && m.group(1) != null);
        }
        m = SRC.matcher(name);
        return m.matches() && (COUNTERS.containsKey(m.group(1)) && !m.group(1).equals("trackers")
                || m.group(1).equals("updt_conn_cnt"));
    }

    static FetchRegistry.Def fetch(String name) {
        if (!knows(name)) {
            return null;
        }
        java.util.regex.Matcher m = SC.matcher(name);
        if (m.matches()) {
            Integer fixed = m.group(1) == null ? null : Integer.parseInt(m.group(1));
            String what = m.group(2);
            if (what.equals("tracked")) {
                return new FetchRegistry.Def(name, SampleType.BOOLEAN, fixed == null ? 1 : 0, fixed == null ? 2 : 1, a -> {
                    int n = fixed != null ? fixed : number(name, a.get(0));
                    return s -> s.tracked(n) != null;
                });
            }
            Counter c = COUNTERS.get(what);
            int extra = c.indexed ? 1 : 0;
            int min = (fixed == null ? 1 : 0) + extra;
            return new FetchRegistry.Def(name, SampleType.INTEGER, min, min + 1, a -> {
                int idx = c.indexed ? number(name, a.get(0)) : 0;
                int n = fixed != null ? fixed : number(name, a.get(extra));
                String table = a.size() > min ? a.get(min).trim() : null;
                return s -> {
                    StickTable.Entry e = s.tracked(n);
                    if (e == null && table != null && s.source() != null) {
                        StickTable t = s.table(table);
                        e = t == null ? null : t.lookup(t.key(s.source().getAddress()));
                    }
                    return e == null ? null : read(c, e, idx);
                };
            });
        }
        m = SRC.matcher(name);
        m.matches();
        String what = m.group(1);
        if (what.equals("updt_conn_cnt")) {
            return new FetchRegistry.Def(name, SampleType.INTEGER, 0, 1, a -> {
                String table = a.isEmpty() ? null : a.get(0).trim();
                return s -> {
                    StickTable.Entry e = entry(s, table, true);
                    if (e == null || !e.layout().stores("conn_cnt")) {
                        return null;
                    }
                    return e.connCnt.incrementAndGet();
                };
            });
        }
        Counter c = COUNTERS.get(what);
        int min = c.indexed ? 1 : 0;
        return new FetchRegistry.Def(name, SampleType.INTEGER, min, min + 1, a -> {
            int idx = c.indexed ? number(name, a.get(0)) : 0;
            String table = a.size() > min ? a.get(min).trim() : null;
            return s -> {
                StickTable t = s.table(table);
                if (t == null || s.source() == null) {
                    return null;
                }
                StickTable.Entry e = entry(s, table, c.creates);
                if (e == null) {
                    // An address never seen counts as zero, as HAProxy's src_* fetches answer.
                    return c.stored == null || stores(t.layout, c, idx) ? 0L : null;
                }
                return read(c, e, idx);
            };
        });
    }

    private static StickTable.Entry entry(SampleSource s, String table, boolean create) {
        StickTable t = s.table(table);
        if (t == null || s.source() == null) {
            return null;
        }
        String k = t.key(s.source().getAddress());
        if (k == null) {
            return null;
        }
        return create ? t.track(k) : t.lookup(k);
    }

    private static boolean stores(StickTable.Layout l, Counter c, int idx) {
        return switch (c.stored) {
            case "gpt" -> idx < l.gptSize();
            case "gpc" -> idx < l.gpcSize();
            case "gpc_rate" -> idx < l.gpcRateSize();
            default -> l.stores(c.stored);
        };
    }

    private static Object read(Counter c, StickTable.Entry e, int idx) {
        if (c.stored != null && !stores(e.layout(), c, idx)) {
            return null;
        }
        Object v = c.read.apply(e, idx);
        return v instanceof Integer i ? Long.valueOf(i) : v;
    }

    private static int number(String fetch, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new AclException("fetch method '" + fetch + "' : failed to parse '" + text + "' as type 'integer'");
        }
    }

    static List<String> names() {
        return List.copyOf(COUNTERS.keySet());
    }
}
