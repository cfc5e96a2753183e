package io.haquark.state;

import io.haquark.acl.SampleSource;
import io.haquark.balance.Balancer;
import io.haquark.balance.Balancers;
import io.haquark.model.Proxy;
import io.haquark.model.Server;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mutable side of a backend: its servers' states, the balancer, and the queue of
 * transactions waiting for a free server slot (server maxconn; configuration.txt §5.2
 * "maxconn", "maxqueue", "timeout queue").
 */
public final class BackendState {
    /** Bumped by any server state, weight or admin change: cached candidate lists are then rebuilt. */
    public static final AtomicInteger EPOCH = new AtomicInteger();

    /** A transaction waiting in the queue; assigned() runs on the transaction's own thread. */
    public interface Pending {
        void assigned(ServerState server);
    }

    public enum Outcome { ASSIGNED, QUEUED, NO_SERVER, QUEUE_FULL }

    public final Proxy proxy;
    /** The servers in config order; replaced (never changed in place) by add/del server. */
    private volatile ServerState[] servers;
    public final Counters counters;
    private final Balancer balancer;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int cachedEpoch = -1;
    private ServerState[] candidates = new ServerState[0];

    public BackendState(Proxy proxy) {
        this(proxy, null);
    }

    /** On reload, the backend and servers of the same names keep their counters and states. */
    public BackendState(Proxy proxy, BackendState previous) {
        this.proxy = proxy;
        this.counters = previous != null ? previous.counters : new Counters();
        List<Server> list = proxy.servers();
        this.servers = new ServerState[list.size()];
        for (int i = 0; i < servers.length; i++) {
            ServerState old = previous == null ? null : previous.server(list.get(i).name());
            servers[i] = new ServerState(list.get(i), proxy.name(), i, old == null ? new Counters() : old.counters);
            if (old != null) {
                servers[i].inheritFrom(old);
            }
        }
        this.balancer = Balancers.create(proxy.balance());
        this.nextIndex = servers.length;
    }

    public String name() {
        return proxy.name();
    }

    public ServerState[] servers() {
        return servers;
    }

    /** The slot the next added server gets: slots of deleted servers are never reused. */
    private int nextIndex;

    /** add server: the new server starts in maintenance, as HAProxy's dynamic servers do. */
    public synchronized ServerState addServer(Server s) {
        ServerState st = new ServerState(s, proxy.name(), nextIndex++, new Counters());
        st.setAdmin(ServerState.Admin.MAINT);
        st.checksEnabled = false;
        ServerState[] next = java.util.Arrays.copyOf(servers, servers.length + 1);
        next[servers.length] = st;
        servers = next;
        EPOCH.incrementAndGet();
        return st;
    }

    /** del server: null when removed, else why not (HAProxy's messages). */
    public synchronized String removeServer(ServerState s) {
        if (s.admin() != ServerState.Admin.MAINT) {
            return "Only servers in maintenance mode can be deleted.";
        }
        if (s.active.get() > 0) {
            return "Server still has connections attached to it, cannot remove it.";
        }
        List<ServerState> left = new ArrayList<>(List.of(servers));
        left.remove(s);
        servers = left.toArray(new ServerState[0]);
        s.deleted = true;
        EPOCH.incrementAndGet();
        return null;
    }

    public ServerState server(String name) {
        for (ServerState s : servers) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Active servers that may take traffic, or the backups when none can (option allbackups: all of them). */
    private ServerState[] candidates() {
        int epoch = EPOCH.get();
        if (epoch != cachedEpoch) {
            List<ServerState> active = new ArrayList<>();
            List<ServerState> backups = new ArrayList<>();
            for (ServerState s : servers) {
                if (s.usable()) {
                    (s.server.backup() ? backups : active).add(s);
                }
            }
            if (active.isEmpty() && !backups.isEmpty() && !proxy.option("allbackups")) {
                backups = backups.subList(0, 1);
            }
            candidates = (active.isEmpty() ? backups : active).toArray(new ServerState[0]);
            cachedEpoch = epoch;
        }
        return candidates;
    }

    /** Servers that could take traffic now: nbsrv(), and the stats page's "active/backup" counts. */
    public synchronized int usableServers() {
        int n = 0;
        for (ServerState s : servers) {
            if (s.usable() && !s.server.backup()) {
                n++;
            }
        }
        return n;
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
        ServerState s = balancer.pick(cands, request);
        if (s != null && s.hasRoom()) {
            s.active.incrementAndGet();
            out[0] = s;
            return Outcome.ASSIGNED;
        }
        if (pending == null || queueFull(cands)) {
            return Outcome.QUEUE_FULL;
        }
        queue.add(pending);
        counters.queued();
        return Outcome.QUEUED;
    }

    /**
     * Persistence (cookie): reserve a slot on this very server when it may take persistent
     * traffic (UP, READY or DRAIN, under maxconn). False sends the request to the balancer.
     */
    public boolean reserve(ServerState s) {
        return reserve(s, false);
    }

    /** @param forced force-persist / option persist: the server is used even when DOWN or in maintenance */
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
        if (queue.remove(p)) {
            counters.dequeued();
            return true;
        }
        return false;
    }

    /** A transaction finished with server s: free its slot and hand queued work to free servers. */
    public void release(ServerState s) {
        s.active.decrementAndGet();
        pump();
    }

    /** Gives queued transactions to servers that have room (after a release, or a server coming back). */
    public void pump() {
        List<Object[]> handoffs = null;
        synchronized (this) {
            if (queue.isEmpty()) {
                return;
            }
            ServerState[] cands = candidates();
            Iterator<Pending> it = queue.iterator();
            while (it.hasNext()) {
                ServerState free = null;
                ServerState picked = cands.length == 0 ? null : balancer.pick(cands, null);
                if (picked != null && picked.hasRoom()) {
                    free = picked;
                }
                if (free == null) {
                    break;
                }
                Pending p = it.next();
                it.remove();
                counters.dequeued();
                free.active.incrementAndGet();
                if (handoffs == null) {
                    handoffs = new ArrayList<>();
                }
                handoffs.add(new Object[] {p, free});
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
