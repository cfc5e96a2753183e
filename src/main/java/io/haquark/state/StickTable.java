package io.haquark.state;

import io.haquark.model.StickTableSpec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stick table (configuration.txt §7.3.3 "stick-table"): entries by key with the counters
 * its "store" line asks for. Rates use HAProxy's freq_ctr idea: the current period's count
 * plus the previous one's, weighed by how much of it still overlaps the sliding window.
 */
public final class StickTable {

    /** One sliding-window rate over a period. */
    public static final class Rate {
        private final long periodMs;
        private long start;
        private long current;
        private long previous;

        Rate(long periodMs) {
            this.periodMs = Math.max(1, periodMs);
        }

        synchronized void hit(long now) {
            add(now, 1);
        }

        synchronized void add(long now, long n) {
            rotate(now);
            current += n;
        }

        public synchronized long value(long now) {
            rotate(now);
            long elapsed = now - start;
            return current + previous * (periodMs - elapsed) / periodMs;
        }

        private void rotate(long now) {
            if (start == 0) {
                start = now;
                return;
            }
            long periods = (now - start) / periodMs;
            if (periods >= 1) {
                previous = periods == 1 ? current : 0;
                current = 0;
                start += periods * periodMs;
            }
        }
    }

    /**
     * What a table stores ("store" of configuration.txt "stick-table"): which counters exist, the
     * period of each rate, and the sizes of the gpt(n) / gpc(n) / gpc_rate(n,p) arrays. With the
     * arrays, gpt0 is gpt[0] and gpc0 / gpc1 are gpc[0] / gpc[1] (HAProxy refuses both forms in
     * one table).
     */
    public static final class Layout {
        private final java.util.Set<String> stored = new java.util.HashSet<>();
        private final java.util.Map<String, Long> periods = new java.util.HashMap<>();
        final int gpt;
        final int gpc;
        final int gpcRate;

        Layout(java.util.List<String> store) {
            int gptN = 0;
            int gpcN = 0;
            int gpcRateN = 0;
            for (String s : store) {
                int open = s.indexOf('(');
                String name = open < 0 ? s : s.substring(0, open);
                String[] args = open < 0 ? new String[0] : s.substring(open + 1, s.length() - 1).split(",");
                stored.add(name);
                switch (name) {
                    case "gpt" -> gptN = Integer.parseInt(args[0].trim());
                    case "gpc" -> gpcN = Integer.parseInt(args[0].trim());
                    case "gpc_rate" -> {
                        gpcRateN = Integer.parseInt(args[0].trim());
                        periods.put(name, io.haquark.model.Values.time(args[1].trim(), "stick-table store gpc_rate"));
                    }
                    default -> {
                        if (args.length == 1) {
                            periods.put(name, io.haquark.model.Values.time(args[0].trim(), "stick-table store " + name));
                        }
                    }
                }
            }
            gpt = gptN;
            gpc = gpcN;
            gpcRate = gpcRateN;
        }

        /** Whether the table stores this data type (gpc0/gpc1/gpt0 also through their arrays). */
        public boolean stores(String type) {
            return switch (type) {
                case "gpt0" -> stored.contains("gpt0") || gpt > 0;
                case "gpc0" -> stored.contains("gpc0") || gpc > 0;
                case "gpc1" -> stored.contains("gpc1") || gpc > 1;
                case "gpc0_rate" -> stored.contains("gpc0_rate") || gpcRate > 0;
                case "gpc1_rate" -> stored.contains("gpc1_rate") || gpcRate > 1;
                default -> stored.contains(type);
            };
        }

        long period(String type) {
            if ((type.equals("gpc0_rate") || type.equals("gpc1_rate")) && gpcRate > 0) {
                return periods.getOrDefault("gpc_rate", 1000L);
            }
            return periods.getOrDefault(type, 1000L);
        }

        public int gptSize() {
            return gpt;
        }

        public int gpcSize() {
            return gpc;
        }

        public int gpcRateSize() {
            return gpcRate;
        }
    }

    public static final class Entry {
        private final Layout layout;
        public final AtomicLong connCur = new AtomicLong();
        public final AtomicLong connCnt = new AtomicLong();
        public final AtomicLong sessCnt = new AtomicLong();
        public final AtomicLong httpReqCnt = new AtomicLong();
        public final AtomicLong httpErrCnt = new AtomicLong();
        public final AtomicLong httpFailCnt = new AtomicLong();
        /** gpc0 and gpc1, or the gpc(n) array when the table stores one. */
        private final java.util.concurrent.atomic.AtomicLongArray gpcs;
        /** gpt0, or the gpt(n) array: tags rules set with sc-set-gpt0 / sc-set-gpt. */
        private final java.util.concurrent.atomic.AtomicLongArray gpts;
        public final AtomicLong bytesIn = new AtomicLong();
        public final AtomicLong bytesOut = new AtomicLong();
        final Rate connRate;
        final Rate sessRate;
        final Rate httpReqRate;
        final Rate httpErrRate;
        final Rate httpFailRate;
        final Rate bytesInRate;
        final Rate bytesOutRate;
        private final Rate[] gpcRates;
        volatile long touched = System.currentTimeMillis();
        /** server_id: the server "stick on/store-request" bound this key to (by name, so reloads keep it). */
        public volatile String server;

