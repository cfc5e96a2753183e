package io.haquark.state;

import io.haquark.model.Proxy;
import io.haquark.model.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable side of a backend: its servers' states and counters. Whoever needs to follow
 * the servers (the load balancer, metrics) subscribes to its server events rather than
 * polling: a state, weight or maxconn change, a server added or deleted.
 */
public final class BackendState {
    /** A server of this backend changed (state, admin, weight, maxconn), or was added or deleted. */
    public interface ServerEvents {
        void serverChanged(ServerState s);
    }

    public final Proxy proxy;
    /** The servers in config order; replaced (never changed in place) by add/del server. */
    private volatile ServerState[] servers;
    public final Counters counters;
    private final List<ServerEvents> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();

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
            servers[i].onChange(this::fire);
            servers[i].source = source(list.get(i));
            servers[i].backend = this;
        }
        this.nextIndex = servers.length;
        // HAProxy's numbering (read off "show servers state"): explicit ids are taken first; then a
        // counter from 1 steps once per server in order, and a server without an id gets the
        // first free number at or above it (the counter then goes on from there).
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (ServerState s : servers) {
            s.assignedId = s.forcedId();
            taken.add(s.assignedId);
        }
        int next = 1;
        for (ServerState s : servers) {
            if (s.assignedId == 0) {
                while (taken.contains(next)) {
                    next++;
                }
                s.assignedId = next;
                taken.add(next);
            }
            next++;
        }
    }

    /**
     * The server's "source" option, else the backend's "source" (configuration.txt §4.2
     * "source"): an address checked at load, with a port or 0 (a port range leaves the port to
     * the kernel).
     */
    private java.net.InetSocketAddress source(Server s) {
        String spec = s.options().getOrDefault("source", proxy.source());
        if (spec == null) {
            return null;
        }
        int colon = spec.lastIndexOf(':');
        String host = spec;
        int port = 0;
        if (colon > 0 && spec.indexOf(':') == colon) {
            host = spec.substring(0, colon);
            String p = spec.substring(colon + 1);
            port = p.isEmpty() || p.contains("-") ? 0 : Integer.parseInt(p);
        } else if (spec.startsWith("[") && spec.contains("]:")) {
            host = spec.substring(1, spec.indexOf("]:"));
            String p = spec.substring(spec.indexOf("]:") + 2);
            port = p.contains("-") ? 0 : Integer.parseInt(p);
        }
        try {
            return new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** Where state change lines go (severity, text): the backend's log targets, set by the health checks. */
    private volatile java.util.function.BiConsumer<Integer, String> stateLog = (severity, line) -> { };

    public void onStateLog(java.util.function.BiConsumer<Integer, String> log) {
        stateLog = log;
    }

    void stateLog(int severity, String line) {
        stateLog.accept(severity, line);
    }

    public void subscribe(ServerEvents s) {
        subscribers.add(s);
    }

    private void fire(ServerState s) {
        for (ServerEvents e : subscribers) {
            e.serverChanged(s);
        }
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
    public ServerState addServer(Server s) {
        ServerState st;
        synchronized (this) {
            st = new ServerState(s, proxy.name(), nextIndex++, new Counters());
            st.assignedId = st.forcedId();
            if (st.assignedId == 0) {
                java.util.Set<Integer> taken = new java.util.HashSet<>();
                for (ServerState o : servers) {
                    taken.add(o.id());
                }
                int next = 1;
                while (taken.contains(next)) {
                    next++;
                }
                st.assignedId = next;
            }
            st.setAdmin(ServerState.Admin.MAINT);
            st.checksEnabled = false;
            st.agentEnabled = false;
            st.source = source(s);
            st.onChange(this::fire);
            st.backend = this;
            ServerState[] next = java.util.Arrays.copyOf(servers, servers.length + 1);
            next[servers.length] = st;
            servers = next;
        }
        fire(st);
        return st;
    }

    /** del server: null when removed, else why not (HAProxy's messages). */
    public String removeServer(ServerState s) {
        synchronized (this) {
            if (!s.inMaintenance()) {
                return "Only servers in maintenance mode can be deleted.";
            }
            if (s.active.get() > 0) {
                return "Server still has connections attached to it, cannot remove it.";
            }
            List<ServerState> left = new ArrayList<>(List.of(servers));
            left.remove(s);
            servers = left.toArray(new ServerState[0]);
            s.deleted = true;
            if (s.tracked != null) {
                s.tracked.trackers.remove(s);
            }
        }
        fire(s);
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

    /** Servers that could take traffic now: nbsrv(), and the stats page's "active/backup" counts. */
    public int usableServers() {
        return usableServers(false);
    }

    /** Active (backup false) or backup servers that could take traffic now, as state change logs count them. */
    public int usableServers(boolean backup) {
        int n = 0;
        for (ServerState s : servers) {
            if (s.usable() && s.server.backup() == backup) {
                n++;
            }
        }
        return n;
    }

    /** Transactions waiting for a server slot (qcur); reloads share it, as they share the counters. */
    public int queueLength() {
        return counters.queueCurrent.get();
    }
}
