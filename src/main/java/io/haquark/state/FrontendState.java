package io.haquark.state;

import io.haquark.model.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable side of a frontend: counters and the live connection count behind maxconn. */
public final class FrontendState {
    public final Proxy proxy;
    public final Counters counters;
    public final AtomicInteger connections;

    public FrontendState(Proxy proxy) {
        this(proxy, new Counters());
    }

    /** A reload hands the same counters to the new model, so nothing counted by the old one is lost. */
    public FrontendState(Proxy proxy, Counters counters) {
        this(proxy, counters, new AtomicInteger());
    }

    /**
     * A reload also hands over the count of open connections: those of the old model go on
     * (and move to the new one at their next request), so they still count against maxconn.
     */
    public FrontendState(Proxy proxy, Counters counters, AtomicInteger connections) {
        this.proxy = proxy;
        this.counters = counters;
        this.connections = connections;
    }

    public String name() {
        return proxy.name();
    }
}
