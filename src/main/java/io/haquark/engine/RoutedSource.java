package io.haquark.engine;

import io.haquark.acl.SampleSource;

/** A sample source that answers the proxies' live state from the model it serves. */
interface RoutedSource extends SampleSource {
    /** The model this source's connection is served by. */
    Routing routing();

    @Override
    default io.haquark.state.BackendState backendState(String name) {
        return routing().backendState(name);
    }

    @Override
    default io.haquark.state.FrontendState frontendState(String name) {
        return routing().frontendState(name);
    }

    @Override
    default Long listenerId() {
        ListenerSlot l = ListenerSlot.of(frontChannel());
        return l == null ? null : l.id;
    }

    @Override
    default Long listenerConnections() {
        ListenerSlot l = ListenerSlot.of(frontChannel());
        return l == null ? null : l.connections.get();
    }
}