        /** When a tracking session last used the entry (table_idle, expiry). */
        public long lastTouched() {
            return touched;
        }

        public void stickTo(String serverName) {
            touched = System.currentTimeMillis();
            server = serverName;
        }

        Entry(StickTable t) {
            layout = t.layout;
            connRate = new Rate(t.period("conn_rate"));
            sessRate = new Rate(t.period("sess_rate"));
            httpReqRate = new Rate(t.period("http_req_rate"));
            httpErrRate = new Rate(t.period("http_err_rate"));
            httpFailRate = new Rate(t.period("http_fail_rate"));
            bytesInRate = new Rate(t.period("bytes_in_rate"));
            bytesOutRate = new Rate(t.period("bytes_out_rate"));
            gpcs = new java.util.concurrent.atomic.AtomicLongArray(Math.max(2, layout.gpc));
            gpts = new java.util.concurrent.atomic.AtomicLongArray(Math.max(1, layout.gpt));
            gpcRates = new Rate[Math.max(2, layout.gpcRate)];
            for (int i = 0; i < gpcRates.length; i++) {
                gpcRates[i] = new Rate(layout.gpcRate > 0 ? layout.period("gpc_rate") : t.period(i == 0 ? "gpc0_rate" : "gpc1_rate"));
            }
        }

        public Layout layout() {
            return layout;
        }

        public long rate(String counter) {
            long now = System.currentTimeMillis();
            return switch (counter) {
                case "conn_rate" -> connRate.value(now);
                case "sess_rate" -> sessRate.value(now);
                case "http_req_rate" -> httpReqRate.value(now);
                case "http_err_rate" -> httpErrRate.value(now);
                case "http_fail_rate" -> httpFailRate.value(now);
                case "bytes_in_rate" -> bytesInRate.value(now);
                case "bytes_out_rate" -> bytesOutRate.value(now);
                case "gpc0_rate" -> gpcRates[0].value(now);
                case "gpc1_rate" -> gpcRates[1].value(now);
                default -> 0;
            };
        }

        /** gpc(i): general purpose counter i (gpc0 / gpc1 for 0 / 1 without the array). */
        public long gpc(int i) {
            return i < gpcs.length() ? gpcs.get(i) : 0;
        }

        /** Adds one to gpc(i) and hits its rate; the new value. */
        public long incGpc(int i) {
            if (i >= gpcs.length()) {
                return 0;
            }
            if (i < gpcRates.length) {
                gpcRates[i].hit(System.currentTimeMillis());
            }
            return gpcs.incrementAndGet(i);
        }

        /** Clears gpc(i); the value it had. */
        public long clrGpc(int i) {
            return i < gpcs.length() ? gpcs.getAndSet(i, 0) : 0;
        }

        public long gpcRate(int i) {
            return i < gpcRates.length ? gpcRates[i].value(System.currentTimeMillis()) : 0;
        }

        public long gpt(int i) {
            return i < gpts.length() ? gpts.get(i) : 0;
        }

        public void setGpt(int i, long v) {
            if (i < gpts.length()) {
                gpts.set(i, v);
            }
        }

        /** A request of a session tracking this entry. */
        public void httpRequest() {
            touched = System.currentTimeMillis();
            httpReqCnt.incrementAndGet();
            httpReqRate.hit(touched);
        }

        public void httpError() {
            httpErrCnt.incrementAndGet();
            httpErrRate.hit(System.currentTimeMillis());
        }

        /** A response failure (configuration.txt "http_fail_cnt": 5xx other than 501 and 505, or no valid response). */
        public void httpFailure() {
            httpFailCnt.incrementAndGet();
            httpFailRate.hit(System.currentTimeMillis());
        }

        public void connectionOpened() {
            touched = System.currentTimeMillis();
            connCur.incrementAndGet();
            connCnt.incrementAndGet();
            connRate.hit(touched);
        }

        /** The connection it tracks since "tcp-request connection" became a session. */
        public void sessionAccepted() {
            sessCnt.incrementAndGet();
            sessRate.hit(System.currentTimeMillis());
        }

        /** Bytes a tracking stream carried: from the client (in) and to it (out). */
        public void bytes(long in, long out) {
            long now = System.currentTimeMillis();
            if (in > 0) {
                bytesIn.addAndGet(in);
                bytesInRate.add(now, in);
            }
            if (out > 0) {
                bytesOut.addAndGet(out);
                bytesOutRate.add(now, out);
            }
        }

        public void connectionClosed() {
            touched = System.currentTimeMillis();
            connCur.decrementAndGet();
        }

        public void incGpc0() {
            incGpc(0);
        }

        /**
         * sc-inc-gpc0 / sc-inc-gpc1 ({@code type} "gpc0" / "gpc1") or sc-inc-gpc(idx) ("gpc"): only
         * a counter the table stores moves, as HAProxy's actions do.
         */
        public void incrementGpc(String type, int idx) {
            if (type.equals("gpc") ? idx < layout.gpc : layout.stores(type)) {
                incGpc(idx);
            }
        }

