package io.haquark.state;

import io.haquark.model.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable side of a frontend: counters and the live connection count behind maxconn. */
public final class FrontendState {
    public final Proxy proxy;
    public final Counters counters;
    public final AtomicInteger connections = new AtomicInteger();

    public FrontendState(Proxy proxy) {
        this(proxy, new Counters());
    }

    /** A reload hands the same counters to the new model, so nothing counted by the old one is lost. */
    public FrontendState(Proxy proxy, Counters counters) {
        this.proxy = proxy;
        this.counters = counters;
    }

    public String name() {
        return proxy.name();
    }
}
