package io.haquark.engine;

import io.haquark.state.ServerState;
import java.net.InetSocketAddress;

/**
 * What an access-log line (log-format, httplog, unique-id-format) reads about a finished or
 * running HTTP transaction: its timers, sizes, counts and termination state (configuration.txt
 * §8.2.4). Made when a line is built, so transactions nobody logs pay nothing for it.
 */
final class HttpTxnLog implements io.haquark.logging.LogFields {
    private final HttpTxn t;

    HttpTxnLog(HttpTxn t) {
        this.t = t;
    }

    private static long ms(long fromNanos, long toNanos) {
        return fromNanos == 0 || toNanos == 0 ? -1 : (toNanos - fromNanos) / 1_000_000;
    }

    @Override
    public long acceptMillis() {
        return t.startMillis;
    }

    @Override
    public String frontendLabel() {
        return t.session.frontend.name() + (t.session.tlsEngine() != null ? "~" : "");
    }

    @Override
    public String serverName() {
        return t.loggedServer == null ? "<NOSRV>" : t.loggedServer;
    }

    @Override
    public long requestTime() {
        return 0;
    }

    @Override
    public long queueTime() {
        // Tw (configuration.txt §8.4): -1 when the request never reached a server's queue or slot.
        return t.queueStart != 0 ? ms(t.queueStart, t.queueEnd) : t.assigning ? 0 : -1;
    }

    @Override
    public long connectTime() {
        return ms(t.connectStart, t.connected);
    }

    @Override
    public long responseTime() {
        return ms(t.connected, t.responseAt);
    }

    @Override
    public long activeTime() {
        return ((t.endNanos == 0 ? System.nanoTime() : t.endNanos) - t.startNanos) / 1_000_000;
    }

    @Override
    public long totalTime() {
        return activeTime();
    }

    @Override
    public int statusCode() {
        return t.status;
    }

    @Override
    public long bytesToClient() {
        return t.bytesOut;
    }

    @Override
    public long bytesFromClient() {
        return t.bytesIn;
    }

    @Override
    public String terminationState() {
        return t.termination();
    }

    @Override
    public int frontendConnections() {
        return t.session.frontend.state.counters.sessionsCurrent.get();
    }

    @Override
    public int backendConnections() {
        return t.backend == null ? 0 : t.backend.state.counters.sessionsCurrent.get();
    }

    @Override
    public int serverConnections() {
        return t.loggedServerState == null ? 0 : t.loggedServerState.counters.sessionsCurrent.get();
    }

    @Override
    public int retries() {
        return Math.max(0, t.connectAttempts - 1);
    }

    @Override
    public int serverQueue() {
        return 0;
    }

    @Override
    public int backendQueue() {
        return t.backend == null ? 0 : t.backend.state.queueLength();
    }

    @Override
    public String capturedCookie(boolean response) {
        return t.session.frontend.captures.cookieField(t.captures, response);
    }

    @Override
    public String capturedHeaders(boolean response) {
        return t.session.frontend.captures.headersField(t.captures, response);
    }

    @Override
    public String requestLine() {
        return t.requestLine;
    }

    @Override
    public String uniqueId() {
        return t.uniqueId();
    }

    @Override
    public long requestCounter() {
        return t.requestCounter();
    }

    @Override
    public InetSocketAddress serverAddress() {
        if (t.serverChannel != null) {
            return (InetSocketAddress) t.serverChannel.remoteAddress();
        }
        ServerState s = t.loggedServerState;
        if (s == null) {
            return null;
        }
        int port = s.portOverride >= 0 ? s.portOverride : s.server.port();
        return s.address != null ? new InetSocketAddress(s.address, port) : InetSocketAddress.createUnresolved(s.host(), port);
    }

    @Override
    public InetSocketAddress backendSource() {
        return t.serverChannel == null ? null : (InetSocketAddress) t.serverChannel.localAddress();
    }
}
