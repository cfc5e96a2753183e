package io.haquark.engine;

import java.net.InetSocketAddress;

/** Layer 4 samples only (addresses), for tcp-request connection rules of HTTP frontends. */
record TcpView(InetSocketAddress source, InetSocketAddress destination, String frontendName) implements Layer4Source {
    @Override
    public int usableServers(String backend) {
        return -1;
    }

    @Override
    public String backendName() {
        return null;
    }
}
