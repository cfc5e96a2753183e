package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;

/** {@code balance static-rr}: each server takes its weight's worth of turns in a row, in order. */
final class StaticRoundRobin implements Balancer {
    private int position;
    private int usedOfTurn;

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        for (int tries = 0; tries < candidates.length; tries++) {
            int i = position % candidates.length;
            ServerState s = candidates[i];
            if (s.hasRoom() && usedOfTurn < s.weight()) {
                if (++usedOfTurn >= s.weight()) {
                    position = (i + 1) % candidates.length;
                    usedOfTurn = 0;
                }
                return s;
            }
            position = (i + 1) % candidates.length;
            usedOfTurn = 0;
        }
        return null;
    }
}
