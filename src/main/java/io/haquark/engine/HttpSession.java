package io.haquark.engine;

import io.haquark.state.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection of an HTTP frontend: reads requests (one transaction at a time,
 * pipelined ones wait their turn), routes them, borrows a server connection on the same
 * event loop, streams both bodies with back-pressure, and keeps HAProxy's timeouts and
 * error answers. Everything here runs on the connection's event loop.
 */
final class HttpSession extends ChannelInboundHandlerAdapter implements ProxyProtocol.Receiver {
    /** Pipelined requests kept while one is in progress before we stop reading the socket. */
    static final int MAX_WAITING = 32;

    final Engine engine;

    /** The model this connection is served by; a reload moves it on at the next request. */
    Routing routing;

    FrontendRuntime frontend;

    final EventLoop eventLoop;

    final int loopIndex;

    InetSocketAddress remote;

    InetSocketAddress local;

    Channel client;

    HttpTxn txn;

    final ArrayDeque<Object> waiting = new ArrayDeque<>();

    boolean firstRequest = true;

    /** Stick-table entries tracked by tcp-request rules for this connection. */
    final io.haquark.state.ConnectionTracking tracking = new io.haquark.state.ConnectionTracking();
    /**
     * The private server connection of this client (configuration.txt "http-reuse never", and
     * the implicit server of dispatch / option transparent): its next request to the same server
     * goes on it, and it closes with the client. Shared connections go to the idle pool instead.
     */
    private Channel ownServerChannel;
    private BackendRuntime ownBackend;
    private int ownServer = -1;

    /** Keeps a server connection for this client's next request (any one kept before is closed). */
    void keepServerConnection(Channel ch, BackendRuntime b, int server) {
        if (ownServerChannel != null && ownServerChannel != ch) {
            ownServerChannel.close();
        }
        ownServerChannel = ch;
        ownBackend = b;
        ownServer = server;
    }

    /** The kept connection when it goes to that server and is still open, or null. */
    /**
     * The server of the connection this session holds as its own for backend b (http-reuse never):
     * the one option prefer-last-server prefers. A pooled connection is not the session's: HAProxy
     * 2.6 balances again then (compared), and so do we.
     */
    ServerState lastServer(BackendRuntime b) {
        Channel c = ownServerChannel;
        if (c == null || ownBackend != b || !c.isActive()) {
            return null;
        }
        ServerState[] all = b.state.servers();
        return ownServer >= 0 && ownServer < all.length ? all[ownServer] : null;
    }

    Channel takeServerConnection(BackendRuntime b, ServerState s, InetSocketAddress target) {
        Channel c = ownServerChannel;
        if (c == null || ownBackend != b || ownServer != s.index) {
            return null;
        }
        ownServerChannel = null;
        boolean sameTarget = target != null ? target.equals(c.remoteAddress()) : BackendRuntime.pointsAt(c, s);
        if (!c.isActive() || s.deleted || !sameTarget) {
            c.close();
            return null;
        }
        return c;
    }

    /** The client left: its private server connection goes with it. */
    private void releaseServerConnection() {
        Channel c = ownServerChannel;
        ownServerChannel = null;
        if (c != null) {
            c.close();
        }
    }

    /** The session's addresses when a "tcp-request session set-src/set-dst" changed them (null: the connection's). */
    private InetSocketAddress sessionRemote;
    private InetSocketAddress sessionLocal;

    InetSocketAddress sessionSource() {
        return sessionRemote != null ? sessionRemote : remote;
    }

    InetSocketAddress sessionDestination() {
        return sessionLocal != null ? sessionLocal : local;
    }

    /** set-src/set-dst/set-*-port of a connection or session rule (a stream's are the transaction's own). */
    void setAddress(io.haquark.acl.SampleSource.AddressLevel level, boolean source, java.net.InetAddress a, int port) {
        if (level == io.haquark.acl.SampleSource.AddressLevel.CONNECTION) {
            if (source) {
                remote = io.haquark.acl.SampleSource.changed(remote, a, port);
            } else {
                local = io.haquark.acl.SampleSource.changed(local, a, port);
            }
        } else if (source) {
            sessionRemote = io.haquark.acl.SampleSource.changed(sessionSource(), a, port);
        } else {
            sessionLocal = io.haquark.acl.SampleSource.changed(sessionDestination(), a, port);
        }
    }

