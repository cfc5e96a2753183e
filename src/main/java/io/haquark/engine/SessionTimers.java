package io.haquark.engine;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connection's one timer: a deadline that moves (timeout http-request, http-keep-alive,
 * queue, server, client, tunnel, the connect retry turn-around) and one scheduled check that
 * re-arms lazily, so arming costs no scheduler operation on the hot path.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class SessionTimers {
    private final HttpSession session;

    SessionTimers(HttpSession session) {
        this.session = session;
    }

    void arm(HttpTimer kind, long delayMs) {
        if (delayMs <= 0) {
            timerKind = HttpTimer.NONE;
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

    void schedule(long at) {
        timerTaskAt = at;
        timerTask = session.eventLoop.schedule(this::onTimer, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void cancelTimer() {
        timerKind = HttpTimer.NONE;
    }

    void onTimer() {
        timerTask = null;
        if (timerKind == HttpTimer.NONE || session.closing) {
            return;
        }
        long now = System.nanoTime();
        if (now < deadline) {
            schedule(deadline);
            return;
        }
        HttpTimer kind = timerKind;
        timerKind = HttpTimer.NONE;
        switch (kind) {
            case REQUEST, KEEPALIVE -> requestTimeout(kind);
            case QUEUE -> {
                HttpTxn t = session.txn;
                if (t != null && t.queued && t.backend.lb.cancel(t)) {
                    t.queued = false;
                    t.terminationCause = "sQ";
                    session.answers.respond(t, 503);
                }
            }
            case SERVER -> serverTimeout();
            case CLIENT -> {
                // timeout client while the client would not read the response: both sides close.
                HttpTxn t = session.txn;
                if (t != null) {
                    t.terminationCause = "cD";
                    if (t.backend != null) {
                        t.backend.state.counters.clientAborts.increment();
                    }
                    if (t.serverChannel != null) {
                        t.serverChannel.close();
                    }
                }
                session.client.close();
            }
            case TUNNEL -> {
                // Nothing crossed the tunnel for the whole timeout: close both sides.
                Channel other = session.tunnel;
                if (other != null) {
                    other.close();
                }
                session.client.close();
            }
            case TURNAROUND -> {
                Runnable r = turnaround;
                turnaround = null;
                if (r != null && session.txn != null && !session.txn.done) {
                    r.run();
                }
            }
            case BODY -> {
                // wait-for-body ran out of time before the body came: 408, as HAProxy answers.
                // (for a response: 504, the server did not send it in time).
                HttpTxn t = session.txn;
                if (t != null && t.bodyWait != null) {
                    t.bodyWait = null;
                    if (t.response != null) {
                        session.heldResponse.release();
                        t.response = null;
                        t.terminationCause = "sH";
                        session.responses.serverFailed(t, 504);
                    } else {
                        t.terminationCause = "cR";
                        session.answers.respond(t, 408);
                    }
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
    void requestTimeout(HttpTimer kind) {
        if (session.txn != null) {
            return;
        }
        boolean idleKeepAlive = kind == HttpTimer.KEEPALIVE && session.bytesSinceIdle == 0;
        boolean probe = kind == HttpTimer.REQUEST && session.bytesSinceIdle == 0 && session.frontend.proxy.option("http-ignore-probes");
        if (idleKeepAlive || probe) {
            session.closing = true;
            session.client.close();
            return;
        }
        session.frontend.state.counters.requestErrors.increment();
        session.answers.parsingError(408);
    }

    void serverTimeout() {
        HttpTxn t = session.txn;
        if (t == null || t.done) {
            return;
        }
        if (!t.responseStarted) {
            t.server.counters.responseErrors.increment();
            if (t.response == null && session.forwarding.retryL7(t, "response-timeout")) {
                return;
            }
            t.terminationCause = "sH";
            session.responses.serverFailed(t, 504);
        } else {
            session.responses.onServerClosed(t, null);
        }
    }

    HttpTimer timerKind = HttpTimer.NONE;

    long deadline;

    ScheduledFuture<?> timerTask;

    long timerTaskAt;

    Runnable turnaround;
}
