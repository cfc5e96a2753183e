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
            rotate(now);
            current++;
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

    public static final class Entry {
        public final AtomicLong connCur = new AtomicLong();
        public final AtomicLong connCnt = new AtomicLong();
        public final AtomicLong httpReqCnt = new AtomicLong();
        public final AtomicLong httpErrCnt = new AtomicLong();
        public final AtomicLong gpc0 = new AtomicLong();
        /** gpt0: a tag rules set with sc-set-gpt0 (configuration.txt "sc-set-gpt0"). */
        public final AtomicLong gpt0 = new AtomicLong();
        public final AtomicLong bytesIn = new AtomicLong();
        public final AtomicLong bytesOut = new AtomicLong();
        final Rate connRate;
        final Rate httpReqRate;
        final Rate httpErrRate;
        final Rate gpc0Rate;
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
            connRate = new Rate(t.period("conn_rate"));
            httpReqRate = new Rate(t.period("http_req_rate"));
            httpErrRate = new Rate(t.period("http_err_rate"));
            gpc0Rate = new Rate(t.period("gpc0_rate"));
        }

        public long rate(String counter) {
            long now = System.currentTimeMillis();
            return switch (counter) {
                case "conn_rate" -> connRate.value(now);
                case "http_req_rate" -> httpReqRate.value(now);
                case "http_err_rate" -> httpErrRate.value(now);
                case "gpc0_rate" -> gpc0Rate.value(now);
                default -> 0;
            };
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

        public void connectionOpened() {
            touched = System.currentTimeMillis();
            connCur.incrementAndGet();
            connCnt.incrementAndGet();
            connRate.hit(touched);
        }

        public void connectionClosed() {
            touched = System.currentTimeMillis();
            connCur.decrementAndGet();
        }

        public void incGpc0() {
            gpc0.incrementAndGet();
            gpc0Rate.hit(System.currentTimeMillis());
        }
    }

    public final StickTableSpec spec;
    public final String name;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public StickTable(String name, StickTableSpec spec) {
        this.name = name;
        this.spec = spec;
    }

    /** The period of a stored rate counter, in milliseconds (1 s when not stored). */
    public long periodMs(String counter) {
        return period(counter);
    }

    long period(String counter) {
        for (String s : spec.store()) {
            if (s.startsWith(counter + "(")) {
                String p = s.substring(counter.length() + 1, s.length() - 1);
                return io.haquark.model.Values.time(p, "stick-table store " + counter);
            }
        }
        return 1000;
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
