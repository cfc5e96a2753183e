package io.haquark.engine;

import io.haquark.state.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The end of a transaction: the server slot and connection given back (pool or close), the
 * access log line, then the next request of the connection (keep-alive, pipelining) or the close.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class Completion {
    private final HttpSession session;

    Completion(HttpSession session) {
        this.session = session;
    }

    void finishTxn(HttpTxn t) {
        t.done = true;
        session.timers.cancelTimer();
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
    void detach(HttpTxn t, boolean reusable) {
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
        if (!reusable || !ch.isActive() || h == null || t.server.deleted) {
            ch.close();
            return;
        }
        int poolMax = t.server.poolMaxConn;
        if (poolMax == 0) {
            ch.close();                            // pool-max-conn 0: no connection outlives its request
            return;
        }
        boolean shared = t.server.index >= 0 && !"never".equals(t.backend.proxy.httpReuse())
                && (poolMax < 0 || t.backend.idleCount(t.server) < poolMax);
        if (shared && t.backend.offerIdle(t.server.index, session.loopIndex, ch)) {
            // Back to the server's idle connections (LIFO: this client's next request to the
            // server most likely gets it again); "safe" keeps other clients' first requests off it.
            h.pool = t.backend;
            h.poolServer = t.server.index;
            h.poolLoop = session.loopIndex;
        } else if (!shared && !t.closeClientAfter && !session.closing && t.clientKeepAlive) {
            // http-reuse never (or the implicit server of dispatch/transparent, or a connection
            // pool-max-conn keeps from the pool): it stays this client's own.
            session.keepServerConnection(ch, t.backend, t.server.index);
        } else {
            ch.close();
        }
    }

    /**
     * A rule dropped the transaction (tcp-request content reject, tcp-response content reject,
     * silent-drop, a rejected response): it is logged as HAProxy logs it ("PR" on the request
     * side, "PH" on the response side), then the client connection closes without an answer.
     */
    /** The transaction ends without an answer: its log line, then the client connection closes (or vanishes). */
    void rejectTxn(HttpTxn t, String termination, boolean silently) {
        t.terminationCause = termination;
        session.bytesInMark = session.bytesInTotal;
        if (session.frontend.log != null && !t.silent) {
            session.frontend.log.http(t);
        }
        abortTxn(t);
        session.closing = true;
        if (silently) {
            io.haquark.rules.SocketActions.silentDrop(session.client);
        } else {
            session.client.close();
        }
    }

    /**
     * option abortonclose: the client left while its request was queued (CQ), connecting (CC)
     * or waiting for the server's answer (CH). Logged as HAProxy logs it: no status for the first
     * two, 400 for the last (what HAProxy records for the answer it could not send).
     */
    void clientAborted(HttpTxn t, String termination) {
        t.terminationCause = termination;
        t.status = termination.equals("CH") ? 400 : -1;
        if (t.queued) {
            t.queueEnd = System.nanoTime();       // Tw: the time it waited before leaving
        }
        session.frontend.state.counters.clientAborts.increment();
        rejectTxn(t, termination, false);
    }

    void abortTxn(HttpTxn t) {
        t.done = true;
        endFilters(t);
        t.releaseTracking();
        session.timers.cancelTimer();
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
        session.txn = null;
    }

    /** After a transaction: close, or wait for the next request (maybe already pipelined). */
    static long headerBytes(HttpResponse r) {
        long n = 15 + r.status().reasonPhrase().length();
        for (java.util.Map.Entry<String, String> e : r.headers()) {
            n += e.getKey().length() + e.getValue().length() + 4;
        }
        return n + 2;
    }

    private static void endFilters(HttpTxn t) {
        if (t.filters != null) {
            io.haquark.filters.FilterChain.Run f = t.filters;
            t.filters = null;
            f.end(t);
        }
    }

    void endTxn(HttpTxn t) {
        if (session.clientGone && t.terminationCause.equals("--")) {
            t.terminationCause = "CD";             // the answer had no client left to go to
            session.frontend.state.counters.clientAborts.increment();
        }
        endFilters(t);
        session.txn = null;
        t.bytesIn = session.bytesInTotal - session.bytesInMark;
        session.bytesInMark = session.bytesInTotal;
        t.trackedBytes();
        t.releaseTracking();
        if (session.frontend.log != null && !t.silent) {
            session.frontend.log.http(t);
        }
        if (t.backendCounted) {
            t.backendCounted = false;
            t.backend.state.counters.sessionEnded();
        }
        if (t.closeClientAfter || session.closing || session.clientInputClosed) {
            session.closing = true;
            session.client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session.client.flush();
        session.bytesSinceIdle = 0;
        session.timers.arm(HttpTimer.KEEPALIVE, session.frontend.keepAliveTimeout);
        while (session.txn == null && !session.waiting.isEmpty() && !session.closing) {
            session.handle(session.waiting.poll());
        }
        while (session.txn != null && !session.txn.requestComplete && !session.waiting.isEmpty() && !session.closing) {
            session.handle(session.waiting.poll());
        }
        session.requests.dispatchPending();
        if (!session.closing && session.waiting.size() < session.MAX_WAITING) {
            session.client.config().setAutoRead(true);
        }
    }
}
