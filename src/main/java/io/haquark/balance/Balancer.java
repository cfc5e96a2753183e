package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;

/**
 * A load-balancing algorithm (configuration.txt "balance"). Called with the backend's lock
 * held and only usable candidates (UP, READY, weight above 0), so implementations may keep
 * unsynchronised state.
 */
public interface Balancer {
    /**
     * @param candidates usable servers, in declaration order (never empty)
     * @param request the transaction, for hash keys
     * @return the server to use; it may be full (maxconn reached) for hash-based algorithms,
     *         which then queue on it; null when every candidate is full
     */
    ServerState pick(ServerState[] candidates, SampleSource request);

    /** Every server of the backend, usable or not, whenever the set or a state changes (hash tables use it). */
    default void servers(ServerState[] all) {
    }
}