    /** sess. variables: they live as long as the client connection (§2.8); created on first use. */
    private io.haquark.state.Variables sessionVars;

    io.haquark.state.Variables variables() {
        if (sessionVars == null) {
            sessionVars = io.haquark.state.Variables.local();
        }
        return sessionVars;
    }

    boolean closing;

    long bytesSinceIdle;

    /** Bytes read from the client, and the count when the last transaction ended (%U of the next). */
    long bytesInTotal;

    long bytesInMark;

    /** After a 101 answer: the server channel raw bytes are relayed to. */
    Channel tunnel;

    long tunnelTimeout;

    // The stages a transaction goes through, each its own class (docs/architecture.md).
    final RequestAnalysis requests = new RequestAnalysis(this);
    final Forwarding forwarding = new Forwarding(this);
    final ResponseAnalysis responses = new ResponseAnalysis(this);
    final Completion completion = new Completion(this);
    final LocalAnswers answers = new LocalAnswers(this);
    final SessionTimers timers = new SessionTimers(this);
    /** The "name" of the bind line this connection came in on (so_name), or null. */
    String bindName;
    /** The request body held for the current transaction (see HeldBody). */
    final HeldBody held = new HeldBody();
    /** The response body held while an http-response wait-for-body waits. */
    final HeldBody heldResponse = new HeldBody();

    HttpSession(Engine engine, Routing routing, FrontendRuntime frontend, EventLoop eventLoop, int loopIndex) {
        this.engine = engine;
        this.routing = routing;
        this.frontend = frontend;
        this.eventLoop = eventLoop;
        this.loopIndex = loopIndex;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        if (client.remoteAddress() instanceof InetSocketAddress r) {
            remote = r;
        }
        if (client.localAddress() instanceof InetSocketAddress l) {
            local = l;
        }
        if (upgradedFromTcp) {
            timers.arm(HttpTimer.REQUEST, frontend.httpRequestTimeout);
            ctx.fireChannelActive();
            return;
        }
        frontend.state.counters.sessionStarted();
        io.haquark.rules.TcpRules.ContentVerdict layer4 = awaitingProxyHeader ? io.haquark.rules.TcpRules.ContentVerdict.ACCEPT
                : connectionRules();
        if (layer4 != io.haquark.rules.TcpRules.ContentVerdict.ACCEPT) {
            // tcp-request connection reject / silent-drop: gone before any HTTP.
            refuseLayer4(layer4);
            engine.connectionOpened(frontend, null);
            ctx.fireChannelActive();
            return;
        }
        if (!awaitingProxyHeader) {
            tracking.sessionAccepted();            // sess_cnt of what the connection/session rules track
        }
        if (!awaitingProxyHeader && !(client instanceof io.netty.handler.codec.http2.Http2StreamChannel)) {
            frontend.connected(remote, local, true, client);
        }
        if (engine.connectionOpened(frontend, this)) {
            timers.arm(HttpTimer.REQUEST, frontend.httpRequestTimeout);
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
            answers.parsingError(400);
        }
    }

    /** The TLVs of the PROXY v2 header the connection started with (fc_pp_authority, fc_pp_unique_id). */
    java.util.Map<Integer, byte[]> proxyTlvs = java.util.Map.of();

    /** accept-proxy: the connection rules wait for the PROXY header, whose addresses they then see. */
    boolean awaitingProxyHeader;
    /**
     * The connection came as a TCP stream (its accounting and connection rules are done) and was
     * upgraded; with upgradedBackend set, every request goes to that HTTP backend (the frontend,
     * in TCP mode, has no HTTP rules of its own to run).
     */
    boolean upgradedFromTcp;
    BackendRuntime upgradedBackend;
    /**
     * The TCP stream's txn/req/res variables, which its first request keeps (HAProxy upgrades the
     * stream itself), and whether that request has had the frontend's tcp-request content rules.
     */
    io.haquark.state.Variables inheritedStreamVars;
    boolean contentRulesDone;

    /** What the TCP session leaves to the HTTP one: its sess. and stream variables. */
    void inheritFromTcp(io.haquark.state.Variables session, io.haquark.state.Variables stream) {
        sessionVars = session;
        inheritedStreamVars = stream;
        contentRulesDone = true;
    }

    /** accept-proxy: the addresses the PROXY header announced replace the socket's. */
    /** fc_rcvd_proxy. */
    boolean receivedProxyHeader;

