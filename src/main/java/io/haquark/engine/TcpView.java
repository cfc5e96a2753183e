package io.haquark.engine;

import io.haquark.state.ConnectionTracking;
import io.haquark.state.StickTable;
import java.net.InetSocketAddress;

/** Layer 4 samples only (addresses, tracked counters), for tcp-request connection rules of HTTP frontends. */
record TcpView(InetSocketAddress source, InetSocketAddress destination, String frontendName,
               ConnectionTracking connectionTracking, Routing routing) implements Layer4Source {
    @Override
    public int usableServers(String backend) {
        return -1;
    }

    @Override
    public String backendName() {
        return null;
    }

    @Override
    public StickTable table(String name) {
        return routing.table(name, frontendName, null);
    }
}
