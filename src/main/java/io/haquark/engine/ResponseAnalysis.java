package io.haquark.engine;

import io.haquark.state.ServerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Response analysis: what the server answers, http-response and http-after-response rules,
 * the framing and connection headers the client gets, the body streamed with back-pressure,
 * and 101 upgrades turned into a tunnel.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class ResponseAnalysis {
    private final HttpSession session;

    ResponseAnalysis(HttpSession session) {
        this.session = session;
    }

    void onServerResponse(HttpTxn t, HttpResponse r) {
        if (t != session.txn || t.done) {
            ReferenceCountUtil.release(r);
            return;
        }
        if (r.decoderResult().isFailure() || RequestChecks.transferCodingsInvalid(r.headers())) {
            ReferenceCountUtil.release(r);
            badResponse(t);
            return;
        }
        int code = r.status().code();
        if (t.replay != null && code >= 400 && session.forwarding.retryL7(t, Integer.toString(code))) {
            ReferenceCountUtil.release(r);         // retry-on <status>: this answer goes nowhere
            return;
        }
        t.informational = code >= 100 && code < 200 && code != 101;
        session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
        if (t.informational) {
            session.client.write(r);
            return;
        }
        t.response = r;
        t.responseAt = System.nanoTime();
        if (t.captures != null) {
            session.frontend.captures.captureResponse(t.captures, r.headers());
        }
        if (t.backend.proxy.cookie() != null) {
            t.cookieOut = CookiePersistence.onResponse(t.backend.proxy.cookie(), r, t.server, t.cookieValue,
                    t.request.method() == io.netty.handler.codec.http.HttpMethod.POST);
        }
        Persistence persistence = t.backend.compiled.persistence;
        if (t.server != null && t.server.index >= 0 && persistence.hasResponseStores()) {
            persistence.storeResponse(t, session.routing, t.server);
        }
        if (runResponseRules(t, r)) {
            return;
        }
        forwardResponse(t, r);
    }

    /** The response passed its rules: count it, frame it for the client and send its head. */
    private void forwardResponse(HttpTxn t, HttpResponse r) {
        int code = r.status().code();
        t.responseStarted = true;
        t.status = code;

        session.frontend.state.counters.response(code);
        t.backend.state.counters.response(code);
        t.server.counters.response(code);
        t.trackedResponse(code, true);
        // observe layer7: a 5xx but 501/505 is an error of the server, anything else a success.
        t.server.observed(true, code >= 500 && code != 501 && code != 505 ? "Wrong http response" : null);
        if (t.filters != null) {
            // Before the framing below: a filter may change the body and its headers (compression).
            t.filters.responseHeaders(t, r);
        }
        HttpHeaders h = r.headers();
        if (code == 101) {
            session.client.write(r);
            session.client.flush();
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
        if (!delimited || !t.requestComplete || session.orphaned()) {
            t.clientKeepAlive = false;
        }
        if (chunked10) {
            t.clientKeepAlive = false;
        }
        t.closeClientAfter = !t.clientKeepAlive;
        HeaderCase.lower(h);
        t.bytesOut += Completion.headerBytes(r);
        // Like HAProxy's H1 output: say what differs from the version's default.
        boolean http10Response = r.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (t.closeClientAfter) {
            if (!http10Response) {
                h.set("connection", "close");
            }
        } else if (http10Response || http10Client) {
            h.set("connection", "keep-alive");
        }
        session.client.write(r);
    }

    /**
     * http-response rules, the backend's then the frontend's, then http-after-response; a
     * deny/return/redirect replaces the server's answer (its connection is dropped).
     */
    boolean runResponseRules(HttpTxn t, HttpResponse r) {
        CompiledProxy be = t.backend.compiled;
        CompiledProxy fe = session.frontend.compiled;
        io.haquark.rules.Verdict v = null;
        // Resumable: a rule that yields (wait-for-body) leaves the stage and the rule to go on from.
        if (t.responseRules == 0 && t.ruleFrom == 0 && be.tcpRules.hasResponseRules() && !t.tcpResponseRan) {
            // tcp-response content rules (backend only) run on the response before its http-response rules.
            t.tcpResponseRan = true;
            switch (be.tcpRules.acceptResponse(t)) {
                case REJECT -> v = io.haquark.rules.Verdict.DROP;
                case SILENT_DROP -> v = io.haquark.rules.Verdict.SILENT_DROP;
                case CLOSE -> t.serverKeepAlive = false;
                case ACCEPT, WAIT -> { }   // an HTTP transaction's samples are final: no wait
            }
        }
        if (t.responseRules == 0 && v == null) {
            v = be.httpResponse.isEmpty() ? null : be.httpResponse.run(t, t.ruleFrom);
            if (session.yielded(t, v)) {
                return true;
            }
            if (v == io.haquark.rules.Verdict.ALLOW) {
                // "allow" ends the backend's rules only: the frontend's still run (configuration.txt).
                v = null;
                t.ruleFrom = 0;
            }
            t.responseRules = 1;
        }
        if (v == null && t.responseRules == 1 && fe != be && !fe.httpResponse.isEmpty()) {
            v = fe.httpResponse.run(t, t.ruleFrom);
            if (session.yielded(t, v)) {
                return true;
            }
        }
        t.responseRules = 2;
        if (v == null && t.backend.checkCache && CacheCheck.blocks(t, r.status().code(), r.headers())) {
            // HAProxy denies it: its own page for the same status replaces the server's answer.
            t.terminationCause = "PH";
            v = new io.haquark.rules.Verdict.Respond(session.answers.buildError(t, r.status().code(), true), true);
        }
        if (v != null) {
            session.heldResponse.release();
        }
        if (v instanceof io.haquark.rules.Verdict.Drop drop) {
            ReferenceCountUtil.release(r);
            session.frontend.state.counters.deniedResponses.increment();
            session.completion.rejectTxn(t, "PH", drop.silent());
            return true;
        }
        if (v instanceof io.haquark.rules.Verdict.Respond resp) {
            ReferenceCountUtil.release(r);
            if (resp.denied()) {
                session.frontend.state.counters.deniedResponses.increment();
                t.backend.state.counters.deniedResponses.increment();
                t.server.counters.deniedResponses.increment();
            }
            session.completion.detach(t, false);
            ServerState s = t.server;
            s.counters.sessionEnded();
            t.backend.lb.release(s);
            t.server = null;
            t.response = null;
            session.answers.sendLocal(t, resp.response());
            return true;
        }
        afterResponse(t);
        return false;
    }

    /** Enough of the response body is held: the rules go on, then the head and the held parts go out. */
    private void responseBodyArrived(HttpTxn t) {
        t.bodyWait = null;
        session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
        HttpResponse r = t.response;
        Persistence persistence = t.backend.compiled.persistence;
        if (t.server != null && t.server.index >= 0 && persistence.hasResponseStores()) {
            persistence.storeResponse(t, session.routing, t.server);
        }
        if (runResponseRules(t, r)) {
            return;
        }
        forwardResponse(t, r);
        for (HttpContent part : session.heldResponse.takeParts()) {
            onServerContent(t, part);
        }
    }

    /** http-after-response rules apply to every answer, forwarded or generated here. */
    void afterResponse(HttpTxn t) {
        CompiledProxy fe = session.frontend.compiled;
        CompiledProxy be = t.backend == null ? null : t.backend.compiled;
        if (be != null && !be.httpAfterResponse.isEmpty()) {
            be.httpAfterResponse.run(t);
        }
        if (fe != be && !fe.httpAfterResponse.isEmpty()) {
            fe.httpAfterResponse.run(t);
        }
    }

    void onServerContent(HttpTxn t, HttpContent c) {
        if (t != session.txn || t.done) {
            c.release();
            return;
        }
        if (session.tunnel != null) {
            // The empty end of the 101 message: the connection is a tunnel now.
            c.release();
            return;
        }
        if (t.informational) {
            // End of a 1xx message (empty): it also resets the encoder for the final response.
            session.client.write(c);
            if (c instanceof LastHttpContent) {
                t.informational = false;
                session.client.flush();
            }
            return;
        }
        if (t.bodyWait != null && t.response != null && !t.responseStarted) {
            session.heldResponse.hold(c);
            if (c instanceof LastHttpContent) {
                t.responseBodyComplete = true;
            }
            if (t.bodyWait.satisfied(session.heldResponse.bytes(), t.responseBodyComplete, session.engine.bufsize)) {
                responseBodyArrived(t);
            }
            return;
        }
        if (!t.responseStarted) {
            c.release();
            return;
        }
        if (t.filters != null) {
            c = t.filters.responseData(t, c);
        }
        int n = c.content().readableBytes();
        t.bytesOut += n;
        session.frontend.state.counters.bytesOut.add(n);
        t.backend.state.counters.bytesOut.add(n);
        if (t.server != null) {
            t.server.counters.bytesOut.add(n);
        }
        if (c instanceof LastHttpContent) {
            session.client.write(c);
            session.completion.finishTxn(t);
            return;
        }
        session.client.write(c);
        session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
        if (!session.client.isWritable()) {
            // The client does not take what we send: hold the server back, and give the client
            // "timeout client" to read again (HAProxy's cD), whatever the server would do.
            t.serverChannel.config().setAutoRead(false);
            session.timers.arm(HttpTimer.CLIENT, session.frontend.clientTimeout);
        }
    }

    /** Bytes after a 101 answer (WebSocket and other upgrades) are relayed as they are. */
    void onServerRaw(HttpTxn t, Object msg) {
        if (t == session.txn && msg instanceof ByteBuf b) {
            session.timers.arm(HttpTimer.TUNNEL, session.tunnelTimeout);
            session.frontend.state.counters.bytesOut.add(b.readableBytes());
            session.client.writeAndFlush(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    void onServerClosed(HttpTxn t, Throwable cause) {
        if (t != session.txn || t.done) {
            return;
        }
        if (!t.responseStarted) {
            t.server.counters.responseErrors.increment();
            t.backend.state.counters.responseErrors.increment();
            if (t.response == null && session.forwarding.retryL7(t, "empty-response")) {
                return;
            }
            // A reused keep-alive connection the server had just closed: try once on a fresh one
            // when the request can be sent again (no body streamed yet).
            if (t.serverReused && t.requestComplete && session.held.isEmpty() && isBodyless(t.request)) {
                session.completion.detach(t, false);
                t.serverReused = false;
                ServerState s = t.server;
                s.counters.sessionEnded();
                // The retry keeps the server slot it already holds (see connectFailed).
                t.connectAttempts--;
                session.forwarding.connect(t, s);
                return;
            }
            serverFailed(t, 502);
            return;
        }
        // Mid-response: the body is cut; close the client as HAProxy does.
        t.server.counters.serverAborts.increment();
        t.closeClientAfter = true;
        session.client.flush();
        session.completion.finishTxn(t);
        session.client.close();
    }

    static boolean isBodyless(HttpRequest r) {
        return !HttpUtil.isContentLengthSet(r) && !HttpUtil.isTransferEncodingChunked(r);
    }

    void badResponse(HttpTxn t) {
        t.server.counters.responseErrors.increment();
        t.backend.state.counters.responseErrors.increment();
        if (session.forwarding.retryL7(t, "junk-response")) {
            return;
        }
        serverFailed(t, 502);
    }

    /** The server failed before a response started: drop its connection, answer with code. */
    void serverFailed(HttpTxn t, int code) {
        session.completion.detach(t, false);
        ServerState s = t.server;
        s.counters.sessionEnded();
        t.backend.lb.release(s);
        t.server = null;
        session.answers.respond(t, code);
    }

    /**
     * After "101 Switching Protocols" both sides stop speaking HTTP/1: remove the codecs and
     * relay bytes (WebSocket). Closing either side ends the transaction through the usual paths.
     */
    void switchToTunnel(HttpTxn t) {
        session.timers.cancelTimer();
        Channel server = t.serverChannel;
        session.tunnel = server;
        if (session.client.pipeline().get("http") != null) {
            session.client.pipeline().remove("http");
        }
        if (server.pipeline().get("http") != null) {
            server.pipeline().remove("http");
        }
        session.client.config().setAutoRead(true);
        // timeout tunnel (or set-timeout tunnel) bounds the silence on both sides; without it the
        // server timeout does, as HAProxy falls back to client/server timeouts.
        session.tunnelTimeout = t.tunnelTimeout();
        session.timers.arm(HttpTimer.TUNNEL, session.tunnelTimeout);
    }
}