    /**
     * The connection rules (and the session rules, unless a connection rule asked for a PROXY
     * header with expect-proxy layer4: they then run once it has come).
     */
    private io.haquark.rules.TcpRules.ContentVerdict connectionRules() {
        io.haquark.rules.TcpRules rules = frontend.compiled.tcpRules;
        TcpView view = new TcpView(this);
        if (!rules.mayExpectProxy()) {
            return rules.acceptConnection(view);
        }
        io.haquark.rules.TcpRules.ContentVerdict v = rules.acceptConnectionOnly(view);
        if (v != io.haquark.rules.TcpRules.ContentVerdict.ACCEPT) {
            return v;
        }
        if (proxyExpected) {
            awaitingProxyHeader = true;
            ProxyProtocol.expect(client, this);
            return v;
        }
        return rules.acceptSession(view);
    }

    /** expect-proxy layer4 ran: the connection rules are done, the session rules wait for the header. */
    boolean proxyExpected;

    /** A layer 4 reject resets the connection (as HAProxy closes it); silent-drop makes it vanish. */
    private void refuseLayer4(io.haquark.rules.TcpRules.ContentVerdict v) {
        frontend.state.counters.deniedRequests.increment();
        closing = true;
        io.haquark.rules.SocketActions.refuse(client, v == io.haquark.rules.TcpRules.ContentVerdict.SILENT_DROP);
    }

    /** The PROXY header never came right: logged as HAProxy logs a failed connection. */
    @Override
    public void failed(int code) {
        ConnectionError.report(routing, frontend, client, bindName, false, code, acceptMillis);
    }

    /** When the connection was accepted (the date of a failed connection's log line). */
    private final long acceptMillis = System.currentTimeMillis();

    @Override
    public void proxied(InetSocketAddress src, InetSocketAddress dst, java.util.Map<Integer, byte[]> tlvs) {
        proxyTlvs = tlvs;
        receivedProxyHeader = true;
        // The announced addresses are the connection's and the session's: a connection rule run
        // afterwards changes fc_src/fc_dst only (as HAProxy 2.6 does after accept-proxy).
        if (src != null) {
            remote = src;
            sessionRemote = src;
        }
        if (dst != null) {
            local = dst;
            sessionLocal = dst;
        }
        if (awaitingProxyHeader) {
            awaitingProxyHeader = false;
            io.haquark.rules.TcpRules.ContentVerdict v = closing ? io.haquark.rules.TcpRules.ContentVerdict.ACCEPT
                    : proxyExpected ? frontend.compiled.tcpRules.acceptSession(new TcpView(this))
                    : frontend.compiled.tcpRules.acceptConnection(new TcpView(this));
            if (v != io.haquark.rules.TcpRules.ContentVerdict.ACCEPT) {
                refuseLayer4(v);
            } else if (!closing) {
                tracking.sessionAccepted();
                frontend.connected(remote, local, true, client);
            }
        }
    }

    /**
     * Whether a rule list stopped on a rule that yields (request or response rules alike): the
     * transaction keeps where to resume, and a body wait arms the connection's timer.
     */
    boolean yielded(HttpTxn t, io.haquark.rules.Verdict v) {
        if (v instanceof io.haquark.rules.Verdict.Yield y) {
            t.ruleFrom = y.resumeAt();
            if (y.until() instanceof io.haquark.rules.Verdict.BodyWait w) {
                waitForBody(t, w);
            }
            return true;
        }
        t.ruleFrom = 0;
        return false;
    }

    /** The body is awaited: it arrives (the analyses resume) or the BODY timer answers 408/504. */
    void waitForBody(HttpTxn t, io.haquark.rules.Verdict.BodyWait w) {
        t.bodyWait = w;
        timers.arm(HttpTimer.BODY, w.timeoutMs());
    }

