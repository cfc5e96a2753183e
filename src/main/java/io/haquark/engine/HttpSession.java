package io.haquark.engine;

import io.haquark.balance.LoadBalancer;
import io.haquark.rules.ErrorPages;
import io.haquark.acl.Patterns;
import io.haquark.model.ErrorFile;
import io.haquark.model.ForwardFor;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of an HTTP frontend: reads requests (one transaction at a time,
 * pipelined ones wait their turn), routes them, borrows a server connection on the same
 * event loop, streams both bodies with back-pressure, and keeps HAProxy's timeouts and
 * error answers. Everything here runs on the connection's event loop.
 */
final class HttpSession extends ChannelInboundHandlerAdapter {
    private enum Timer { NONE, REQUEST, KEEPALIVE, QUEUE, SERVER, CLIENT, TURNAROUND, TUNNEL }

    /** Pipelined requests kept while one is in progress before we stop reading the socket. */
    private static final int MAX_WAITING = 32;

    final Engine engine;
    /** The model this connection is served by; a reload moves it on at the next request. */
    Routing routing;
    FrontendRuntime frontend;
    final EventLoop eventLoop;
    final int loopIndex;
    InetSocketAddress remote;
    InetSocketAddress local;
    private Channel client;
    private HttpTxn txn;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean firstRequest = true;
    /** Stick-table entries tracked by tcp-request rules for this connection. */
    final io.haquark.state.ConnectionTracking tracking = new io.haquark.state.ConnectionTracking();
    private boolean closing;
    private long bytesSinceIdle;
    /** Bytes read from the client, and the count when the last transaction ended (%U of the next). */
    private long bytesInTotal;
    private long bytesInMark;
    // One timer per connection: a deadline that moves, and a scheduled check that re-arms lazily.
    private Timer timerKind = Timer.NONE;
    private long deadline;
    private ScheduledFuture<?> timerTask;
    private long timerTaskAt;
    private Runnable turnaround;
    /** After a 101 answer: the server channel raw bytes are relayed to. */
    private Channel tunnel;
    private long tunnelTimeout;

    HttpSession(Engine engine, Routing routing, FrontendRuntime frontend, EventLoop eventLoop, int loopIndex) {
        this.engine = engine;
        this.routing = routing;
        this.frontend = frontend;
        this.eventLoop = eventLoop;
        this.loopIndex = loopIndex;
    }

