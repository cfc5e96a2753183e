package io.haquark.engine;

import io.haquark.balance.LoadBalancer;
import io.haquark.state.ServerState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a {@code mode tcp} frontend: pick a backend (use_backend with
 * layer 4 ACLs, default_backend) and a server, connect on the same event loop, then relay
 * bytes both ways with back-pressure until either side closes or stays idle past
 * timeout client / server (timeout tunnel once both are connected, when set).
 */
final class TcpSession extends ChannelInboundHandlerAdapter implements Layer4Source, RoutedSource, LoadBalancer.Pending,
        io.haquark.logging.LogFields, ProxyProtocol.Receiver {
    private final Engine engine;
    private final Routing routing;
    final FrontendRuntime frontend;
    private final EventLoop loop;
    Channel client;
    private Channel server;
    BackendRuntime backend;
    ServerState serverState;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private int attempts;
    boolean closed;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private long connectStartNanos;
    private long connectedNanos;
    long bytesToClient;
    private long bytesFromClient;
    private long endNanos;
    private String loggedServer;
    private final io.haquark.state.ConnectionTracking tracking = new io.haquark.state.ConnectionTracking();

    String describe() {
        return "0x" + Integer.toHexString(System.identityHashCode(this)) + ": proto=tcp src="
                + AccessLog.endpoint(new StringBuilder(), remote)
                + " fe=" + frontend.name() + " be=" + (backend == null ? "<NONE>" : backend.name())
                + " srv=" + (serverState == null ? "<none>" : serverState.name()) + " mode=tcp";
    }

    boolean uses(ServerState s) {
        return serverState == s;
    }

    @Override
    public io.haquark.state.ConnectionTracking connectionTracking() {
        return tracking;
    }

    /** sess. variables, and the stream's txn./req./res. ones: in mode tcp both last the connection. */
    private io.haquark.state.Variables sessionVars;
    private io.haquark.state.Variables streamVars;

    @Override
    public io.haquark.state.Variables variables(io.haquark.state.Variables.Scope scope) {
        return switch (scope) {
            case PROC -> routing.procVars;
            case SESS -> sessionVars == null ? sessionVars = io.haquark.state.Variables.local() : sessionVars;
            case TXN, REQ, RES -> streamVars == null ? streamVars = io.haquark.state.Variables.local() : streamVars;
            case CHECK -> null;
        };
    }

    @Override
    public io.haquark.state.StickTable table(String name) {
        return routing.table(name, frontend.name(), backend == null ? null : backend.name());
    }

    TcpSession(Engine engine, Routing routing, FrontendRuntime frontend, EventLoop loop) {
        this.engine = engine;
        this.routing = routing;
        this.frontend = frontend;
        this.loop = loop;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        client.config().setAutoRead(false);
        remote = client.remoteAddress() instanceof InetSocketAddress r ? r : null;
        local = client.localAddress() instanceof InetSocketAddress l ? l : null;
        frontend.state.counters.sessionStarted();
        // maxconn: at the limit the acceptor pauses; TCP sessions are never parked.
        engine.connectionOpened(frontend, null);
        if (ctx.pipeline().get("proxy") != null) {
            // accept-proxy: read the PROXY header first; routing waits for the real addresses.
            client.config().setAutoRead(true);
            return;
        }
        io.haquark.rules.TcpRules rules = frontend.compiled.tcpRules;
        if (rules.mayExpectProxy()) {
            // Connection rules first: one may ask for a PROXY header (expect-proxy layer4), read before the rest.
            io.haquark.rules.TcpRules.ContentVerdict v = rules.acceptConnectionOnly(this);
            if (v != io.haquark.rules.TcpRules.ContentVerdict.ACCEPT) {
                refuse(v);
                return;
            }
            sessionRules = false;
            if (proxyExpected) {
                ProxyProtocol.expect(client, this);
                client.config().setAutoRead(true);
                return;
            }
        }
        begin();
    }

    /** expect-proxy layer4 was run by a connection rule. */
    private boolean proxyExpected;
    /** Whether begin() still runs the session rules (false once the connection rules ran apart). */
    private boolean sessionRules = true;

    @Override
    public void expectProxy() {
        proxyExpected = true;
    }

    /** A layer 4 reject resets the connection; silent-drop makes it vanish. */
    private void refuse(io.haquark.rules.TcpRules.ContentVerdict v) {
        frontend.state.counters.deniedRequests.increment();
        io.haquark.rules.SocketActions.refuse(client, v == io.haquark.rules.TcpRules.ContentVerdict.SILENT_DROP);
    }

    private void begin() {
        io.haquark.rules.TcpRules rules = frontend.compiled.tcpRules;
        io.haquark.rules.TcpRules.ContentVerdict layer4 = sessionRules ? rules.acceptConnection(this) : rules.acceptSession(this);
        if (layer4 != io.haquark.rules.TcpRules.ContentVerdict.ACCEPT) {
            refuse(layer4);
            return;
        }
        tracking.sessionAccepted();                // sess_cnt of what the connection/session rules track
        frontend.connected(remote, local, false, client);
        if (rules.inspectDelayMs == 0 && rules.hasContentRules()) {
            // Without inspect-delay, content rules decide at once on what is there (configuration.txt
            // "tcp-request content": they are evaluated "as soon as the connection is accepted").
            inspecting = true;
            decide();
            return;
        }
        if (rules.inspectDelayMs > 0) {
            // tcp-request inspect-delay: buffer what the client sends until the rules can decide.
            inspecting = true;
            inspectExpired = false;
            client.config().setAutoRead(true);
            loop.schedule(() -> {
                inspectExpired = true;
                decide();
            }, rules.inspectDelayMs, TimeUnit.MILLISECONDS);
            return;
        }
        connectToBackend();
    }

    private boolean inspecting;
    /** The inspect-delay is over (or there is none): what the rules read is final. */
    private boolean inspectExpired = true;
    /** While rules run on data that may still grow: a sample may ask to wait for more. */
    private boolean waitAllowed;
    private boolean mayChange;
    private int ruleCursor;

    @Override
    public void sampleMayChange() {
        if (waitAllowed) {
            mayChange = true;
        }
    }

    @Override
    public boolean takeMayChange() {
        boolean m = mayChange;
        mayChange = false;
        return m;
    }

    @Override
    public int ruleCursor() {
        return ruleCursor;
    }

    @Override
    public void ruleCursor(int rule) {
        ruleCursor = rule;
    }

    /** Content rules decide once the buffered data is a complete TLS record, plain data, or the delay ran out. */
    private void decide() {
        if (!inspecting || closed) {
            return;
        }
        inspecting = false;
        client.config().setAutoRead(false);
        waitAllowed = !inspectExpired && !clientInputDone;
        io.haquark.rules.TcpRules.ContentVerdict v = (backendInspection ? backend.compiled : frontend.compiled).tcpRules.contentVerdict(this);
        waitAllowed = false;
        if (v == io.haquark.rules.TcpRules.ContentVerdict.WAIT) {
            // A condition read data that is not all there: decide again when more comes, or at the delay.
            inspecting = true;
            client.config().setAutoRead(true);
            return;
        }
        if (v == io.haquark.rules.TcpRules.ContentVerdict.REJECT) {
            frontend.state.counters.deniedRequests.increment();
            client.close();
            return;
        }
        if (v == io.haquark.rules.TcpRules.ContentVerdict.SILENT_DROP) {
            frontend.state.counters.deniedRequests.increment();
            io.haquark.rules.SocketActions.silentDrop(client);
            return;
        }
        if (v == io.haquark.rules.TcpRules.ContentVerdict.SWITCH_HTTP || v == io.haquark.rules.TcpRules.ContentVerdict.SWITCH_H1
                || v == io.haquark.rules.TcpRules.ContentVerdict.SWITCH_H2) {
            if (upgrader == null) {
                // "bind ... proto none": the stream has no HTTP layer to move to; HAProxy closes it.
                client.close();
                return;
            }
            upgrade(null, v);
            return;
        }
        if (backendInspection) {
            backendInspection = false;
            assign(null);
            return;
        }
        connectToBackend();
    }

    /** The backend's tcp-request content rules are the ones inspecting (after the frontend's). */
    private boolean backendInspection;

    /**
     * A backend's own tcp-request content rules (configuration.txt "tcp-request content", in a
     * backend): they run once the frontend's chose it, with the backend's inspect-delay, before a
     * server is picked (which may need what they waited for, as balance rdp-cookie does).
     */
    private void inspectBackend() {
        io.haquark.rules.TcpRules rules = backend.compiled.tcpRules;
        backendInspection = true;
        ruleCursor = 0;
        inspecting = true;
        if (rules.inspectDelayMs == 0) {
            inspectExpired = true;
            decide();
            return;
        }
        inspectExpired = false;
        if (early != null && early.inspectable()) {
            decide();
            if (!inspecting) {
                return;
            }
        }
        client.config().setAutoRead(true);
        loop.schedule(() -> {
            if (backendInspection) {
                inspectExpired = true;
                decide();
            }
        }, rules.inspectDelayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public byte[] payload() {
        return early == null ? null : early.payload();
    }

    private void connectToBackend() {
        backend = route();
        if (backend == null) {
            closeUnrouted();
            return;
        }
        if (backend.proxy.mode() == io.haquark.model.Mode.HTTP && upgrader != null) {
            // configuration.txt §4 "mode": a TCP frontend whose backend is in HTTP mode has its stream
            // upgraded to HTTP there: the backend's HTTP rules apply to every request of the connection.
            BackendRuntime be = backend;
            backend = null;
            upgrade(be, io.haquark.rules.TcpRules.ContentVerdict.SWITCH_HTTP);
            return;
        }
        backend.state.counters.sessionStarted();
        if (backend.compiled != frontend.compiled && backend.compiled.tcpRules.hasContentRules()) {
            inspectBackend();
            return;
        }
        assign(null);
    }

    /**
     * Turns the connection into an HTTP one (set by ClientPipeline): the new session takes the
     * channel, with the backend already chosen (an HTTP backend) or null (switch-mode http, the
     * frontend routes each request).
     */
    Upgrader upgrader;

    /** ClientPipeline's part of an upgrade: the HTTP handlers on the channel, and the context that takes the bytes read. */
    interface Upgrader {
        ChannelHandlerContext upgrade(Channel ch, BackendRuntime backend, boolean h2);
    }

    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /** Hands the connection to HTTP: this handler leaves, the bytes read so far go to the HTTP codec. */
    private void upgrade(BackendRuntime be, io.haquark.rules.TcpRules.ContentVerdict how) {
        Channel ch = client;
        ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, false);
        ch.pipeline().remove(this);
        byte[] head = early == null ? new byte[0] : early.payload();
        boolean h2 = how == io.haquark.rules.TcpRules.ContentVerdict.SWITCH_H2
                || how == io.haquark.rules.TcpRules.ContentVerdict.SWITCH_HTTP && head.length >= H2_PREFACE.length
                && java.util.Arrays.equals(head, 0, H2_PREFACE.length, H2_PREFACE, 0, H2_PREFACE.length);
        if (h2) {
            // HTTP/2 streams account for themselves, as on an h2 connection; this TCP session's count ends here.
            frontend.state.counters.sessionEnded();
            engine.connectionClosed(frontend, null);
            closed = true;
        }
        ChannelHandlerContext first = upgrader.upgrade(ch, be, h2);
        if (!h2 && ch.pipeline().get("session") instanceof HttpSession http) {
            http.inheritFromTcp(sessionVars, streamVars);
        }
        if (early != null) {
            EarlyData held = early;
            early = null;
            held.drainTo(m -> {
                try {
                    ((io.netty.channel.ChannelInboundHandler) first.handler()).channelRead(first, m);
                } catch (Exception e) {
                    io.netty.util.ReferenceCountUtil.release(m);
                    first.fireExceptionCaught(e);
                }
            });
            first.fireChannelReadComplete();
        }
        ch.config().setAutoRead(true);
    }

    /** Set when the session has nowhere to go and only waits for the client to read its end. */
    private boolean discarding;

    /**
     * A stream with no backend: HAProxy closes it with a FIN, once a TLS handshake is over, and
     * what the client sent is read and dropped; closing with unread input would reset the
     * connection instead (the client would see an error rather than the end of the stream).
     */
    private void closeUnrouted() {
        discarding = true;
        if (early != null) {
            early.release();
            early = null;
        }
        client.config().setAutoRead(true);
        io.netty.handler.ssl.SslHandler tls = client.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls != null && !tls.handshakeFuture().isDone()) {
            tls.handshakeFuture().addListener(f -> finishUnrouted());
            return;
        }
        finishUnrouted();
    }

    private void finishUnrouted() {
        if (!client.isActive()) {
            return;
        }
        if (client.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null
                && client instanceof io.netty.channel.socket.DuplexChannel d) {
            d.shutdownOutput();
        } else {
            client.close();
            return;
        }
        // The client closes on our FIN; a client that does not is closed after a second.
        loop.schedule(() -> {
            client.close();
        }, 1, TimeUnit.SECONDS);
    }

    private BackendRuntime route() {
        CompiledProxy fe = frontend.compiled;
        for (int i = fe.switchRules.first(this); i >= 0; i = fe.switchRules.next(this, i + 1)) {
            BackendRuntime b = routing.backend(fe.switchNames[i] != null ? fe.switchNames[i].resolve(this)
                    : fe.switchTargets[i]);
            if (b != null) {
                return b;
            }
        }
        String def = frontend.proxy.defaultBackend();
        if (def != null && fe.defaultName != null) {
            String name = fe.defaultName.resolve(this);
            return name == null ? null : routing.backend(name);
        }
        return def != null ? routing.backend(def) : frontend.ownBackend;
    }

    private void assign(ServerState avoid) {
        Persistence persistence = backend.compiled.persistence;
        if (avoid == null && persistence != Persistence.NONE) {
            // use-server, then stick match / stick on: in mode tcp too (configuration.txt §4.2).
            Persistence.Override override = persistence.override(this);
            boolean forced = override == Persistence.Override.FORCE || persistence.optionPersist;
            ServerState chosen = persistence.reserveUseServer(this, backend, forced);
            if (chosen == null) {
                chosen = rdpPersist();
            }
            if (chosen == null) {
                chosen = persistence.reserveStick(this, routing, backend, override, forced);
            }
            if (chosen != null) {
                connect(chosen);
                return;
            }
        }
        if (avoid == null && persistence == Persistence.NONE) {
            ServerState rdp = rdpPersist();
            if (rdp != null) {
                connect(rdp);
                return;
            }
        }
        ServerState implicit = backend.implicitServer;
        if (implicit != null && backend.lb.reserve(implicit, true)) {
            // dispatch / option transparent: a backend without servers still has a destination.
            connect(implicit);
            return;
        }
        ServerState[] out = new ServerState[1];
        switch (backend.lb.assign(this, avoid, this, out)) {
            case ASSIGNED -> connect(out[0]);
            case QUEUED -> loop.schedule(() -> {
                if (server == null && !closed && backend.lb.cancel(this)) {
                    client.close();
                }
            }, Math.max(1, backend.queueTimeout), TimeUnit.MILLISECONDS);
            default -> client.close();
        }
    }

    /**
     * persist rdp-cookie[(name)] (configuration.txt §4.2): the RDP cookie ("msts" by default)
     * names the server the session was on, as "<IPv4 as a little-endian number>.<port, byte
     * swapped>.<rest>", the form Microsoft's load balancing writes; that server is used while it
     * is not DOWN (or with option persist), with a slot reserved. Null to balance.
     */
    private ServerState rdpPersist() {
        if (backend.rdpCookie == null) {
            return null;
        }
        String v = io.haquark.acl.ContentFetches.rdpCookie(this, backend.rdpCookie);
        if (v == null) {
            return null;
        }
        String[] parts = v.split("\\.", -1);
        if (parts.length < 3) {
            return null;
        }
        long ip;
        int port;
        try {
            ip = Long.parseUnsignedLong(parts[0]) & 0xffffffffL;
            int p = (int) (Long.parseUnsignedLong(parts[1]) & 0xffff);
            port = ((p & 0xff) << 8) | (p >> 8);
        } catch (NumberFormatException e) {
            return null;
        }
        byte[] a = {(byte) ip, (byte) (ip >> 8), (byte) (ip >> 16), (byte) (ip >> 24)};
        for (ServerState s : backend.state.servers()) {
            if (s.address instanceof java.net.Inet4Address && java.util.Arrays.equals(s.address.getAddress(), a)
                    && s.server.port() == port && (s.isUp() || backend.proxy.option("persist"))) {
                return backend.lb.reserve(s, true) ? s : null;
            }
        }
        return null;
    }

    @Override
    public void assigned(ServerState s) {
        loop.execute(() -> {
            if (closed) {
                backend.lb.release(s);
            } else {
                connect(s);
            }
        });
    }

    private void connect(ServerState s) {
        serverState = s;
        if (s.index >= 0 && backend.compiled.persistence.hasStickRules()) {
            backend.compiled.persistence.store(this, routing, s);
        }
        loggedServer = s.name();
        connectStartNanos = System.nanoTime();
        attempts++;
        s.counters.sessionStarted();
        s.lbTotal.increment();
        engine.connector.connectRaw(s, backend.transparent() ? destination() : null, local == null ? 0 : local.getPort(), loop, backend.connectTimeout,
                backend.proxy.option("srvtcpka") || backend.proxy.option("tcpka"), new TcpServerSide(this), (ch, err) -> {
                    if (closed) {
                        if (ch != null) {
                            ch.close();
                        }
                        return;
                    }
                    if (ch == null) {
                        connectFailed(s);
                        return;
                    }
                    server = ch;
                    connectedNanos = System.nanoTime();
                    responsePending = backend.compiled.tcpRules.hasResponseRules();
                    // Half-close is relayed: an end of stream from the server is not the end of the session.
                    ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
                    if ((s.server.sendProxy() || s.server.sendProxyV2()) && remote != null && local != null) {
                        ch.pipeline().addFirst("proxy-encoder", io.netty.handler.codec.haproxy.HAProxyMessageEncoder.INSTANCE);
                        ch.writeAndFlush(ProxyProtocol.header(s.server.sendProxyV2(), source(), destination(), ProxyProtocol.tlvs(this, s.server)));
                    }
                    if (early != null) {
                        early.writeTo(ch);
                        early = null;
                        ch.flush();
                    }
                    // Each side has its own inactivity timeout (timeout client / timeout server), or
                    // both "timeout tunnel" when set, as in HAProxy: a silent client with
                    // "timeout client 1" is closed after 1 ms (cD) even while the server is slow.
                    long tunnel = backend.proxy.timeouts().tunnel();
                    long clientIdle = tunnel > 0 ? tunnel : frontend.clientTimeout;
                    long serverIdle = tunnel > 0 ? tunnel : backend.serverTimeout;
                    if (clientIdle > 0) {
                        client.pipeline().addFirst("idle", new io.netty.handler.timeout.IdleStateHandler(0, 0, clientIdle, TimeUnit.MILLISECONDS));
                    }
                    if (serverIdle > 0) {
                        ch.pipeline().addFirst("idle", new io.netty.handler.timeout.IdleStateHandler(0, 0, serverIdle, TimeUnit.MILLISECONDS));
                    }
                    if (clientInputDone) {
                        shutdownServerOutput();
                    }
                    server.config().setAutoRead(true);
                    client.config().setAutoRead(true);
                });
    }

    private void connectFailed(ServerState s) {
        s.counters.sessionEnded();
        s.counters.connectErrors.increment();
        backend.state.counters.connectErrors.increment();
        serverState = null;
        boolean redispatch = backend.redispatchOn(attempts);
        if (attempts > backend.retries || redispatch) {
            backend.lb.release(s);
            if (attempts > backend.retries) {
                client.close();
                return;
            }
        }
        // A retry on the same server keeps its slot: released, it could go to a queued
        // connection and the retry would then exceed the server's maxconn.
        loop.schedule(() -> {
            if (closed) {
                if (!redispatch) {
                    backend.lb.release(s);
                }
                return;
            }
            if (redispatch) {
                assign(s);
            } else {
                connect(s);
            }
        }, Math.min(backend.connectTimeout, 1000), TimeUnit.MILLISECONDS);
    }

    /** set-log-level silent: the stream is not logged. */
    private boolean silent;
    /** tcp-request capture values, in the frontend's capture slots (%hr, capture.req.hdr). */
    private String[] captures;

    @Override
    public void setLogLevel(String level) {
        silent = level.equals("silent");
    }

    @Override
    public void capture(boolean response, int slot, String value) {
        captures = frontend.captures.capture(captures, response, slot, value);
    }

    @Override
    public String captured(boolean response, int slot) {
        return frontend.captures.get(captures, response, slot);
    }

    @Override
    public String capturedHeaders(boolean response) {
        return frontend.captures.headersField(captures, response);
    }

    /** The bind's name (so_name), or null. */
    String bindName;

    @Override
    public String bindName() {
        return bindName;
    }

    /** The PROXY header never came right: logged as HAProxy logs a failed connection. */
    @Override
    public void failed(int code) {
        ConnectionError.report(routing, frontend, client, bindName, false, code, startMillis);
    }

    /** accept-proxy: the addresses the PROXY header announced replace the socket's. */
    @Override
    public void proxied(InetSocketAddress src, InetSocketAddress dst, java.util.Map<Integer, byte[]> tlvs) {
        proxyTlvs = tlvs;
        if (src != null) {
            remote = src;
        }
        if (dst != null) {
            local = dst;
        }
        client.config().setAutoRead(false);
        begin();
    }

    /** The TLVs of the PROXY v2 header the connection started with. */
    private java.util.Map<Integer, byte[]> proxyTlvs = java.util.Map.of();

    @Override
    public byte[] proxyTlv(int type) {
        return proxyTlvs.get(type);
    }

    /** Bytes that came before the server connection was up (after a PROXY header): sent first. */
    private EarlyData early;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed || discarding) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (server == null) {
            if (early == null) {
                early = new EarlyData();
            }
            early.add(msg);
            if (inspecting && early.inspectable()) {
                decide();
            }
            return;
        }
        if (msg instanceof ByteBuf b) {
            bytesFromClient += b.readableBytes();
            frontend.state.counters.bytesIn.add(b.readableBytes());
            backend.state.counters.bytesIn.add(b.readableBytes());
        }
        server.write(msg);
        if (!server.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (server != null) {
            server.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client.isWritable() && server != null) {
            server.config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (termination == null) {
                termination = "cD";
            }
            client.close();
        } else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && discarding) {
            client.close();
        } else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            // The client shut its sending side: the server gets the end of the stream once the
            // bytes before it are written, and its answer still flows back (a half-closed relay).
            clientInputDone = true;
            if (inspecting) {
                decide();                          // nothing more will come: the rules decide now
            }
            if (server != null) {
                shutdownServerOutput();
            }
            closeWhenBothDone();
        }
    }

    /** Half-close: each side's end of stream, relayed to the other. */
    private boolean clientInputDone;
    boolean serverInputDone;

    private void shutdownServerOutput() {
        if (early != null) {
            early.writeTo(server);
            early = null;
        }
        Channel s = server;
        s.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (s instanceof io.netty.channel.socket.DuplexChannel d && s.isActive()) {
                d.shutdownOutput();
            }
        });
    }

    /**
     * tcp-response content rules of the backend (configuration.txt "tcp-response content"):
     * the server's first bytes wait here, up to "tcp-response inspect-delay", until the rules
     * accept them (they go on to the client) or reject the stream (both sides close).
     */
    private boolean responsePending;
    private EarlyData responseData;
    private boolean responseExpired;

    @Override
    public byte[] responsePayload() {
        return responseData == null ? null : responseData.payload();
    }

    /** Takes the server's bytes while the response rules have not decided; false once they have. */
    boolean holdResponse(Object msg) {
        if (!responsePending) {
            return false;
        }
        if (responseData == null) {
            responseData = new EarlyData();
            long delay = backend.compiled.tcpRules.responseInspectDelayMs;
            if (delay > 0) {
                loop.schedule(() -> {
                    responseExpired = true;
                    decideResponse();
                }, delay, TimeUnit.MILLISECONDS);
            } else {
                responseExpired = true;
            }
        }
        responseData.add(msg);
        decideResponse();
        return true;
    }

    /** The server ended its side or closed: the response rules decide on what came. */
    void responseEnded() {
        if (responsePending && responseData != null) {
            responseExpired = true;
            decideResponse();
        }
    }

    private void decideResponse() {
        if (!responsePending || closed || responseData == null) {
            return;
        }
        waitAllowed = !responseExpired && !serverInputDone;
        io.haquark.rules.TcpRules.ResponseVerdict v = backend.compiled.tcpRules.acceptResponse(this);
        waitAllowed = false;
        if (v == io.haquark.rules.TcpRules.ResponseVerdict.WAIT) {
            return;
        }
        responsePending = false;
        EarlyData held = responseData;
        responseData = null;
        if (v == io.haquark.rules.TcpRules.ResponseVerdict.ACCEPT) {
            held.writeTo(client);
            client.flush();
            return;
        }
        held.release();
        backend.state.counters.deniedResponses.increment();
        if (v == io.haquark.rules.TcpRules.ResponseVerdict.SILENT_DROP) {
            io.haquark.rules.SocketActions.silentDrop(client);
        } else {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The server shut its sending side: the client gets the end of the stream after the rest. */
    void serverInputShutdown() {
        serverInputDone = true;
        responseEnded();
        client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (client instanceof io.netty.channel.socket.DuplexChannel d && client.isActive()) {
                d.shutdownOutput();
            }
        });
        closeWhenBothDone();
    }

    private void closeWhenBothDone() {
        if (clientInputDone && serverInputDone) {
            client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            if (server != null) {
                server.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }

    /** How the session ended when a timeout ended it (cD, sD), else null. */
    String termination;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        tracking.release();
        frontend.state.counters.sessionEnded();
        engine.connectionClosed(frontend, null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void end() {
        if (closed) {
            return;
        }
        closed = true;
        endNanos = System.nanoTime();
        tracking.bytes(bytesFromClient, bytesToClient);
        if (frontend.log != null && !silent) {
            frontend.log.tcp(this);
        }
        if (server != null) {
            server.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        if (early != null) {
            early.release();
            early = null;
        }
        if (serverState != null) {
            serverState.counters.sessionEnded();
            backend.lb.release(serverState);
            serverState = null;
        }
        if (backend != null) {
            backend.state.counters.sessionEnded();
            backend.lb.cancel(this);
        }
    }

    // ---- samples: layer 4 only ----

    /** The addresses session and content rules set (the connection's own stay in remote/local for fc_src/fc_dst). */
    private InetSocketAddress viewRemote;
    private InetSocketAddress viewLocal;

    @Override
    public InetSocketAddress source() {
        return viewRemote != null ? viewRemote : remote;
    }

    @Override
    public InetSocketAddress destination() {
        return viewLocal != null ? viewLocal : local;
    }

    @Override
    public InetSocketAddress frontSource() {
        return remote;
    }

    @Override
    public InetSocketAddress frontDestination() {
        return local;
    }

    @Override
    public void setAddress(AddressLevel level, boolean src, java.net.InetAddress a, int port) {
        if (level == AddressLevel.CONNECTION) {
            if (src) {
                remote = io.haquark.acl.SampleSource.changed(remote, a, port);
            } else {
                local = io.haquark.acl.SampleSource.changed(local, a, port);
            }
        } else if (src) {
            viewRemote = io.haquark.acl.SampleSource.changed(source(), a, port);
        } else {
            viewLocal = io.haquark.acl.SampleSource.changed(destination(), a, port);
        }
    }

    @Override
    public int usableServers(String name) {
        BackendRuntime b = routing.backend(name);
        return b == null ? -1 : b.state.usableServers();
    }

    @Override
    public boolean tlsConnection() {
        return frontTlsSession() != null;
    }

    @Override
    public javax.net.ssl.SSLSession frontTlsSession() {
        return ClientTls.session(client);
    }

    @Override
    public javax.net.ssl.SSLSession serverTlsSession() {
        return ClientTls.session(server);
    }

    /** set-priority-class / set-priority-offset (prio_class, prio_offset, the queue's order), null until set. */
    private Priority priority;

    @Override
    public long priorityClass() {
        return Priority.classOf(priority);
    }

    @Override
    public long priorityOffset() {
        return Priority.offsetOf(priority);
    }

    @Override
    public void setPriority(boolean offset, long value) {
        priority = Priority.with(priority, offset, value);
    }

    @Override
    public Channel frontChannel() {
        return client;
    }

    @Override
    public Channel backChannel() {
        return server;
    }

    @Override
    public Long backendTunnelTimeout() {
        return backend == null ? null : backend.tunnelTimeout();
    }

    @Override
    public String frontendName() {
        return frontend.name();
    }

    @Override
    public String backendName() {
        return backend == null ? null : backend.name();
    }

    // ---- LogFields: what a log-format line reads about this session ----

    @Override
    public long acceptMillis() {
        return startMillis;
    }

    @Override
    public String frontendLabel() {
        return frontend.name();
    }

    @Override
    public String serverName() {
        return loggedServer == null ? "<NOSRV>" : loggedServer;
    }

    @Override
    public long requestTime() {
        return -1;
    }

    @Override
    public long queueTime() {
        return 0;
    }

    @Override
    public long connectTime() {
        return connectedNanos == 0 ? -1 : (connectedNanos - connectStartNanos) / 1_000_000;
    }

    @Override
    public long responseTime() {
        return -1;
    }

    @Override
    public long activeTime() {
        return totalTime();
    }

    @Override
    public long totalTime() {
        return ((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos) / 1_000_000;
    }

    @Override
    public int statusCode() {
        return 0;
    }

    @Override
    public long bytesToClient() {
        return bytesToClient;
    }

    @Override
    public long bytesFromClient() {
        return bytesFromClient;
    }

    @Override
    public String terminationState() {
        return (connectedNanos == 0 ? "SC" : termination != null ? termination : "--") + "--";
    }

    @Override
    public int frontendConnections() {
        return frontend.state.counters.sessionsCurrent.get();
    }

    @Override
    public int backendConnections() {
        return backend == null ? 0 : backend.state.counters.sessionsCurrent.get();
    }

    @Override
    public int serverConnections() {
        return serverState == null ? 0 : serverState.counters.sessionsCurrent.get();
    }

    @Override
    public int retries() {
        return Math.max(0, attempts - 1);
    }

    @Override
    public int serverQueue() {
        return 0;
    }

    @Override
    public int backendQueue() {
        return backend == null ? 0 : backend.state.queueLength();
    }

    @Override
    public InetSocketAddress serverAddress() {
        return server == null ? null : (InetSocketAddress) server.remoteAddress();
    }

    @Override
    public InetSocketAddress backendSource() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    /** unique-id-format is an HTTP feature: a TCP session has none. */
    @Override
    public String uniqueId() {
        return null;
    }

    @Override
    public Routing routing() {
        return routing;
    }
}
