package io.haquark.engine;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * A client connection that failed before it carried a request (configuration.txt §8.2.6
 * "error-log-format"): the TLS handshake or the PROXY header went wrong. HAProxy logs it with
 * error-log-format, else (when the frontend logs with a format) as "<src>:<port> [<date>]
 * <frontend>/<bind>: <error>"; fc_err and fc_err_str give its code and text, HAProxy's.
 */
final class ConnectionError implements io.haquark.acl.NoHttpRequest, RoutedSource, io.haquark.logging.LogFields {
    /** HAProxy's connection error codes and texts (CO_ER_*) for what haquark can see fail. */
    static final int PRX_EMPTY = 11;
    static final int PRX_TIMEOUT = 13;
    static final int PRX_TRUNCATED = 14;
    static final int PRX_NOT_HDR = 15;
    static final int PRX_BAD_HDR = 16;
    static final int SSL_EMPTY = 24;
    static final int SSL_TIMEOUT = 26;
    static final int SSL_HANDSHAKE = 34;

    private final Routing routing;
    private final FrontendRuntime frontend;
    private final Channel channel;
    private final String bindLabel;
    private final boolean tls;
    final int code;
    private final long acceptMillis;

    ConnectionError(Routing routing, FrontendRuntime frontend, Channel channel, String bindLabel, boolean tls, int code, long acceptMillis) {
        this.routing = routing;
        this.frontend = frontend;
        this.channel = channel;
        this.bindLabel = bindLabel;
        this.tls = tls;
        this.code = code;
        this.acceptMillis = acceptMillis;
    }

    /**
     * Logs a failed connection to the frontend's log: the bind is named by its name, else by its
     * listener id, as HAProxy's default line names it.
     */
    static void report(Routing routing, FrontendRuntime frontend, Channel ch, String bindName, boolean tls, int code, long acceptMillis) {
        if (frontend.log == null) {
            return;
        }
        ListenerSlot slot = ListenerSlot.of(ch);
        String label = bindName != null ? bindName : slot == null ? "?" : Long.toString(slot.id);
        frontend.log.connectionError(new ConnectionError(routing, frontend, ch, label, tls, code, acceptMillis));
    }

    /** The bind's name, else its listener id: what follows the frontend in the default line. */
    String bindLabel() {
        return bindLabel;
    }

    @Override
    public String uniqueId() {
        return null;
    }

    @Override
    public Routing routing() {
        return routing;
    }

    @Override
    public Channel frontChannel() {
        return channel;
    }

    @Override
    public int connectionErrorCode() {
        return code;
    }


    @Override
    public String bindName() {
        return bindLabel;
    }

    @Override
    public String version() {
        return null;
    }

    @Override
    public InetSocketAddress source() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public InetSocketAddress destination() {
        return channel.localAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public int usableServers(String backend) {
        return -1;
    }

    @Override
    public String frontendName() {
        return frontend.name();
    }

    @Override
    public String backendName() {
        return frontend.name();
    }

    // ---- LogFields: nothing happened past the connection ----

    @Override
    public long acceptMillis() {
        return acceptMillis;
    }

    @Override
    public String frontendLabel() {
        return tls ? frontend.name() + "~" : frontend.name();
    }

    @Override
    public String serverName() {
        return "<NOSRV>";
    }

    @Override
    public long requestTime() {
        return -1;
    }

    @Override
    public long queueTime() {
        return -1;
    }

    @Override
    public long connectTime() {
        return -1;
    }

    @Override
    public long responseTime() {
        return -1;
    }

    @Override
    public long activeTime() {
        return System.currentTimeMillis() - acceptMillis;
    }

    @Override
    public long totalTime() {
        return System.currentTimeMillis() - acceptMillis;
    }

    @Override
    public int statusCode() {
        return 0;
    }

    @Override
    public long bytesToClient() {
        return 0;
    }

    @Override
    public long bytesFromClient() {
        return 0;
    }

    @Override
    public String terminationState() {
        return "CR--";
    }

    @Override
    public int frontendConnections() {
        return frontend.state.counters.sessionsCurrent.get();
    }

    @Override
    public int backendConnections() {
        return 0;
    }

    @Override
    public int serverConnections() {
        return 0;
    }

    @Override
    public int retries() {
        return 0;
    }

    @Override
    public int serverQueue() {
        return 0;
    }

    @Override
    public int backendQueue() {
        return 0;
    }
}
