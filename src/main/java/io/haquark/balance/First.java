package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;

/** {@code balance first}: the first server (declaration order) with a free slot under its maxconn. */
final class First implements Balancer {
    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        for (ServerState s : candidates) {
            if (s.hasRoom()) {
                return s;
            }
        }
        return null;
    }
}
