package io.haquark.engine;

import io.haquark.balance.LoadBalancer;
import io.haquark.acl.Patterns;
import io.haquark.model.ForwardFor;
import io.haquark.state.ServerState;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;

/**
 * Server assignment and connection: persistence (cookie, stick rules) or the load balancer,
 * the queue, a pooled or new server connection, connect retries and redispatch
 * (configuration.txt "retries", "option redispatch"), then the request as the server gets it.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class Forwarding {
    private final HttpSession session;

    Forwarding(HttpSession session) {
        this.session = session;
    }

    void assignServer(HttpTxn t, ServerState avoid) {
        t.assigning = true;
        io.haquark.model.Cookie cookie = t.backend.proxy.cookie();
        Persistence persistence = t.backend.compiled.persistence;
        Persistence.Override override = persistence == Persistence.NONE ? Persistence.Override.NONE : persistence.override(t);
        boolean forced = override == Persistence.Override.FORCE || persistence.optionPersist;
        if (avoid == null) {
            ServerState chosen = persistence.reserveUseServer(t, t.backend, forced);
            if (chosen != null) {
                if (cookie != null) {
                    t.cookieValue = CookiePersistence.requestValue(cookie, t.request.headers());
                    t.cookieIn = CookiePersistence.requestState(t.backend.state, cookie, t.cookieValue);
                }
                connect(t, chosen);
                return;
            }
        }
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
        ServerState sticky = avoid == null ? persistence.reserveStick(t, session.routing, t.backend, override, forced) : null;
        if (sticky != null) {
            connect(t, sticky);
            return;
        }
        ServerState implicit = t.backend.implicitServer;
        if (implicit != null && t.backend.lb.reserve(implicit, true)) {
            // dispatch / option transparent: a backend without servers still has a destination.
            connect(t, implicit);
            return;
        }
        if (avoid == null && t.backend.preferLastServer && !t.backend.hashBalanced) {
            // option prefer-last-server: the server this client's kept connection goes to, while it is
            // usable (UP, ready, weight) and has room; a full one is not waited for
            // (max-keep-alive-queue 0 behaviour: haquark has no per-server queues), the request is balanced.
            ServerState last = session.lastServer(t.backend);
            if (last != null && last.isUp() && last.admin() == ServerState.Admin.READY && last.weight() > 0
                    && t.backend.lb.reserve(last, false)) {
                connect(t, last);
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
                session.timers.arm(HttpTimer.QUEUE, t.backend.queueTimeout);
            }
            default -> session.answers.respond(t, 503);
        }
    }

    /** A slot freed up for a queued transaction (runs on this loop). */
    void dequeued(HttpTxn t, ServerState s) {
        if (t != session.txn || t.done || session.closing) {
            t.backend.lb.release(s);
            return;
        }
        t.queued = false;
        t.queueEnd = System.nanoTime();
        session.timers.cancelTimer();
        connect(t, s);
    }

    void connect(HttpTxn t, ServerState s) {
        t.server = s;
        t.retryPending = false;
        if (t.backend.compiled.persistence.hasStickRules()) {
            t.backend.compiled.persistence.store(t, session.routing, s);
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
        java.net.InetSocketAddress target = t.backend.transparent() ? t.destination() : null;
        Channel idle = session.takeServerConnection(t.backend, s, target);
        if (idle == null && s.index >= 0 && sharedReuse(t)) {
            idle = t.backend.pollIdle(s, session.loopIndex);
        }
        if (idle != null) {
            attach(t, idle, true);
            return;
        }
        if (s.index >= 0 && sharedReuse(t) && session.routing.idlePoolShared && !multiplexed(t, s)) {
            Channel elsewhere = t.backend.idleElsewhere(s, session.loopIndex);
            if (elsewhere != null) {
                borrow(t, s, elsewhere, target);
                return;
            }
        }
        connectNew(t, s, target);
    }

    /**
     * Takes an idle connection another event loop parked (tune.idle-pool.shared, HAProxy's idle
     * connections shared between threads): on its loop it leaves that pool and the loop, then
     * joins this one. If it went meanwhile, a new connection is opened instead.
     */
    private void borrow(HttpTxn t, ServerState s, Channel c, java.net.InetSocketAddress target) {
        io.netty.channel.EventLoop here = session.eventLoop;
        Runnable fallback = () -> here.execute(() -> {
            if (t == session.txn && t.server == s && !t.done && !session.closing) {
                connectNew(t, s, target);
            }
        });
        c.eventLoop().execute(() -> {
            int loop = t.backend.idleLoopOf(s, c);
            if (loop < 0 || !t.backend.takeIdle(s, loop, c)) {
                fallback.run();
                return;
            }
            ServerHandler h = (ServerHandler) c.pipeline().get("server");
            h.pool = null;
            c.deregister().addListener(d -> {
                if (!d.isSuccess()) {
                    c.close();
                    fallback.run();
                    return;
                }
                here.register(c).addListener(r -> {
                    if (!r.isSuccess()) {
                        c.close();
                        fallback.run();
                    } else if (!c.isActive()) {
                        c.close();
                        fallback.run();
                    } else {
                        connected(t, s, c, null, true);
                    }
                });
            });
        });
    }

    private void connectNew(HttpTxn t, ServerState s, java.net.InetSocketAddress target) {
        // The implicit server of dispatch / option transparent (index -1) has no TLS or SNI settings.
        io.haquark.acl.SampleExpr sniExpr = s.index < 0 ? null : t.backend.sni[s.index];
        String sni = sniExpr == null ? null : sniExpr.evalString(t);
        io.netty.handler.ssl.SslContext tls = s.index < 0 ? null : t.backend.tls[s.index];
        boolean keepAlive = t.backend.proxy.option("srvtcpka") || t.backend.proxy.option("tcpka");
        int clientPort = session.local == null ? 0 : session.local.getPort();
        java.util.function.BiConsumer<Channel, Throwable> done = (ch, err) -> connected(t, s, ch, err, false);
        if (multiplexed(t, s)) {
            Channel parent = t.backend.h2Connection(s, session.loopIndex, sni, sharedReuse(t));
            if (parent != null) {
                session.engine.connector.openStream(parent, (ch, err) -> connected(t, s, ch, err, true));
                return;
            }
            session.engine.connector.connectH2Parent(s, clientPort, session.eventLoop, t.backend.connectTimeout, keepAlive,
                    tls, sni, (p, err) -> {
                        if (p == null) {
                            done.accept(null, err);
                            return;
                        }
                        t.backend.addH2Connection(s, session.loopIndex, p, sni);
                        session.engine.connector.openStream(p, done);
                    });
            return;
        }
        session.engine.connector.connect(s, target, clientPort, session.eventLoop, t.backend.connectTimeout,
                keepAlive, tls, sni, done);
    }

    /**
     * A server spoken to in HTTP/2 ("proto h2") takes many streams on one connection, shared by
     * the clients of this event loop unless "http-reuse never"; not with send-proxy, whose header
     * names one client.
     */
    private static boolean multiplexed(HttpTxn t, ServerState s) {
        return s.index >= 0 && "h2".equals(s.server.options().get("proto")) && !"never".equals(t.backend.proxy.httpReuse())
                && !s.server.sendProxy() && !s.server.sendProxyV2();
    }

    /** The connection (or stream) to the server is there, or could not be made. */
    private void connected(HttpTxn t, ServerState s, Channel ch, Throwable err, boolean reused) {
        // Whoever ended the transaction meanwhile (client gone, timeout) released the slot.
        boolean current = t == session.txn && t.server == s && !t.done && !session.closing;
        if (!current) {
            if (ch != null) {
                ch.close();
            }
        } else if (ch != null) {
            s.observed(false, null);
            if ((s.server.sendProxy() || s.server.sendProxyV2()) && t.source() != null && t.destination() != null) {
                ch.pipeline().addFirst("proxy-encoder", io.netty.handler.codec.haproxy.HAProxyMessageEncoder.INSTANCE);
                ch.write(ProxyProtocol.header(s.server.sendProxyV2(), t.source(), t.destination(), ProxyProtocol.tlvs(t, s.server)));
            }
            attach(t, ch, reused);
        } else {
            connectFailed(t, s, err instanceof io.netty.channel.ConnectTimeoutException);
        }
    }

    /**
     * Whether a retry after server s failed goes to another server (option redispatch): on its
     * interval, when s is down, or whenever s was not chosen by persistence and another one can
     * take it (HAProxy's rule). Connect failures and L7 retries decide alike.
     */
    private static boolean redispatchAfter(HttpTxn t, ServerState s) {
        return t.backend.redispatch && (t.backend.redispatchOn(t.connectAttempts) || !s.isUp()
                || t.cookieValue == null && !t.backend.hashBalanced && t.backend.state.usableServers() > 1);
    }

    /** @param timedOut timeout connect expired: the retry needs no turn-around (HAProxy retries at once too) */
    void connectFailed(HttpTxn t, ServerState s, boolean timedOut) {
        s.observed(false, timedOut ? "Connection timeout" : "Connection error");
        s.counters.sessionEnded();
        s.counters.connectErrors.increment();
        t.backend.state.counters.connectErrors.increment();
        if (t != session.txn || t.done || session.closing || t.connectAttempts > t.backend.retries
                || !t.backend.proxy.retryOn().contains("conn-failure")) {
            t.backend.lb.release(s);
            t.server = null;
            if (t == session.txn && !t.done && !session.closing) {
                t.terminationCause = "SC";
                session.answers.respond(t, 503);
            }
            return;
        }
        s.counters.retries.increment();
        t.backend.state.counters.retries.increment();
        // A redispatched retry goes at once; one on the same server waits a turn-around of
        // min(timeout connect, 1s) after a refusal (a server restarting), not after a connect timeout.
        boolean redispatch = redispatchAfter(t, s);
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
            session.eventLoop.execute(() -> {
                if (t == session.txn && !t.done && !session.closing) {
                    retry.run();
                }
            });
            return;
        }
        session.timers.turnaround = retry;
        session.timers.arm(HttpTimer.TURNAROUND, delay);
    }

    /**
     * retry-on past the connect (configuration.txt §4.2 "retry-on"): the server failed a request
     * that was sent whole and kept (empty-response, junk-response, response-timeout, or a status
     * listed), and nothing of an answer reached the client yet: the request goes again, to the
     * same server or, with option redispatch, to another one, within "retries".
     * @return true when a retry was started (the failure is not answered)
     */
    boolean retryL7(HttpTxn t, String event) {
        RequestReplay replay = t.replay;
        if (replay == null || !replay.replayable() || !t.requestComplete || t.responseStarted || t.l7RetryDisabled
                || t.server == null || t.done || t != session.txn || session.closing
                || !t.backend.proxy.retryOn().contains(event) || t.connectAttempts > t.backend.retries) {
            return false;
        }
        ServerState s = t.server;
        session.timers.cancelTimer();
        session.completion.detach(t, false);
        s.counters.sessionEnded();
        s.counters.retries.increment();
        t.backend.state.counters.retries.increment();
        t.replaying = true;
        t.serverReused = false;
        t.requestSentCompletely = false;
        boolean redispatch = redispatchAfter(t, s);
        if (redispatch) {
            t.backend.lb.release(s);
            t.server = null;
        }
        session.eventLoop.execute(() -> {
            if (t == session.txn && !t.done && !session.closing) {
                if (redispatch) {
                    t.backend.state.counters.redispatches.increment();
                    assignServer(t, s);
                } else {
                    connect(t, s);
                }
            }
        });
        return true;
    }

    /**
     * Whether the transaction may take another client's idle connection (configuration.txt
     * "http-reuse"): never with "never", not for a client's first request with "safe" (so that a
     * failure on a reused connection never hits a request the client cannot retry).
     */
    private boolean sharedReuse(HttpTxn t) {
        return switch (t.backend.proxy.httpReuse()) {
            case "never" -> false;
            case "safe" -> !t.firstOnConnection || session.client instanceof io.netty.handler.codec.http2.Http2StreamChannel;
            default -> true;
        };
    }

    void attach(HttpTxn t, Channel ch, boolean reused) {
        t.connected = System.nanoTime();
        ServerHandler h = (ServerHandler) ch.pipeline().get("server");
        h.session = session;
        h.txn = t;
        h.pool = null;
        t.serverChannel = ch;
        t.serverReused = reused;
        sendRequest(t, ch);
    }

    void sendRequest(HttpTxn t, Channel ch) {
        HttpRequest req = t.request;
        if (t.replaying) {
            t.replay.restore(req);                 // rewritten afresh for this attempt's server
        } else if (t.replay == null && t.backend.l7Retries && !t.l7RetryDisabled) {
            t.replay = new RequestReplay(req, session.engine.bufsize);
        }
        HttpHeaders h = req.headers();
        boolean upgrade = RequestChecks.isWebSocketUpgrade(req);
        HopByHop.strip(h);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        } else if (!t.serverKeepAlive && (t.backend.serverClose || session.frontend.serverClose)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (t.backend.proxy.cookie() != null) {
            CookiePersistence.onRequest(t.backend.proxy.cookie(), h);
        }
        ForwardFor ff = t.backend.proxy.forwardFor() != null ? t.backend.proxy.forwardFor() : session.frontend.proxy.forwardFor();
        if (ff != null && t.source() != null) {
            addForwardedFor(h, ff, t.source().getAddress());
        }
        ForwardFor ot = t.backend.proxy.originalTo() != null ? t.backend.proxy.originalTo() : session.frontend.proxy.originalTo();
        if (ot != null && t.destination() != null) {
            // option originalto: the destination the client reached, unless it is in the "except" network.
            java.net.InetAddress dst = t.destination().getAddress();
            if (ot.exceptNetwork() == null || !Patterns.network(ot.exceptNetwork()).contains(dst)) {
                h.add(ot.header(), io.haquark.model.IpLiterals.text(dst));
            }
        }
        String nameHeader = t.backend.proxy.sendNameHeader();
        if (nameHeader != null && t.server != null) {
            // http-send-name-header: set again on every attempt, so a redispatch names the new server.
            h.set(nameHeader, t.server.name());
        }
        String idHeader = session.frontend.proxy.uniqueIdHeader();
        if (idHeader != null && t.uniqueId() != null) {
            // A format can print anything (a %[fetch] of client input): only what a header may carry is sent.
            h.set(idHeader, io.haquark.rules.HeaderValues.sanitize(t.uniqueId()));
        }
        if (session.client instanceof io.netty.handler.codec.http2.Http2StreamChannel && req.uri().indexOf("://") > 0) {
            // An HTTP/2 request's absolute target reaches an HTTP/1 server in origin form, as HAProxy sends it.
            String u = req.uri();
            int path = u.indexOf('/', u.indexOf("://") + 3);
            req.setUri(path < 0 ? "/" : u.substring(path));
        }
        // An HTTP/1.0 request goes on as HTTP/1.0, as HAProxy forwards it; anything newer as 1.1.
        boolean http10 = req.protocolVersion().majorVersion() == 1 && req.protocolVersion().minorVersion() == 0
                && !(session.client instanceof io.netty.handler.codec.http2.Http2StreamChannel);
        req.setProtocolVersion(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        HeaderCase.lower(h);
        // A connection that announced one client (send-proxy) is not reused for another.
        t.serverKeepAlive = !t.backend.serverClose && !session.frontend.serverClose && !upgrade
                && !t.server.server.sendProxy() && !t.server.server.sendProxyV2()
                && !"h2".equals(t.server.server.options().get("proto"));   // an h2 stream is not pooled (yet)
        if (http10 && t.serverKeepAlive && !h.contains(HttpHeaderNames.CONNECTION) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // HTTP/1.0 closes by default: HAProxy asks the server to keep the connection.
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (session.engine.h1CaseAdjust != null && t.backend.proxy.option("h1-case-adjust-bogus-server")
                && !"h2".equals(t.server.server.options().get("proto"))) {
            HeaderCase.adjust(h, session.engine.h1CaseAdjust);
        }
        ch.write(req);
        if (t.replaying) {
            t.replay.writeBodyTo(ch);
        } else {
            session.held.writeTo(ch, t.replay);
        }
        ch.flush();
        if (t.requestComplete) {
            t.requestSentCompletely = true;
        }
        // timeout server runs from here; while a body is uploading each forwarded part re-arms it,
        // so only a stalled exchange expires (504, as HAProxy answers a client stuck mid-body).
        session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
        if (!ch.isWritable()) {
            session.client.config().setAutoRead(false);
        }
    }

    static void addForwardedFor(HttpHeaders h, ForwardFor ff, InetAddress src) {
        if (ff.exceptNetwork() != null && Patterns.network(ff.exceptNetwork()).contains(src)) {
            return;
        }
        if (ff.ifNone() && h.contains(ff.header())) {
            return;
        }
        h.add(ff.header(), io.haquark.model.IpLiterals.text(src));
    }
}
