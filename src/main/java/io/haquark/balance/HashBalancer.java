package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Hash-based algorithms (source, uri, url_param, hdr, rdp-cookie, hash), placing keys as HAProxy
 * 2.6 places them so that a fleet mixing HAProxy and haquark sends a key to the same server:
 * <ul>
 * <li>map-based: a table of one slot per unit of effective weight (the weight scaled by 16 and
 *     divided by the backend's common divisor), filled by smooth weighted interleaving in
 *     declaration order; the key's hash modulo the table size picks the slot;</li>
 * <li>consistent: a ring of 16 points per unit of weight, a point's position being the avalanche
 *     hash of (server id × 4096 + point number); the key goes to the nearest point, before or after.</li>
 * </ul>
 * A missing key falls back to round robin, as HAProxy does. The key of "source" is the address
 * (its 32-bit words xored), that of the others the bytes of the text.
 */
final class HashBalancer implements Balancer {
    /** HAProxy's BE_WEIGHT_SCALE and the range of node numbers per server (SRV_EWGHT_RANGE). */
    private static final int WEIGHT_SCALE = 16;
    private static final int NODE_RANGE = 256 * WEIGHT_SCALE;

    private final Function<SampleSource, Object> key;
    private final boolean consistent;
    private final String function;
    private final boolean avalanche;
    private final RoundRobin fallback = new RoundRobin();
    /** The common divisor of the configured weights of all the backend's servers (map-based). */
    private int divisor = 1;

    private ServerState[] builtFor = new ServerState[0];
    private int[] builtWeights = new int[0];
    // map-based
    private ServerState[] map = new ServerState[0];
    // consistent
    private long[] points = new long[0];
    private ServerState[] owners = new ServerState[0];

    HashBalancer(Function<SampleSource, Object> key, boolean consistent, String function) {
        this.key = key;
        this.consistent = consistent;
        String[] f = (function == null ? "sdbm" : function).split(" ");
        this.function = f[0];
        this.avalanche = f.length > 1 && f[1].equals("avalanche");
    }

    @Override
    public void servers(ServerState[] all) {
        int g = 0;
        for (ServerState s : all) {
            int w = s.server.weight();
            if (w > 0) {
                g = g == 0 ? w : gcd(g, w);
            }
        }
        divisor = Math.max(1, g);
        builtFor = new ServerState[0];   // rebuild on the next pick
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        Object k = request == null ? null : key.apply(request);
        if (k == null) {
            return fallback.pick(candidates, request);
        }
        long h = hashOf(k);
        rebuildIfChanged(candidates);
        if (consistent && !avalanche) {
            // A consistent lookup mixes the key's hash the way the ring's points are mixed, once:
            // the avalanche modifier already did (HAProxy 2.6, checked key for key).
            h = HashFunctions.fullHash(h);
        }
        return consistent ? nearest(h, candidates) : map.length == 0 ? candidates[0] : map[(int) (h % map.length)];
    }

    /** hash-balance-factor (configuration.txt §4.2): 0 for none, else the load bound in percent of the average. */
    private int balanceFactor;

    void balanceFactor(int percent) {
        balanceFactor = percent;
    }

    /**
     * Bounded-load consistent hashing, as HAProxy's chash decides it: the slots are the backend's
     * outstanding requests plus this one, times the factor, spread over the servers by effective
     * weight (whole slots per weight unit, the rest by cumulative weight); a server already
     * serving its slots is passed over for the next point of the ring.
     */
    private static boolean eligible(ServerState s, ServerState[] candidates, int factor) {
        long served = 0;
        long total = 0;
        long cumulative = 0;
        boolean before = true;
        for (ServerState c : candidates) {
            served += c.active.get();
            long w = (long) c.weight() * WEIGHT_SCALE;
            total += w;
            if (c == s) {
                before = false;
            } else if (before) {
                cumulative += w;
            }
        }
        if (total == 0) {
            return true;
        }
        long eweight = (long) s.weight() * WEIGHT_SCALE;
        long slotsTotal = ((served + 1) * factor + 99) / 100;
        long slots = eweight * (slotsTotal / total);
        long remainder = slotsTotal % total;
        slots += (cumulative + eweight) * remainder / total - cumulative * remainder / total;
        if (slots == 0) {
            slots = 1;
        }
        return s.active.get() < slots;
    }

    long hashOf(Object k) {
        long h;
        if (k instanceof InetAddress a) {
            // balance source: the address's 32-bit words xored (HAProxy applies no hash function here).
            byte[] b = a.getAddress();
            int x = 0;
            for (int i = 0; i + 4 <= b.length; i += 4) {
                x ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            }
            h = x & 0xffffffffL;
        } else {
            h = HashFunctions.hash(function, k instanceof byte[] b ? b
                    : String.valueOf(k).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return avalanche ? HashFunctions.fullHash(h) : h;
    }

    private void rebuildIfChanged(ServerState[] candidates) {
        boolean same = Arrays.equals(candidates, builtFor);
        for (int i = 0; same && i < candidates.length; i++) {
            same = candidates[i].weight() == builtWeights[i];
        }
        if (same) {
            return;
        }
        builtFor = candidates.clone();
        builtWeights = Arrays.stream(candidates).mapToInt(ServerState::weight).toArray();
        if (consistent) {
            buildRing(candidates);
        } else {
            buildMap(candidates);
        }
    }

    /** The effective weight of the map: weight × 16 / divisor, rounded up. */
    private int mapWeight(ServerState s) {
        return (s.weight() * WEIGHT_SCALE + divisor - 1) / divisor;
    }

    /**
     * Fills one slot per unit of total effective weight: each server accumulates its weight,
     * the one with the highest score (first declared on a tie) takes the slot and pays the total.
     */
    private void buildMap(ServerState[] candidates) {
        int total = 0;
        int[] w = new int[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            w[i] = mapWeight(candidates[i]);
            total += w[i];
        }
        map = new ServerState[total];
        if (total == 0) {
            return;
        }
        long[] score = new long[candidates.length];
        for (int slot = 0; slot < total; slot++) {
            int best = -1;
            long bestValue = 0;
            for (int i = 0; i < candidates.length; i++) {
                if (w[i] == 0) {
                    continue;
                }
                if (total == 1) {
                    best = i;
                    break;
                }
                score[i] += w[i];
                long v = (score[i] + total) / total;
                if (best < 0 || v > bestValue) {
                    bestValue = v;
                    best = i;
                }
            }
            map[slot] = candidates[best];
            score[best] -= total;
        }
    }

    private void buildRing(ServerState[] candidates) {
        int total = 0;
        for (ServerState s : candidates) {
            total += s.weight() * WEIGHT_SCALE;
        }
        long[][] pts = new long[total][];
        int n = 0;
        for (int c = 0; c < candidates.length; c++) {
            ServerState s = candidates[c];
            for (int p = 0; p < s.weight() * WEIGHT_SCALE; p++) {
                pts[n++] = new long[] {HashFunctions.fullHash((long) s.id() * NODE_RANGE + p), c};
            }
        }
        // Equal positions keep insertion order (HAProxy's tree keeps duplicates in insertion order).
        Arrays.sort(pts, (a, b) -> Long.compare(a[0], b[0]));
        points = new long[total];
        owners = new ServerState[total];
        for (int i = 0; i < total; i++) {
            points[i] = pts[i][0];
            owners[i] = candidates[(int) pts[i][1]];
        }
    }

    /**
     * The server of the nearest point: the first at or after the hash, or the one before when
     * closer; with hash-balance-factor, the next points in turn while their server is full.
     */
    private ServerState nearest(long h, ServerState[] candidates) {
        if (points.length == 0) {
            return null;
        }
        int next = Arrays.binarySearch(points, h);
        if (next < 0) {
            next = -next - 1;
        } else {
            while (next > 0 && points[next - 1] == h) {
                next--;
            }
        }
        if (next == points.length) {
            next = 0;
        }
        int prev = next == 0 ? points.length - 1 : next - 1;
        if (owners[next] == owners[prev]) {
            return owners[next];
        }
        int at = next;
        if (owners[next] != owners[prev]) {
            long dp = (h - points[prev]) & 0xffffffffL;
            long dn = (points[next] - h) & 0xffffffffL;
            at = dp <= dn ? prev : next;
        }
        int wraps = 0;
        while (balanceFactor > 0 && !eligible(owners[at], candidates, balanceFactor)) {
            at++;
            if (at == points.length) {
                at = 0;
                if (++wraps > 1) {
                    break;                         // every server is full: the last one seen
                }
            }
        }
        return owners[at];
    }
}