    /** A slot under maxconn freed up for this parked connection. */
    void unpark() {
        if (!closing && client.isActive()) {
            client.config().setAutoRead(true);
            timers.arm(HttpTimer.REQUEST, frontend.httpRequestTimeout);
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
            timers.arm(HttpTimer.TUNNEL, tunnelTimeout);
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

    void handle(Object msg) {
        if (msg instanceof HttpRequest req) {
            requests.onRequest(req);
            if (msg instanceof HttpContent c && txn != null && !closing) {
                requests.onRequestBody(c);
            } else if (msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg);
            }
        } else if (msg instanceof HttpContent c) {
            if (txn == null || txn.requestComplete) {
                c.release();
            } else {
                requests.onRequestBody(c);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        requests.dispatchPending();
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
            if (timers.timerKind == HttpTimer.CLIENT) {
                timers.arm(HttpTimer.SERVER, t.serverTimeout());
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The client ended its sending side (a FIN: "printf 'GET / ...' | nc" does this right after
     * its request). The request in progress is still answered and the connection closes after it,
     * as HAProxy does (requests pipelined behind it are not answered, as with HAProxy); with
     * nothing whole to answer the connection closes now. With the backend's
     * "option abortonclose" a request still queued, connecting, or waiting for the server's
     * answer is given up instead (configuration.txt "option abortonclose").
     */
    boolean clientInputClosed;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        clientInputClosed = true;
        HttpTxn t = txn;
        if (t == null ? waiting.isEmpty() : !t.requestComplete) {
            ctx.close();
            return;
        }
        if (t != null && !t.done && !t.responseStarted && t.backend != null && t.backend.proxy.option("abortonclose")) {
            completion.clientAborted(t, t.queued ? "CQ" : t.serverChannel == null ? "CC" : "CH");
        }
    }

    /** Set by ClientPipeline where an HTTP/2 preface may turn the connection into HTTP/2; null elsewhere. */
    Runnable h2Upgrade;

    /** The connection becomes HTTP/2 (ClientPipeline): this session's count and timers end here. */
    void leaveForHttp2() {
        closing = true;
        dropTimers();
        frontend.state.counters.sessionEnded();
        engine.connectionClosed(frontend, this);
        tracking.release();
    }

    /**
     * No timer of this session runs any more. A pending one holds the session for up to "timeout
     * client": it is dropped now, or short connections pile up in the scheduler (Netty removes it
     * at once on its loop).
     */
    private void dropTimers() {
        timers.cancelTimer();
        if (timers.timerTask != null) {
            timers.timerTask.cancel(false);
            timers.timerTask = null;
        }
    }

    /** The client went away while its whole request was on its way to a server (see channelInactive). */
    boolean clientGone;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpTxn current = txn;
        if (current != null && !current.done && current.requestComplete && !current.responseStarted && current.backend != null
                && !current.backend.proxy.option("abortonclose") && (current.queued || current.server != null)) {
            // HAProxy goes on with a whole request whose client left (without option abortonclose):
            // the server still gets it, the answer goes nowhere, and the log says CD.
            clientGone = true;
            clientInputClosed = true;
            frontend.state.counters.sessionEnded();
            engine.connectionClosed(frontend, this);
            return;
        }
        if (clientGone) {
            return;                                // counted when the client left
        }
        closing = true;
        dropTimers();
        frontend.state.counters.sessionEnded();
        engine.connectionClosed(frontend, this);
        releaseServerConnection();
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
            completion.abortTxn(t);
        }
        for (Object o : waiting) {
            ReferenceCountUtil.release(o);
        }
        waiting.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and similar socket errors: the connection is gone; nothing to answer. Anything
        // else is a fault of ours: say so (the connection still closes, the others carry on).
        // A TLS handshake the client failed (a refused certificate, no shared cipher) is its own.
        boolean tls = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException
                || cause instanceof io.netty.handler.codec.haproxy.HAProxyProtocolException;   // no or a bad PROXY header: the client's
        if (client instanceof io.netty.handler.codec.http2.Http2StreamChannel && txn == null && !closing
                && cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof IllegalArgumentException) {
            // An HTTP/2 request Netty cannot turn into one (a :method with a character no token
            // has): a bad request, answered 400 on its stream as HAProxy does.
            frontend.state.counters.requestErrors.increment();
            answers.parsingError(400);
            return;
        }
        if (!(cause instanceof java.io.IOException) && !tls) {
            org.jboss.logging.Logger.getLogger(HttpSession.class).warnf(cause, "connection from %s closed on an internal error", remote);
        }
        ctx.close();
    }

    /**
     * A reload replaced the model between two requests: go on with the new one (same-named
     * HTTP frontend), keeping the connection. Its count and counters were handed over with the
     * frontend's state, so only the references move.
     */
    void moveToSuccessor() {
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
    boolean orphaned() {
        return frontend.retired && (frontend.successor == null || frontend.successor.proxy.mode() != io.haquark.model.Mode.HTTP);
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
}