        /** sc-set-gpt0 ("gpt0") or sc-set-gpt(idx) ("gpt"), on a tag the table stores. */
        public void setGpt(String type, int idx, long value) {
            if (type.equals("gpt") ? idx < layout.gpt : layout.stores(type)) {
                setGpt(idx, value);
            }
        }
    }

    public final StickTableSpec spec;
    public final String name;
    public final Layout layout;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public StickTable(String name, StickTableSpec spec) {
        this.name = name;
        this.spec = spec;
        this.layout = new Layout(spec.store());
    }

    /** The period of a stored rate counter, in milliseconds (1 s when not stored). */
    public long periodMs(String counter) {
        return period(counter);
    }

    long period(String counter) {
        return layout.period(counter);
    }

    /** The entry for key, created when there is room (size); null when the table is full. */
    public Entry track(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            return e;
        }
        if (entries.size() >= spec.size()) {
            purge();
            if (entries.size() >= spec.size()) {
                return null;
            }
        }
        return entries.computeIfAbsent(key, k -> new Entry(this));
    }

    /**
     * The key a sample stands for in this table, as HAProxy converts it to the table's type: an
     * IPv4 address in an ipv6 table is "::ffff:a.b.c.d", an IPv4-mapped address in an ip table
     * is the IPv4 one, IPv6 is written compressed (inet_ntop's form); null when it cannot convert.
     */
    public String key(Object sample) {
        if (sample instanceof java.util.List<?> l) {
            sample = l.isEmpty() ? null : l.get(l.size() - 1);
        }
        if (sample == null) {
            return null;
        }
        String type = spec.type();
        if (type.equals("ip") || type.equals("ipv6")) {
            java.net.InetAddress a = sample instanceof java.net.InetAddress ia ? ia : literal(String.valueOf(sample));
            if (a == null) {
                return null;
            }
            if (type.equals("ip")) {
                return a instanceof java.net.Inet4Address ? a.getHostAddress() : null;
            }
            return a instanceof java.net.Inet4Address ? "::ffff:" + a.getHostAddress() : io.haquark.model.IpLiterals.text(a);
        }
        if (sample instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (sample instanceof java.net.InetAddress ia) {
            return ia.getHostAddress();
        }
        if (sample instanceof Boolean bool) {
            return bool ? "1" : "0";
        }
        return String.valueOf(sample);
    }

    private static java.net.InetAddress literal(String text) {
        String t = text.trim();
        if (!t.matches("[0-9a-fA-F:.]+") || (t.indexOf(':') < 0 && !t.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }


    public Entry lookup(String key) {
        Entry e = entries.get(key);
        if (e != null && expired(e, System.currentTimeMillis())) {
            entries.remove(key, e);
            return null;
        }
        return e;
    }

    private boolean expired(Entry e, long now) {
        return spec.expireMs() > 0 && e.connCur.get() == 0 && now - e.touched > spec.expireMs();
    }

    /** Milliseconds left before the entry expires, as "show table" prints it in "exp=" (0 without an expire). */
    public long remainingMs(Entry e, long now) {
        return spec.expireMs() > 0 ? Math.max(0, spec.expireMs() - (now - e.touched)) : 0;
    }

    /** Drops expired entries (on a full table, and from a periodic task). */
    public void purge() {
        long now = System.currentTimeMillis();
        entries.values().removeIf(e -> expired(e, now));
    }

    public int size() {
        return entries.size();
    }

    /** A snapshot of the live entries, for "show table". */
    /** The entries in HAProxy's tree order: addresses by their bytes, integers by value, strings as text. */
    public java.util.Map<String, Entry> snapshot() {
        purge();
        java.util.Map<String, Entry> out = new java.util.TreeMap<>(order());
        out.putAll(entries);
        return out;
    }

    private java.util.Comparator<String> order() {
        return switch (spec.type()) {
            case "ip", "ipv6" -> java.util.Comparator.comparing(StickTable::addressBytes, java.util.Arrays::compareUnsigned);
            case "integer" -> java.util.Comparator.comparingLong(k -> {
                try {
                    return Long.parseLong(k);
                } catch (NumberFormatException e) {
                    return 0;
                }
            });
            default -> java.util.Comparator.naturalOrder();
        };
    }

    private static byte[] addressBytes(String key) {
        java.net.InetAddress a = literal(key);
        if (a == null) {
            return key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        byte[] b = a.getAddress();
        if (b.length == 4 && key.indexOf(':') >= 0) {
            // "::ffff:a.b.c.d" in an ipv6 table sorts as the mapped address it is.
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(b, 0, m, 12, 4);
            return m;
        }
        return b;
    }

    /** "clear table": one key, or every entry no connection is using. */
    public int clear(String key) {
        if (key != null) {
            return entries.remove(key) != null ? 1 : 0;
        }
        int before = entries.size();
        entries.values().removeIf(e -> e.connCur.get() == 0);
        return before - entries.size();
    }
}
