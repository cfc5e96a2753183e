package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code balance random[(draws)]}: draw servers at random by weight, keep the least loaded
 * of the draws (power of two choices by default).
 */
final class RandomDraws implements Balancer {
    private final int draws;

    RandomDraws(int draws) {
        this.draws = Math.max(1, draws);
    }

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        long total = 0;
        for (ServerState s : candidates) {
            total += s.weight();
        }
        ServerState best = null;
        for (int d = 0; d < draws; d++) {
            long r = ThreadLocalRandom.current().nextLong(total);
            ServerState drawn = candidates[candidates.length - 1];
            for (ServerState s : candidates) {
                r -= s.weight();
                if (r < 0) {
                    drawn = s;
                    break;
                }
            }
            if (drawn.hasRoom() && (best == null || drawn.active.get() < best.active.get())) {
                best = drawn;
            }
        }
        if (best == null) {
            for (ServerState s : candidates) {
                if (s.hasRoom()) {
                    return s;
                }
            }
        }
        return best;
    }
}
