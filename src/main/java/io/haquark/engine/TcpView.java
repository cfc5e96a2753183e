package io.haquark.engine;

import io.haquark.state.ConnectionTracking;
import io.haquark.state.StickTable;
import java.net.InetSocketAddress;

/**
 * Layer 4 samples only (addresses, tracked counters, session variables), for the tcp-request
 * connection and session rules of HTTP frontends: a view of the client connection's session.
 */
record TcpView(HttpSession session) implements Layer4Source, RoutedSource {
    @Override
    public InetSocketAddress source() {
        return session.sessionSource();
    }

    @Override
    public InetSocketAddress destination() {
        return session.sessionDestination();
    }

    @Override
    public InetSocketAddress frontSource() {
        return session.remote;
    }

    @Override
    public InetSocketAddress frontDestination() {
        return session.local;
    }

    @Override
    public void setAddress(AddressLevel level, boolean source, java.net.InetAddress address, int port) {
        session.setAddress(level, source, address, port);
    }

    @Override
    public String frontendName() {
        return session.frontend.name();
    }

    @Override
    public ConnectionTracking connectionTracking() {
        return session.tracking;
    }

    @Override
    public io.haquark.state.Variables variables(io.haquark.state.Variables.Scope scope) {
        return switch (scope) {
            case PROC -> session.routing.procVars;
            case SESS -> session.variables();
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
        return session.routing.table(name, session.frontend.name(), null);
    }

    @Override
    public Routing routing() {
        return session.routing;
    }

    @Override
    public io.netty.channel.Channel frontChannel() {
        return session.client;
    }

    @Override
    public void expectProxy() {
        session.proxyExpected = true;
    }
}
