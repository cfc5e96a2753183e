package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;

/**
 * {@code balance roundrobin}: weighted round robin that spreads heavier servers evenly
 * through the cycle (smooth weighted RR), dynamic: weight changes apply at once. With equal
 * weights the order is exactly s1, s2, s1, s2 ... as in HAProxy.
 */
final class RoundRobin implements Balancer {
    private long[] current = new long[0];

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        int n = maxIndex(candidates) + 1;
        if (current.length < n) {
            current = java.util.Arrays.copyOf(current, n);
        }
        long total = 0;
        ServerState best = null;
        for (ServerState s : candidates) {
            if (!s.hasRoom()) {
                continue;
            }
            int w = s.weight();
            current[s.index] += w;
            total += w;
            if (best == null || current[s.index] > current[best.index]) {
                best = s;
            }
        }
        if (best != null) {
            current[best.index] -= total;
        }
        return best;
    }

    static int maxIndex(ServerState[] c) {
        int m = 0;
        for (ServerState s : c) {
            m = Math.max(m, s.index);
        }
        return m;
    }
}
