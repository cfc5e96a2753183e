package io.haquark.engine;

import io.haquark.state.ConnectionTracking;
import io.haquark.state.StickTable;
import java.net.InetSocketAddress;

/** Layer 4 samples only (addresses, tracked counters), for tcp-request connection rules of HTTP frontends. */
record TcpView(InetSocketAddress source, InetSocketAddress destination, String frontendName,
               ConnectionTracking connectionTracking, Routing routing,
               java.util.function.Supplier<io.haquark.state.Variables> session) implements Layer4Source {
    @Override
    public io.haquark.state.Variables variables(io.haquark.state.Variables.Scope scope) {
        return switch (scope) {
            case PROC -> routing.procVars;
            case SESS -> session.get();
            default -> null;
        };
    }

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

    @Override
    public io.haquark.state.BackendState backendState(String name) {
        return routing.backendState(name);
    }

    @Override
    public io.haquark.state.FrontendState frontendState(String name) {
        return routing.frontendState(name);
    }
}
