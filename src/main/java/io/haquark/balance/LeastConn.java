package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;

/**
 * {@code balance leastconn}: fewest active connections relative to weight; ties go round
 * robin so equal servers still share the load.
 */
final class LeastConn implements Balancer {
    private int rotation;

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        ServerState best = null;
        long bestScore = Long.MAX_VALUE;
        int n = candidates.length;
        int start = rotation++ % n;
        for (int k = 0; k < n; k++) {
            ServerState s = candidates[(start + k) % n];
            if (!s.hasRoom()) {
                continue;
            }
            // active/weight compared without division: scale by 256/weight.
            long score = ((long) s.active.get() + 1) * 256 / s.weight();
            if (score < bestScore) {
                bestScore = score;
                best = s;
            }
        }
        return best;
    }
}
