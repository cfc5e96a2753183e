package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Server assignment for one backend: the balance algorithm over the servers that may take
 * traffic, and the queue of transactions waiting for a free slot (server maxconn;
 * configuration.txt §5.2 "maxconn", "maxqueue", "timeout queue").
 *
 * <p>It follows its backend's server events (state, weight, maxconn, added, removed): the
 * candidate list is rebuilt on the next pick after one, and queued work goes to a server
 * as soon as one has room again.
 */
public final class LoadBalancer implements BackendState.ServerEvents {

    /** A transaction waiting in the queue; assigned() runs on the thread that freed the slot. */
    public interface Pending {
        void assigned(ServerState server);

        /** set-priority-class: lower classes leave the queue first (-2047 .. 2047, 0 by default). */
        default long priorityClass() {
            return 0;
        }

        /** set-priority-offset: milliseconds added to the time it queued, within its class (0 by default). */
        default long priorityOffset() {
            return 0;
        }
    }

    /**
     * A queued transaction and its place: HAProxy orders its queues by priority class, then by the
     * time the transaction queued plus its priority offset (configuration.txt "set-priority-class",
     * "set-priority-offset"); equal keys keep their arrival order.
     */
    private record Queued(Pending pending, long priorityClass, long key, long seq) {
    }

    private static final java.util.Comparator<Queued> QUEUE_ORDER = java.util.Comparator.comparingLong(Queued::priorityClass)
            .thenComparingLong(Queued::key).thenComparingLong(Queued::seq);
    private long queuedSeq;

    public enum Outcome { ASSIGNED, QUEUED, NO_SERVER, QUEUE_FULL }

    private final BackendState backend;
    private final Balancer algorithm;
    private final java.util.PriorityQueue<Queued> queue = new java.util.PriorityQueue<>(QUEUE_ORDER);
    /** Set by a server event; the next pick rebuilds the candidates. */
    private volatile boolean stale = true;
    private ServerState[] candidates = new ServerState[0];

    public LoadBalancer(BackendState backend) {
        this.backend = backend;
        this.algorithm = BalanceAlgorithm.create(backend.proxy.balance());
        String factor = backend.proxy.setting("hash-balance-factor", null);
        if (factor != null && algorithm instanceof HashBalancer hb) {
            hb.balanceFactor(Integer.parseInt(factor));
        }
        backend.subscribe(this);
    }

    @Override
    public void serverChanged(ServerState s) {
        stale = true;
        pump();
    }

    /** Active servers that may take traffic, or the backups when none can (option allbackups: all of them). */
    private ServerState[] candidates() {
        if (stale) {
            // Cleared before reading: an event during the rebuild marks it stale again.
            stale = false;
            List<ServerState> active = new ArrayList<>();
            List<ServerState> backups = new ArrayList<>();
            for (ServerState s : backend.servers()) {
                if (s.usable()) {
                    (s.server.backup() ? backups : active).add(s);
                }
            }
            if (active.isEmpty() && !backups.isEmpty() && !backend.proxy.option("allbackups")) {
                backups = backups.subList(0, 1);
            }
            candidates = (active.isEmpty() ? backups : active).toArray(new ServerState[0]);
            algorithm.servers(backend.servers());
        }
        return candidates;
    }

    /**
     * Picks a server for the transaction and reserves a slot on it, or queues it.
     * {@code avoid} (a server that just failed, for option redispatch) is skipped when another exists.
     */
    public synchronized Outcome assign(SampleSource request, ServerState avoid, Pending pending, ServerState[] out) {
        ServerState[] cands = candidates();
        if (cands.length == 0) {
            return Outcome.NO_SERVER;
        }
        if (avoid != null && cands.length > 1) {
            ServerState[] fewer = new ServerState[cands.length - 1];
            int k = 0;
            for (ServerState s : cands) {
                if (s != avoid && k < fewer.length) {
                    fewer[k++] = s;
                }
            }
            if (k == fewer.length) {
                cands = fewer;
            }
        }
        ServerState s = algorithm.pick(cands, request);
        if (s != null && s.hasRoom()) {
            s.active.incrementAndGet();
            out[0] = s;
            return Outcome.ASSIGNED;
        }
        if (pending == null || queueFull(cands)) {
            return Outcome.QUEUE_FULL;
        }
        queue.add(new Queued(pending, pending.priorityClass(), System.currentTimeMillis() + pending.priorityOffset(), queuedSeq++));
        backend.counters.queued();
        return Outcome.QUEUED;
    }

    /**
     * Persistence (cookie, stick tables): reserve a slot on this very server when it may take
     * persistent traffic (UP, READY or DRAIN, under maxconn). False sends the request to the balancer.
     * @param forced force-persist / option persist: the server is used even when DOWN or in maintenance
     */
    public synchronized boolean reserve(ServerState s, boolean forced) {
        boolean persistentOk = forced || (s.isUp() && s.admin() != ServerState.Admin.MAINT && s.weight() >= 0);
        if (!persistentOk || !s.hasRoom()) {
            return false;
        }
        s.active.incrementAndGet();
        return true;
    }

    /** maxqueue: when every candidate caps its queue, the sum caps the backend's. */
    private boolean queueFull(ServerState[] cands) {
        long cap = 0;
        for (ServerState s : cands) {
            if (s.server.maxqueue() == 0) {
                return false;
            }
            cap += s.server.maxqueue();
        }
        return queue.size() >= cap;
    }

    /** Removes a pending transaction (queue timeout, client gone); false if it was already assigned. */
    public synchronized boolean cancel(Pending p) {
        if (queue.removeIf(q -> q.pending() == p)) {
            backend.counters.dequeued();
            return true;
        }
        return false;
    }

    /**
     * A transaction finished with server s: free its slot and hand queued work to free servers.
     * A transaction that retries on the same server keeps its slot instead (no release): the
     * slot given back here may go to a queued transaction at once.
     */
    public void release(ServerState s) {
        s.active.decrementAndGet();
        pump();
    }

    /** Gives queued transactions to servers that have room (after a release, or a server event). */
    public void pump() {
        List<Object[]> handoffs = null;
        synchronized (this) {
            if (queue.isEmpty()) {
                return;
            }
            ServerState[] cands = candidates();
            while (!queue.isEmpty()) {
                ServerState picked = cands.length == 0 ? null : algorithm.pick(cands, null);
                if (picked == null || !picked.hasRoom()) {
                    break;
                }
                Pending p = queue.poll().pending();
                backend.counters.dequeued();
                picked.active.incrementAndGet();
                if (handoffs == null) {
                    handoffs = new ArrayList<>();
                }
                handoffs.add(new Object[] {p, picked});
            }
        }
        if (handoffs != null) {
            for (Object[] h : handoffs) {
                ((Pending) h[0]).assigned((ServerState) h[1]);
            }
        }
    }

    public synchronized int queueLength() {
        return queue.size();
    }
}
