package io.haquark.engine;

import io.haquark.state.Variables;
import java.net.InetSocketAddress;

/**
 * Samples where there is no connection: the global section's set-var lines and the runtime
 * API's "set var". Only process-wide variables and fetches that need no stream answer.
 */
record ProcessSource(Routing routing) implements Layer4Source, RoutedSource {
    @Override
    public Variables variables(Variables.Scope scope) {
        return scope == Variables.Scope.PROC ? routing.procVars : null;
    }

    @Override
    public InetSocketAddress source() {
        return null;
    }

    @Override
    public InetSocketAddress destination() {
        return null;
    }

    @Override
    public int usableServers(String backend) {
        BackendRuntime b = routing.backend(backend);
        return b == null ? -1 : b.state.usableServers();
    }

    @Override
    public String frontendName() {
        return null;
    }

    @Override
    public String backendName() {
        return null;
    }
}