    // ------------------------------------------------------------------ client side

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        if (client.remoteAddress() instanceof InetSocketAddress r) {
            remote = r;
        }
        if (client.localAddress() instanceof InetSocketAddress l) {
            local = l;
        }
        frontend.state.counters.sessionStarted();
        if (!frontend.compiled.tcpRules.acceptConnection(new TcpView(remote, local, frontend.name(), tracking, routing))) {
            // tcp-request connection reject: closed before any HTTP.
            frontend.state.counters.deniedRequests.increment();
            closing = true;
            engine.connectionOpened(frontend, null);
            client.close();
            ctx.fireChannelActive();
            return;
        }
        if (engine.connectionOpened(frontend, this)) {
            arm(Timer.REQUEST, frontend.httpRequestTimeout);
        } else {
            client.config().setAutoRead(false);
        }
        ctx.fireChannelActive();
    }

    /** "show sess" line: where the connection comes from and what it is doing. */
    String describe() {
        HttpTxn t = txn;
        return "0x" + Integer.toHexString(System.identityHashCode(this)) + ": proto=" + (tlsEngine() != null ? "tls" : "tcp")
                + " src=" + AccessLog.endpoint(new StringBuilder(), remote)
                + " fe=" + frontend.name() + " be=" + (t == null || t.backend == null ? "<NONE>" : t.backend.name())
                + " srv=" + (t == null || t.server == null ? "<none>" : t.server.name())
                + " req=" + (t == null ? "<idle>" : "\"" + t.requestLine + "\"");
    }

    boolean uses(ServerState s) {
        HttpTxn t = txn;
        return t != null && t.server == s;
    }

    /** A request HAProxy rejects before the HTTP decoder would (see ByteCounter): 400 and close. */
    void rejectMalformed() {
        if (!closing) {
            frontend.state.counters.requestErrors.increment();
            parsingError(400);
        }
    }

    /** accept-proxy: the addresses the PROXY header announced replace the socket's. */
    void proxied(InetSocketAddress src, InetSocketAddress dst) {
        remote = src;
        local = dst;
    }

    /** A slot under maxconn freed up for this parked connection. */
    void unpark() {
        if (!closing && client.isActive()) {
            client.config().setAutoRead(true);
            arm(Timer.REQUEST, frontend.httpRequestTimeout);
        }
    }

    /** The TLS engine of this client connection, or null for plain TCP. */
    javax.net.ssl.SSLEngine tlsEngine() {
        Channel c = client instanceof io.netty.handler.codec.http2.Http2StreamChannel stream ? stream.parent() : client;
        var h = c.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        return h == null ? null : h.engine();
    }

    void bytesReceived(int n) {
        bytesSinceIdle += n;
        bytesInTotal += n;
        frontend.state.counters.bytesIn.add(n);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel != null) {
            arm(Timer.TUNNEL, tunnelTimeout);
            tunnel.writeAndFlush(msg);
            return;
        }
        if (txn != null && (txn.requestComplete || !waiting.isEmpty())) {
            // A pipelined request: it waits until the current transaction is done.
            waiting.add(msg);
            if (waiting.size() >= MAX_WAITING) {
                client.config().setAutoRead(false);
            }
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest req) {
            onRequest(req);
            if (msg instanceof HttpContent c && txn != null && !closing) {
                onRequestBody(c);
            } else if (msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg);
            }
        } else if (msg instanceof HttpContent c) {
            if (txn == null || txn.requestComplete) {
                c.release();
            } else {
                onRequestBody(c);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        dispatchPending();
        HttpTxn t = txn;
        if (t != null && t.serverChannel != null) {
            t.serverChannel.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        HttpTxn t = txn;
        if (client.isWritable() && t != null && t.serverChannel != null) {
            t.serverChannel.config().setAutoRead(true);
            if (timerKind == Timer.CLIENT) {
                arm(Timer.SERVER, t.serverTimeout());
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelTimer();
        if (timerTask != null) {
            // A pending timer holds this session for up to "timeout client": drop it now, or
            // short connections pile up in the scheduler (Netty removes it at once on its loop).
            timerTask.cancel(false);
            timerTask = null;
        }
        frontend.state.counters.sessionEnded();
        engine.connectionClosed(frontend, this);
        if (firstRequest && tracking.any()) {
            // HAProxy counts a connection that ends before its first request as an aborted request.
            tracking.httpRequest();
            tracking.httpError();
        }
        tracking.release();
        HttpTxn t = txn;
        if (t != null && !t.done) {
            // The client went away mid-transaction: drop the server side too.
            frontend.state.counters.clientAborts.increment();
            abortTxn(t);
        }
        for (Object o : waiting) {
            ReferenceCountUtil.release(o);
        }
        waiting.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and similar socket errors: the connection is gone; nothing to answer.
        ctx.close();
    }

    // ------------------------------------------------------------------ reloads

    /**
     * A reload replaced the model between two requests: go on with the new one (same-named
     * HTTP frontend), keeping the connection. Its count and counters were handed over with the
     * frontend's state, so only the references move.
     */
    private void moveToSuccessor() {
        FrontendRuntime next = frontend.successor;
        while (next.successor != null && next.retired) {
            next = next.successor;
        }
        Routing now = engine.routing();
        if (next.proxy.mode() != io.haquark.model.Mode.HTTP || now == null || now.frontends.get(next.name()) != next) {
            return;
        }
        frontend = next;
        routing = now;
    }

    /**
     * The path of a request target: "http://host/p?q" and "/p?q" both give "/p". monitor-uri
     * starting with '/' is compared with it (configuration.txt "monitor-uri"), otherwise with
     * the whole URI.
     */
    static String pathOnly(String uri) {
        int start = 0;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int slash = uri.indexOf('/', scheme + 3);
                if (slash < 0) {
                    return "/";
                }
                start = slash;
            }
        }
        int q = uri.indexOf('?', start);
        return q < 0 ? uri.substring(start) : uri.substring(start, q);
    }

    /** The reload removed this frontend (or made it TCP): its connections close after their answer. */
    private boolean orphaned() {
        return frontend.retired && (frontend.successor == null || frontend.successor.proxy.mode() != io.haquark.model.Mode.HTTP);
    }

    // ------------------------------------------------------------------ requests

    private void onRequest(HttpRequest req) {
        if (frontend.retired && frontend.successor != null) {
            moveToSuccessor();
        }
        bytesSinceIdle = 0;
        boolean first = firstRequest;
        firstRequest = false;
        frontend.state.counters.requestsTotal.increment();
        int refused = req.decoderResult().isFailure() ? 400 : RequestChecks.check(req, engine.maxHeaders);
        if (refused != 0) {
            frontend.state.counters.requestErrors.increment();
            ReferenceCountUtil.release(req);
            parsingError(refused);
            return;
        }
        cancelTimer();
        HttpTxn t = new HttpTxn(this, req);
        t.firstOnConnection = first;
        txn = t;
        if (frontend.captures != CaptureLayout.NONE) {
            t.captures = frontend.captures.newValues();
            frontend.captures.captureRequest(t.captures, req.headers());
        }
        tracking.httpRequest();
        t.clientKeepAlive = HttpUtil.isKeepAlive(req) && !frontend.forceClose;
        FrontendCodec codec = (FrontendCodec) client.pipeline().get("http");
        if (codec != null && codec.takeContentLengthDropped()) {
            // Content-Length and Transfer-Encoding together: the length was dropped and the
            // body is read chunked; the connection closes after this response (HAProxy does the same).
            t.clientKeepAlive = false;
        }
        String monitor = frontend.proxy.monitorUri();
        if (monitor != null && monitor.equals(monitor.startsWith("/") ? pathOnly(req.uri()) : req.uri())) {
            // monitor fail: 503 while any of its conditions holds (e.g. no usable server left).
            int code = 200;
            for (io.haquark.acl.Cond c : frontend.compiled.monitorFail) {
                if (c.test(t)) {
                    code = 503;
                    break;
                }
            }
            respond(t, code);
            return;
        }
        Engine.StatsApplet stats = engine.stats();
        CompiledProxy statsOwner = stats != null && frontend.proxy.stats().serves(req.uri()) ? frontend.compiled : null;
        BackendRuntime be;
        if (statsOwner != null) {
            be = frontend.ownBackend;
        } else {
            // configuration.txt §4.2: the frontend's http-request rules, its redirects, then
            // use_backend; then the chosen backend's own rules (a listen runs its rules once).
            if (runRequestRules(t, frontend.compiled)) {
                return;
            }
            be = route(t);
            if (be != null && be.compiled != frontend.compiled) {
                t.backend = be;
                if (runRequestRules(t, be.compiled)) {
                    return;
                }
            }
            if (be != null && stats != null && be.proxy.stats().serves(req.uri())) {
                statsOwner = be.compiled;
            }
        }
        if (statsOwner != null) {
            t.backend = be;
            t.statsOwner = statsOwner;
            if (!stats.needsBody(req)) {
                sendLocal(t, stats.serve(routing, statsOwner, t, req, null));
            }
            return;
        }
        if (be == null) {
            respond(t, 503);
            return;
        }
        t.backend = be;
        if (be.serverClose || frontend.serverClose) {
            t.serverKeepAlive = false;
        }
        if (be.proxy.option("httpclose") || be.proxy.option("forceclose")) {
            t.clientKeepAlive = false;
        }
        // The server is picked once this read batch is consumed: a body that arrived with the
        // headers goes out in the same write, and a broken one is caught before anything is sent.
        t.awaitingDispatch = true;
    }

    private void dispatchPending() {
        HttpTxn t = txn;
        if (t != null && t.awaitingDispatch && !closing) {
            t.awaitingDispatch = false;
            assignServer(t, null);
        }
    }

    /** Runs a proxy's http-request rules then its redirect rules; true when they answered the request. */
    private boolean runRequestRules(HttpTxn t, CompiledProxy p) {
        io.haquark.rules.Verdict v = p.httpRequest.isEmpty() ? null : p.httpRequest.run(t);
        if (v == null && !p.redirects.isEmpty()) {
            v = p.redirects.run(t);
        }
        if (v instanceof io.haquark.rules.Verdict.Drop) {
            frontend.state.counters.deniedRequests.increment();
            abortTxn(t);
            closing = true;
            client.close();
            return true;
        }
        if (v instanceof io.haquark.rules.Verdict.Respond r) {
            // deny/tarpit without a body: the proxy's errorfile / http-error for the status, if any.
            FullHttpResponse answer = r.errorPage() ? buildError(t, r.response().status().code(), closesAfter(t)) : r.response();
            if (answer != r.response()) {
                r.response().release();
            }
            if (r.denied()) {
                frontend.state.counters.deniedRequests.increment();
                if (t.backend != null) {
                    t.backend.state.counters.deniedRequests.increment();
                }
            }
            if (r.tarpit()) {
                long delay = frontend.proxy.timeouts().tarpit() > 0 ? frontend.proxy.timeouts().tarpit()
                        : Math.max(frontend.proxy.timeouts().connect(), 0);
                eventLoop.schedule(() -> {
                    if (txn == t && !closing) {
                        sendLocal(t, answer);
                    } else {
                        answer.release();
                    }
                }, delay, TimeUnit.MILLISECONDS);
                return true;
            }
            sendLocal(t, answer);
            return true;
        }
        return false;
    }

    /** use_backend rules in order, then default_backend, then a listen's own backend. */
    private BackendRuntime route(HttpTxn t) {
        CompiledProxy fe = frontend.compiled;
        for (int i = fe.switchRules.first(t); i >= 0; i = fe.switchRules.next(t, i + 1)) {
            String name = fe.switchNames[i] != null ? fe.switchNames[i].resolve(t) : fe.switchTargets[i];
            BackendRuntime b = name == null ? null : routing.backend(name);
            if (b != null) {
                return b;
            }
            if (fe.switchNames[i] == null) {
                return null;
            }
        }
        String def = frontend.proxy.defaultBackend();
        if (def != null) {
            String name = fe.defaultName != null ? fe.defaultName.resolve(t) : def;
            return name == null ? null : routing.backend(name);
        }
        return frontend.ownBackend;
    }

    private void onRequestBody(HttpContent c) {
        HttpTxn t = txn;
        if (t.statsOwner != null && !c.decoderResult().isFailure()) {
            // The admin form's POST body: small, kept whole (at most 64 KiB).
            t.statsBody(c);
            if (c instanceof LastHttpContent) {
                t.requestComplete = true;
                sendLocal(t, engine.stats().serve(routing, t.statsOwner, t, t.request, t.statsBytes()));
            }
            return;
        }
        if (c.decoderResult().isFailure()) {
            // A broken body (bad chunk size ...): HAProxy answers 400 if nothing was answered yet.
            c.release();
            frontend.state.counters.requestErrors.increment();
            boolean answered = t.responseStarted;
            abortTxn(t);
            if (answered) {
                closing = true;
                client.close();
            } else {
                parsingError(400);
            }
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (t.serverChannel != null) {
            arm(Timer.SERVER, t.serverTimeout());
            t.serverChannel.write(c);
            if (!t.serverChannel.isWritable()) {
                client.config().setAutoRead(false);
            }
        } else if (t.done) {
            c.release();
        } else {
            t.bufferBody(c);
        }
        if (last) {
            t.requestComplete = true;
            if (t.serverChannel != null) {
                t.requestSentCompletely = true;
                t.serverChannel.flush();
                arm(Timer.SERVER, t.serverTimeout());
            }
        }
    }

    // ------------------------------------------------------------------ servers

    private void assignServer(HttpTxn t, ServerState avoid) {
        io.haquark.model.Cookie cookie = t.backend.proxy.cookie();
        Persistence persistence = t.backend.compiled.persistence;
        Persistence.Override override = persistence == Persistence.NONE ? Persistence.Override.NONE : persistence.override(t);
        boolean forced = override == Persistence.Override.FORCE || persistence.optionPersist;
        if (cookie != null && avoid == null) {
            t.cookieValue = CookiePersistence.requestValue(cookie, t.request.headers());
            t.cookieIn = CookiePersistence.requestState(t.backend.state, cookie, t.cookieValue);
            ServerState sticky = override == Persistence.Override.IGNORE ? null : CookiePersistence.target(t.backend.state, cookie, t.cookieValue);
            if (sticky != null && t.backend.lb.reserve(sticky, forced)) {
                connect(t, sticky);
                return;
            }
            // The named server is gone or full: without option redispatch HAProxy still
            // balances a request whose server is DOWN, so do we (the cookie is reset on the answer).
        }
        if (persistence.hasStickRules() && avoid == null && override != Persistence.Override.IGNORE) {
            ServerState sticky = persistence.match(t, routing, t.backend.state);
            if (sticky != null && t.backend.lb.reserve(sticky, forced)) {
                connect(t, sticky);
                return;
            }
        }
        ServerState[] out = new ServerState[1];
        LoadBalancer.Outcome o = t.backend.lb.assign(t, avoid, t, out);
        switch (o) {
            case ASSIGNED -> connect(t, out[0]);
            case QUEUED -> {
                t.queued = true;
                t.queueStart = System.nanoTime();
                arm(Timer.QUEUE, t.backend.queueTimeout);
            }
            default -> respond(t, 503);
        }
    }

    /** A slot freed up for a queued transaction (runs on this loop). */
    void dequeued(HttpTxn t, ServerState s) {
        if (t != txn || t.done || closing) {
            t.backend.lb.release(s);
            return;
        }
        t.queued = false;
        t.queueEnd = System.nanoTime();
        cancelTimer();
        connect(t, s);
    }

    private void connect(HttpTxn t, ServerState s) {
        t.server = s;
        t.retryPending = false;
        if (t.backend.compiled.persistence.hasStickRules()) {
            t.backend.compiled.persistence.store(t, routing, s);
        }
        t.loggedServer = s.name();
        t.loggedServerState = s;
        t.connectStart = System.nanoTime();
        t.connectAttempts++;
        s.counters.sessionStarted();
        s.lbTotal.increment();
        if (!t.backendCounted) {
            t.backendCounted = true;
            t.backend.state.counters.sessionStarted();
        }
        Channel idle = t.backend.pollIdle(s, loopIndex);
        if (idle != null) {
            attach(t, idle, true);
            return;
        }
        io.haquark.acl.SampleExpr sniExpr = t.backend.sni[s.index];
        engine.connector.connect(s, local == null ? 0 : local.getPort(), eventLoop, t.backend.connectTimeout,
                t.backend.proxy.option("srvtcpka") || t.backend.proxy.option("tcpka"), t.backend.tls[s.index],
                sniExpr == null ? null : sniExpr.evalString(t), (ch, err) -> {
                    // Whoever ended the transaction meanwhile (client gone, timeout) released the slot.
                    boolean current = t == txn && t.server == s && !t.done && !closing;
                    if (!current) {
                        if (ch != null) {
                            ch.close();
                        }
                    } else if (ch != null) {
                        if ((s.server.sendProxy() || s.server.sendProxyV2()) && remote != null && local != null) {
                            ch.pipeline().addFirst("proxy-encoder", io.netty.handler.codec.haproxy.HAProxyMessageEncoder.INSTANCE);
                            ch.write(ProxyProtocol.header(s.server.sendProxyV2(), remote, local));
                        }
                        attach(t, ch, false);
                    } else {
                        connectFailed(t, s, err instanceof io.netty.channel.ConnectTimeoutException);
                    }
                });
    }

    /** @param timedOut timeout connect expired: the retry needs no turn-around (HAProxy retries at once too) */
    private void connectFailed(HttpTxn t, ServerState s, boolean timedOut) {
        s.counters.sessionEnded();
        s.counters.connectErrors.increment();
        t.backend.state.counters.connectErrors.increment();
        if (t != txn || t.done || closing || t.connectAttempts > t.backend.retries) {
            t.backend.lb.release(s);
            t.server = null;
            if (t == txn && !t.done && !closing) {
                t.terminationCause = "SC";
                respond(t, 503);
            }
            return;
        }
        s.counters.retries.increment();
        t.backend.state.counters.retries.increment();
        // With option redispatch a retry goes elsewhere at once: on its interval, when the server
        // is down, or whenever the server was not chosen by persistence and another one can take
        // it (HAProxy's rule). A retry on the same server waits a turn-around of min(timeout
        // connect, 1s) after a refusal (a server restarting), not after a connect timeout.
        boolean redispatch = t.backend.redispatch && (t.backend.redispatchOn(t.connectAttempts) || !s.isUp()
                || t.cookieValue == null && !t.backend.hashBalanced && t.backend.state.usableServers() > 1);
        long delay = redispatch || timedOut ? 0 : Math.min(t.backend.connectTimeout, 1000);
        if (redispatch) {
            t.backend.lb.release(s);
            t.server = null;
        } else {
            t.retryPending = true;
        }
        // A retry on the same server keeps its slot (t.server stays s, so whoever ends the
        // transaction meanwhile gives it back): released here, it could go to a queued
        // transaction and the retry would then exceed the server's maxconn.
        Runnable retry = () -> {
            if (redispatch) {
                t.backend.state.counters.redispatches.increment();
                assignServer(t, s);
            } else {
                connect(t, s);
            }
        };
        if (delay == 0) {
            eventLoop.execute(() -> {
                if (t == txn && !t.done && !closing) {
                    retry.run();
                }
            });
            return;
        }
        turnaround = retry;
        arm(Timer.TURNAROUND, delay);
    }

    private void attach(HttpTxn t, Channel ch, boolean reused) {
        t.connected = System.nanoTime();
        ServerHandler h = (ServerHandler) ch.pipeline().get("server");
        h.session = this;
        h.txn = t;
        h.pool = null;
        t.serverChannel = ch;
        t.serverReused = reused;
        sendRequest(t, ch);
    }

    private void sendRequest(HttpTxn t, Channel ch) {
        HttpRequest req = t.request;
        HttpHeaders h = req.headers();
        boolean upgrade = RequestChecks.isWebSocketUpgrade(req);
        HopByHop.strip(h);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        } else if (!t.serverKeepAlive && (t.backend.serverClose || frontend.serverClose)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (t.backend.proxy.cookie() != null) {
            CookiePersistence.onRequest(t.backend.proxy.cookie(), h);
        }
        ForwardFor ff = t.backend.proxy.forwardFor() != null ? t.backend.proxy.forwardFor() : frontend.proxy.forwardFor();
        if (ff != null && remote != null) {
            addForwardedFor(h, ff, remote.getAddress());
        }
        String idHeader = frontend.proxy.uniqueIdHeader();
        if (idHeader != null && t.uniqueId() != null) {
            // A format can print anything (a %[fetch] of client input): only what a header may carry is sent.
            h.set(idHeader, HeaderValues.sanitize(t.uniqueId()));
        }
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
        HeaderCase.lower(h);
        // A connection that announced one client (send-proxy) is not reused for another.
        t.serverKeepAlive = !t.backend.serverClose && !frontend.serverClose && !upgrade
                && !t.server.server.sendProxy() && !t.server.server.sendProxyV2()
                && !"h2".equals(t.server.server.options().get("proto"));   // an h2 stream is not pooled (yet)
        ch.write(req);
        if (t.pendingBody != null) {
            for (HttpContent c : t.pendingBody) {
                ch.write(c);
            }
            t.pendingBody = null;
        }
        ch.flush();
        if (t.requestComplete) {
            t.requestSentCompletely = true;
        }
        // timeout server runs from here; while a body is uploading each forwarded part re-arms it,
        // so only a stalled exchange expires (504, as HAProxy answers a client stuck mid-body).
        arm(Timer.SERVER, t.serverTimeout());
        if (!ch.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    private static void addForwardedFor(HttpHeaders h, ForwardFor ff, InetAddress src) {
        if (ff.exceptNetwork() != null && Patterns.network(ff.exceptNetwork()).contains(src)) {
            return;
        }
        if (ff.ifNone() && h.contains(ff.header())) {
            return;
        }
        h.add(ff.header(), src.getHostAddress());
    }

    void serverWritable() {
        HttpTxn t = txn;
        if (t != null && !t.requestComplete && !closing) {
            client.config().setAutoRead(true);
        }
    }

    void flushClient() {
        client.flush();
    }

    // ------------------------------------------------------------------ responses

    void onServerResponse(HttpTxn t, HttpResponse r) {
        if (t != txn || t.done) {
            ReferenceCountUtil.release(r);
            return;
        }
        if (r.decoderResult().isFailure() || RequestChecks.transferCodingsInvalid(r.headers())) {
            ReferenceCountUtil.release(r);
            badResponse(t);
            return;
        }
        int code = r.status().code();
        t.informational = code >= 100 && code < 200 && code != 101;
        arm(Timer.SERVER, t.serverTimeout());
        if (t.informational) {
            client.write(r);
            return;
        }
        t.response = r;
        t.responseAt = System.nanoTime();
        if (t.captures != null) {
            frontend.captures.captureResponse(t.captures, r.headers());
        }
        if (t.backend.proxy.cookie() != null) {
            t.cookieOut = CookiePersistence.onResponse(t.backend.proxy.cookie(), r, t.server, t.cookieValue,
                    t.request.method() == io.netty.handler.codec.http.HttpMethod.POST);
        }
        if (runResponseRules(t, r)) {
            return;
        }
        code = r.status().code();
        t.responseStarted = true;
        t.status = code;
        frontend.state.counters.response(code);
        t.backend.state.counters.response(code);
        t.server.counters.response(code);
        t.trackedResponse(code);
        HttpHeaders h = r.headers();
        if (code == 101) {
            client.write(r);
            client.flush();
            switchToTunnel(t);
            return;
        }
        boolean serverSaysClose = h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)
                || r.protocolVersion().equals(HttpVersion.HTTP_1_0)
                && !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true);
        boolean delimited = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r)
                || code == 204 || code == 304 || t.request.method().equals(HttpMethod.HEAD);
        if (serverSaysClose || !delimited) {
            t.serverKeepAlive = false;
        }
        // RFC 9112 §6.1: the framing of an HTTP/1.0 message with Transfer-Encoding is not to be
        // trusted; the connection closes after it, on both sides (as HAProxy does).
        boolean chunked10 = r.protocolVersion().equals(HttpVersion.HTTP_1_0) && h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        HopByHop.stripResponse(h);
        boolean http10Client = t.version.equals("1.0");
        if (http10Client && HttpUtil.isTransferEncodingChunked(r)) {
            // An HTTP/1.0 client cannot read chunks: send the body as it comes and close.
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            t.clientKeepAlive = false;
        }
        if (!delimited || !t.requestComplete || orphaned()) {
            t.clientKeepAlive = false;
        }
        if (chunked10) {
            t.clientKeepAlive = false;
        }
        t.closeClientAfter = !t.clientKeepAlive;
        HeaderCase.lower(h);
        t.bytesOut += headerBytes(r);
        // Like HAProxy's H1 output: say what differs from the version's default.
        boolean http10Response = r.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (t.closeClientAfter) {
            if (!http10Response) {
                h.set("connection", "close");
            }
        } else if (http10Response || http10Client) {
            h.set("connection", "keep-alive");
        }
        client.write(r);
    }

    /**
     * http-response rules, the backend's then the frontend's, then http-after-response; a
     * deny/return/redirect replaces the server's answer (its connection is dropped).
     */
    private boolean runResponseRules(HttpTxn t, HttpResponse r) {
        CompiledProxy be = t.backend.compiled;
        CompiledProxy fe = frontend.compiled;
        io.haquark.rules.Verdict v = be.httpResponse.isEmpty() ? null : be.httpResponse.run(t);
        if (v == null && fe != be && !fe.httpResponse.isEmpty()) {
            v = fe.httpResponse.run(t);
        }
        if (v instanceof io.haquark.rules.Verdict.Drop) {
            ReferenceCountUtil.release(r);
            frontend.state.counters.deniedResponses.increment();
            abortTxn(t);
            closing = true;
            client.close();
            return true;
        }
        if (v instanceof io.haquark.rules.Verdict.Respond resp) {
            ReferenceCountUtil.release(r);
            if (resp.denied()) {
                frontend.state.counters.deniedResponses.increment();
                t.backend.state.counters.deniedResponses.increment();
                t.server.counters.deniedResponses.increment();
            }
            detach(t, false);
            ServerState s = t.server;
            s.counters.sessionEnded();
            t.backend.lb.release(s);
            t.server = null;
            t.response = null;
            sendLocal(t, resp.response());
            return true;
        }
        afterResponse(t);
        return false;
    }

    /** http-after-response rules apply to every answer, forwarded or generated here. */
    private void afterResponse(HttpTxn t) {
        CompiledProxy fe = frontend.compiled;
        CompiledProxy be = t.backend == null ? null : t.backend.compiled;
        if (be != null && !be.httpAfterResponse.isEmpty()) {
            be.httpAfterResponse.run(t);
        }
        if (fe != be && !fe.httpAfterResponse.isEmpty()) {
            fe.httpAfterResponse.run(t);
        }
    }

    void onServerContent(HttpTxn t, HttpContent c) {
        if (t != txn || t.done) {
            c.release();
            return;
        }
        if (tunnel != null) {
            // The empty end of the 101 message: the connection is a tunnel now.
            c.release();
            return;
        }
        if (t.informational) {
            // End of a 1xx message (empty): it also resets the encoder for the final response.
            client.write(c);
            if (c instanceof LastHttpContent) {
                t.informational = false;
                client.flush();
            }
            return;
        }
        if (!t.responseStarted) {
            c.release();
            return;
        }
        int n = c.content().readableBytes();
        t.bytesOut += n;
        frontend.state.counters.bytesOut.add(n);
        t.backend.state.counters.bytesOut.add(n);
        if (t.server != null) {
            t.server.counters.bytesOut.add(n);
        }
        if (c instanceof LastHttpContent) {
            client.write(c);
            finishTxn(t);
            return;
        }
        client.write(c);
        arm(Timer.SERVER, t.serverTimeout());
        if (!client.isWritable()) {
            // The client does not take what we send: hold the server back, and give the client
            // "timeout client" to read again (HAProxy's cD), whatever the server would do.
            t.serverChannel.config().setAutoRead(false);
            arm(Timer.CLIENT, frontend.clientTimeout);
        }
    }

    /** Bytes after a 101 answer (WebSocket and other upgrades) are relayed as they are. */
    void onServerRaw(HttpTxn t, Object msg) {
        if (t == txn && msg instanceof ByteBuf b) {
            arm(Timer.TUNNEL, tunnelTimeout);
            frontend.state.counters.bytesOut.add(b.readableBytes());
            client.writeAndFlush(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    void onServerClosed(HttpTxn t, Throwable cause) {
        if (t != txn || t.done) {
            return;
        }
        if (!t.responseStarted) {
            t.server.counters.responseErrors.increment();
            t.backend.state.counters.responseErrors.increment();
            // A reused keep-alive connection the server had just closed: try once on a fresh one
            // when the request can be sent again (no body streamed yet).
            if (t.serverReused && t.requestComplete && t.pendingBody == null && isBodyless(t.request)) {
                detach(t, false);
                t.serverReused = false;
                ServerState s = t.server;
                s.counters.sessionEnded();
                // The retry keeps the server slot it already holds (see connectFailed).
                t.connectAttempts--;
                connect(t, s);
                return;
            }
            serverFailed(t, 502);
            return;
        }
        // Mid-response: the body is cut; close the client as HAProxy does.
        t.server.counters.serverAborts.increment();
        t.closeClientAfter = true;
        client.flush();
        finishTxn(t);
        client.close();
    }

    private static boolean isBodyless(HttpRequest r) {
        return !HttpUtil.isContentLengthSet(r) && !HttpUtil.isTransferEncodingChunked(r);
    }

    private void badResponse(HttpTxn t) {
        t.server.counters.responseErrors.increment();
        t.backend.state.counters.responseErrors.increment();
        serverFailed(t, 502);
    }

    /** The server failed before a response started: drop its connection, answer with code. */
    private void serverFailed(HttpTxn t, int code) {
        detach(t, false);
        ServerState s = t.server;
        s.counters.sessionEnded();
        t.backend.lb.release(s);
        t.server = null;
        respond(t, code);
    }

    private void finishTxn(HttpTxn t) {
        t.done = true;
        cancelTimer();
        t.backend.recordLatency(t.server, System.nanoTime() - t.startNanos);
        ServerState s = t.server;
        if (s != null) {
            detach(t, t.serverKeepAlive && t.requestSentCompletely);
            s.counters.sessionEnded();
            t.backend.lb.release(s);
            t.server = null;
        }
        t.releasePendingBody();
        endTxn(t);
    }

    /** Returns the server connection to the pool, or closes it. */
    private void detach(HttpTxn t, boolean reusable) {
        Channel ch = t.serverChannel;
        if (ch == null) {
            return;
        }
        t.serverChannel = null;
        ServerHandler h = (ServerHandler) ch.pipeline().get("server");
        if (h != null) {
            h.session = null;
            h.txn = null;
        }
        ch.config().setAutoRead(true);
        if (reusable && ch.isActive() && h != null && !t.server.deleted && t.backend.offerIdle(t.server.index, loopIndex, ch)) {
            h.pool = t.backend;
            h.poolServer = t.server.index;
            h.poolLoop = loopIndex;
        } else {
            ch.close();
        }
    }

    private void abortTxn(HttpTxn t) {
        t.done = true;
        t.releaseTracking();
        cancelTimer();
        if (t.queued) {
            t.backend.lb.cancel(t);
        }
        if (t.server != null) {
            detach(t, false);
            if (!t.retryPending) {
                // (a failed connect already ended the server session; the slot is still held)
                t.server.counters.sessionEnded();
            }
            t.backend.lb.release(t.server);
            t.server = null;
        }
        t.releasePendingBody();
        if (t.backendCounted) {
            t.backendCounted = false;
            t.backend.state.counters.sessionEnded();
        }
        txn = null;
    }

    /** After a transaction: close, or wait for the next request (maybe already pipelined). */
    private static long headerBytes(HttpResponse r) {
        long n = 15 + r.status().reasonPhrase().length();
        for (java.util.Map.Entry<String, String> e : r.headers()) {
            n += e.getKey().length() + e.getValue().length() + 4;
        }
        return n + 2;
    }

    private void endTxn(HttpTxn t) {
        txn = null;
        t.releaseTracking();
        t.bytesIn = bytesInTotal - bytesInMark;
        bytesInMark = bytesInTotal;
        if (frontend.log != null && !t.silent) {
            frontend.log.http(t);
        }
        if (t.backendCounted) {
            t.backendCounted = false;
            t.backend.state.counters.sessionEnded();
        }
        if (t.closeClientAfter || closing) {
            closing = true;
            client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client.flush();
        bytesSinceIdle = 0;
        arm(Timer.KEEPALIVE, frontend.keepAliveTimeout);
        while (txn == null && !waiting.isEmpty() && !closing) {
            handle(waiting.poll());
        }
        while (txn != null && !txn.requestComplete && !waiting.isEmpty() && !closing) {
            handle(waiting.poll());
        }
        dispatchPending();
        if (!closing && waiting.size() < MAX_WAITING) {
            client.config().setAutoRead(true);
        }
    }

    // ------------------------------------------------------------------ answers of our own

    /** An answer haquark generates for a parsed request (503, 504, 502, 200 monitor ...). */
    private void respond(HttpTxn t, int code) {
        sendLocal(t, buildError(t, code, closesAfter(t)));
    }

    /** If the request body is still arriving we cannot find the next request: close after. */
    private boolean closesAfter(HttpTxn t) {
        return !t.clientKeepAlive || orphaned() || !t.requestComplete && !isBodyless(t.request);
    }

    /** Sends an answer produced here (error page, stats page, monitor) and ends the transaction. */
    private void sendLocal(HttpTxn t, FullHttpResponse r) {
        cancelTimer();
        if (t.queued) {
            t.backend.lb.cancel(t);
            t.queued = false;
        }
        boolean close = closesAfter(t);
        if (close && !r.headers().contains("connection")) {
            r.headers().add("connection", "close");
        }
        t.response = r;
        afterResponse(t);
        int code = r.status().code();
        t.status = code;
        t.responseStarted = true;
        frontend.state.counters.response(code);
        t.trackedResponse(code);
        if (t.backend != null) {
            t.backend.state.counters.response(code);
        }
        t.closeClientAfter = close;
        t.done = true;
        t.releasePendingBody();
        frontend.state.counters.bytesOut.add(r.content().readableBytes());
        t.bytesOut += headerBytes(r) + r.content().readableBytes();
        if (t.terminationCause.equals("--") && t.loggedServer == null) {
            // An answer made here: P(roxy) for errors, L(ocal) for stats, return, redirect ...
            t.terminationCause = code >= 500 ? "SC" : code == 403 || code == 401 || code == 429 ? "PR" : "LR";
        }
        if (r instanceof io.haquark.rules.RawResponses.Nothing) {
            // An empty errorfile: HAProxy sends nothing and closes.
            r.release();
            t.closeClientAfter = true;
        } else {
            client.write(r);
        }
        endTxn(t);
    }

    private FullHttpResponse buildError(HttpTxn t, int code, boolean close) {
        boolean fromBackend = t.backend != null && t.backend.proxy.errorFiles().containsKey(code);
        ErrorPages pages = fromBackend ? t.backend.errors : frontend.errors;
        io.haquark.rules.HttpAction custom = (fromBackend ? t.backend.compiled : frontend.compiled).httpErrors.get(code);
        if (custom != null && pages.isHttpError(code)
                && custom.apply(t) instanceof io.haquark.rules.Verdict.Respond reply) {
            if (close) {
                reply.response().headers().add("connection", "close");
            }
            return reply.response();
        }
        ErrorFile loc = pages.location(code);
        if (loc != null) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(loc.redirectCode()));
            r.headers().add("content-length", 0);
            r.headers().add("location", loc.location());
            r.headers().add("cache-control", "no-cache");
            if (close) {
                r.headers().add("connection", "close");
            }
            return r;
        }
        ByteBuf raw = pages.rawFile(code);
        if (raw != null) {
            return io.haquark.rules.RawResponses.parse(raw, code, close);
        }
        return ErrorPages.transactionError(code, close);
    }

    /** An answer to a request we could not parse: always closes, like HAProxy's mux errors. */
    private void parsingError(int code) {
        closing = true;
        cancelTimer();
        frontend.state.counters.response(code);
        ByteBuf raw = frontend.errors.rawFile(code);
        FullHttpResponse r = raw != null ? io.haquark.rules.RawResponses.parse(raw, code, true) : ErrorPages.parsingError(code);
        if (r instanceof io.haquark.rules.RawResponses.Nothing) {
            r.release();
            client.close();
            return;
        }
        client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ tunnels (101)

    /**
     * After "101 Switching Protocols" both sides stop speaking HTTP/1: remove the codecs and
     * relay bytes (WebSocket). Closing either side ends the transaction through the usual paths.
     */
    private void switchToTunnel(HttpTxn t) {
        cancelTimer();
        Channel server = t.serverChannel;
        tunnel = server;
        if (client.pipeline().get("http") != null) {
            client.pipeline().remove("http");
        }
        if (server.pipeline().get("http") != null) {
            server.pipeline().remove("http");
        }
        client.config().setAutoRead(true);
        // timeout tunnel (or set-timeout tunnel) bounds the silence on both sides; without it the
        // server timeout does, as HAProxy falls back to client/server timeouts.
        tunnelTimeout = t.tunnelTimeout();
        arm(Timer.TUNNEL, tunnelTimeout);
    }

    // ------------------------------------------------------------------ timers

    private void arm(Timer kind, long delayMs) {
        if (delayMs <= 0) {
            timerKind = Timer.NONE;
            return;
        }
        timerKind = kind;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        if (timerTask == null || timerTaskAt > deadline) {
            if (timerTask != null) {
                timerTask.cancel(false);
            }
            schedule(deadline);
        }
    }

    private void schedule(long at) {
        timerTaskAt = at;
        timerTask = eventLoop.schedule(this::onTimer, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        timerKind = Timer.NONE;
    }

    private void onTimer() {
        timerTask = null;
        if (timerKind == Timer.NONE || closing) {
            return;
        }
        long now = System.nanoTime();
        if (now < deadline) {
            schedule(deadline);
            return;
        }
        Timer kind = timerKind;
        timerKind = Timer.NONE;
        switch (kind) {
            case REQUEST, KEEPALIVE -> requestTimeout(kind);
            case QUEUE -> {
                HttpTxn t = txn;
                if (t != null && t.queued && t.backend.lb.cancel(t)) {
                    t.queued = false;
                    t.terminationCause = "sQ";
                    respond(t, 503);
                }
            }
            case SERVER -> serverTimeout();
            case CLIENT -> {
                // timeout client while the client would not read the response: both sides close.
                HttpTxn t = txn;
                if (t != null) {
                    t.terminationCause = "cD";
                    if (t.backend != null) {
                        t.backend.state.counters.clientAborts.increment();
                    }
                    if (t.serverChannel != null) {
                        t.serverChannel.close();
                    }
                }
                client.close();
            }
            case TUNNEL -> {
                // Nothing crossed the tunnel for the whole timeout: close both sides.
                Channel other = tunnel;
                if (other != null) {
                    other.close();
                }
                client.close();
            }
            case TURNAROUND -> {
                Runnable r = turnaround;
                turnaround = null;
                if (r != null && txn != null && !txn.done) {
                    r.run();
                }
            }
            default -> { }
        }
    }

    /**
     * timeout http-request / http-keep-alive expired before a complete request: a silent
     * close for an idle keep-alive connection, 408 when bytes had started to come (or on a
     * fresh connection, unless option http-ignore-probes).
     */
    private void requestTimeout(Timer kind) {
        if (txn != null) {
            return;
        }
        boolean idleKeepAlive = kind == Timer.KEEPALIVE && bytesSinceIdle == 0;
        boolean probe = kind == Timer.REQUEST && bytesSinceIdle == 0 && frontend.proxy.option("http-ignore-probes");
        if (idleKeepAlive || probe) {
            closing = true;
            client.close();
            return;
        }
        frontend.state.counters.requestErrors.increment();
        parsingError(408);
    }

    private void serverTimeout() {
        HttpTxn t = txn;
        if (t == null || t.done) {
            return;
        }
        if (!t.responseStarted) {
            t.server.counters.responseErrors.increment();
            t.terminationCause = "sH";
            serverFailed(t, 504);
        } else {
            onServerClosed(t, null);
        }
    }
}
