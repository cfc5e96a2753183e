package io.haquark.engine;

import io.haquark.rules.ErrorPages;
import io.haquark.model.ErrorFile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Answers the proxy produces itself: error pages (errorfile, errorloc, http-error), stats,
 * return/deny/redirect; each ends its transaction like a forwarded response does.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class LocalAnswers {
    private final HttpSession session;

    LocalAnswers(HttpSession session) {
        this.session = session;
    }

    /** An answer haquark generates for a parsed request (503, 504, 502, 200 monitor ...). */
    void respond(HttpTxn t, int code) {
        sendLocal(t, buildError(t, code, closesAfter(t)));
    }

    /** If the request body is still arriving we cannot find the next request: close after. */
    boolean closesAfter(HttpTxn t) {
        return !t.clientKeepAlive || session.orphaned() || !t.requestComplete && !ResponseAnalysis.isBodyless(t.request);
    }

    /** Sends an answer produced here (error page, stats page, monitor) and ends the transaction. */
    void sendLocal(HttpTxn t, FullHttpResponse r) {
        session.timers.cancelTimer();
        if (t.queued) {
            t.backend.lb.cancel(t);
            t.queued = false;
        }
        boolean close = closesAfter(t);
        if (close && !r.headers().contains("connection")) {
            r.headers().add("connection", "close");
        }
        t.response = r;
        session.responses.afterResponse(t);
        int code = r.status().code();
        t.status = code;
        t.responseStarted = true;
        session.frontend.state.counters.response(code);
        t.trackedResponse(code, false);   // HAProxy's own answers (a 503 after failed connects too) are no http_fail
        if (t.backend != null) {
            t.backend.state.counters.response(code);
        }
        t.closeClientAfter = close;
        t.done = true;
        t.releasePendingBody();
        session.frontend.state.counters.bytesOut.add(r.content().readableBytes());
        t.bytesOut += Completion.headerBytes(r) + r.content().readableBytes();
        if (t.terminationCause.equals("--") && t.loggedServer == null) {
            // An answer made here: P(roxy) for errors, L(ocal) for stats, return, redirect ...
            t.terminationCause = code >= 500 ? "SC" : code == 403 || code == 401 || code == 429 ? "PR" : "LR";
        }
        if (r instanceof io.haquark.rules.RawResponses.Nothing) {
            // An empty errorfile: HAProxy sends nothing and closes.
            r.release();
            t.closeClientAfter = true;
        } else {
            session.client.write(r);
        }
        session.completion.endTxn(t);
    }

    FullHttpResponse buildError(HttpTxn t, int code, boolean close) {
        boolean fromBackend = t.backend != null && t.backend.proxy.errorFiles().containsKey(code);
        ErrorPages pages = fromBackend ? t.backend.errors : session.frontend.errors;
        io.haquark.rules.HttpAction custom = (fromBackend ? t.backend.compiled : session.frontend.compiled).httpErrors.get(code);
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
    void parsingError(int code) {
        session.closing = true;
        session.timers.cancelTimer();
        session.frontend.state.counters.response(code);
        ByteBuf raw = session.frontend.errors.rawFile(code);
        FullHttpResponse r = raw != null ? io.haquark.rules.RawResponses.parse(raw, code, true) : ErrorPages.parsingError(code);
        if (r instanceof io.haquark.rules.RawResponses.Nothing) {
            r.release();
            session.client.close();
            return;
        }
        session.client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
