package io.haquark.engine;

import io.haquark.rules.ErrorPages;
import io.haquark.model.Proxy;
import io.haquark.state.FrontendState;

/** A frontend as the engine uses it: compiled rules, state, and its timeouts resolved once. */
public final class FrontendRuntime {
    public final CompiledProxy compiled;
    public final Proxy proxy;
    /** option http-restrict-req-hdr-names: "preserve", "delete", "reject", or null when not set. */
    final String restrictHeaderNames;
    public final FrontendState state;
    public final ErrorPages errors;
    /** For a listen section: its own backend side. */
    final BackendRuntime ownBackend;
    final long httpRequestTimeout;
    final long keepAliveTimeout;
    final long clientTimeout;
    final boolean forceClose;
    final boolean serverClose;
    /** Connections served at once; "set maxconn frontend" changes it through {@link Engine#setMaxconn}. */
    volatile int maxconn;
    /** rate-limit sessions, or null without a limit. */
    final SessionRateLimit rateLimit;
    /** Set while accepting is paused for the rate limit (not for maxconn). */
    volatile boolean ratePaused;
    final AccessLog log;

    /** A connection accepted: its "Connect from" line when the frontend logs without a format. */
    /**
     * A client connection accepted, for frontends that log connections ("Connect from ..."): one
     * still in its TLS handshake is logged once the handshake is done, and not at all when it
     * fails, as HAProxy logs it (ErrorLogTwinTest).
     */
    void connected(java.net.InetSocketAddress src, java.net.InetSocketAddress dst, boolean http, io.netty.channel.Channel ch) {
        if (log == null) {
            return;
        }
        io.netty.handler.ssl.SslHandler tls = ch == null ? null : ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls == null || tls.handshakeFuture().isDone()) {
            if (tls == null || tls.handshakeFuture().isSuccess()) {
                log.connected(src, dst, name(), http);
            }
            return;
        }
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                log.connected(src, dst, name(), http);
            }
        });
    }
    /** capture request/response header, capture cookie, declare capture: the slots of this frontend. */
    final CaptureLayout captures;
    /** unique-id-format, or null. */
    final io.haquark.rules.LogFormat uniqueIdFormat;
    /** Set when a reload replaced this model. */
    volatile boolean retired;
    /**
     * The same-named frontend of the model that replaced this one (null if the reload removed
     * it): keep-alive connections continue there at their next request, so a reload closes
     * no client connection.
     */
    volatile FrontendRuntime successor;

    FrontendRuntime(CompiledProxy compiled, FrontendState state, BackendRuntime ownBackend,
                    io.haquark.model.GlobalSettings global) {
        int globalMaxconn = global.maxconn();
        this.compiled = compiled;
        this.proxy = compiled.proxy;
        this.restrictHeaderNames = RequestAnalysis.restrictMode(proxy);
        this.state = state;
        this.errors = new ErrorPages(proxy.errorFiles());
        CaptureLayout layout = new CaptureLayout(proxy.captures());
        this.captures = layout.any() ? layout : CaptureLayout.NONE;
        this.ownBackend = ownBackend;
        var t = proxy.timeouts();
        this.clientTimeout = t.client();
        // http-request falls back to client; keep-alive falls back to http-request (configuration.txt "timeout").
        this.httpRequestTimeout = t.httpRequest() > 0 ? t.httpRequest() : t.client();
        this.keepAliveTimeout = t.httpKeepAlive() > 0 ? t.httpKeepAlive() : httpRequestTimeout;
        this.forceClose = proxy.option("httpclose") || proxy.option("forceclose");
        this.serverClose = proxy.option("http-server-close");
        // A frontend's maxconn defaults to the global one (configuration.txt "maxconn").
        this.maxconn = proxy.maxconn() > 0 ? proxy.maxconn() : globalMaxconn;
        this.rateLimit = proxy.rateLimitSessions() > 0 ? new SessionRateLimit(proxy.rateLimitSessions()) : null;
        this.uniqueIdFormat = proxy.uniqueIdFormat() == null ? null
                : io.haquark.rules.LogFormat.parseLog(proxy.uniqueIdFormat(), java.nio.file.Path.of("."));
        AccessLog l = AccessLog.of(proxy, global);
        this.log = l.enabled() ? l : null;
    }

    public int maxconn() {
        return maxconn;
    }

    public String name() {
        return proxy.name();
    }
}
