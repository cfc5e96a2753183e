package io.haquark.state;

import io.haquark.model.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable side of a frontend: counters and the live connection count behind maxconn. */
public final class FrontendState {
    public final Proxy proxy;
    public final Counters counters = new Counters();
    public final AtomicInteger connections = new AtomicInteger();

    public FrontendState(Proxy proxy) {
        this.proxy = proxy;
    }

    public String name() {
        return proxy.name();
    }
}
