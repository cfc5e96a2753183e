package io.haquark.engine;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Request analysis (HAProxy's http-request analysers, configuration.txt §4.2 order): checks and
 * captures, monitor-uri, the stats applet, the frontend's then the backend's http-request
 * rules and redirects, use_backend / default_backend; then the request body on its way.
 * Part of an {@link HttpSession}; runs on its event loop.
 */
final class RequestAnalysis {
    private final HttpSession session;

    RequestAnalysis(HttpSession session) {
        this.session = session;
    }

    void onRequest(HttpRequest req) {
        if (session.frontend.retired && session.frontend.successor != null) {
            session.moveToSuccessor();
        }
        session.bytesSinceIdle = 0;
        boolean first = session.firstRequest;
        session.firstRequest = false;
        if (first && session.h2Upgrade != null && "PRI".equals(req.method().name()) && "*".equals(req.uri())
                && req.protocolVersion().majorVersion() == 2 && req.protocolVersion().minorVersion() == 0) {
            ReferenceCountUtil.release(req);
            session.h2Upgrade.run();               // the HTTP/2 preface: the connection speaks HTTP/2 from here
            return;
        }
        session.frontend.state.counters.requestsTotal.increment();
        session.frontend.state.counters.requestRate.hit();
        int refused = req.decoderResult().isFailure() ? 400 : RequestChecks.check(req, session.engine.maxHeaders, session.engine.payloadWithAnyMethod);
        if (refused != 0) {
            session.frontend.state.counters.requestErrors.increment();
            ReferenceCountUtil.release(req);
            session.answers.parsingError(refused);
            return;
        }
        session.timers.cancelTimer();
        HttpTxn t = new HttpTxn(session, req);
        t.firstOnConnection = first;
        session.txn = t;
        if (session.frontend.captures != CaptureLayout.NONE) {
            t.captures = session.frontend.captures.newValues();
            session.frontend.captures.captureRequest(t.captures, req.headers());
        }
        session.tracking.httpRequest();
        t.clientKeepAlive = HttpUtil.isKeepAlive(req) && !session.frontend.forceClose;
        HopByHop.cleanConnection(req.headers());
        FrontendCodec codec = (FrontendCodec) session.client.pipeline().get("http");
        if (codec != null && codec.takeContentLengthDropped()) {
            // Content-Length and Transfer-Encoding together: the length was dropped and the
            // body is read chunked; the connection closes after this response (HAProxy does the same).
            t.clientKeepAlive = false;
        }
        String monitor = session.frontend.proxy.monitorUri();
        if (monitor != null && monitor.equals(monitor.startsWith("/") ? HttpSession.pathOnly(req.uri()) : req.uri())) {
            // monitor fail: 503 while any of its conditions holds (e.g. no usable server left).
            int code = 200;
            for (io.haquark.acl.Cond c : session.frontend.compiled.monitorFail) {
                if (c.test(t)) {
                    code = 503;
                    break;
                }
            }
            session.answers.respond(t, code);
            return;
        }
        Engine.StatsApplet stats = session.engine.stats();
        if (stats != null && session.frontend.proxy.stats().serves(req.uri())) {
            serveStats(t, session.frontend.compiled, session.frontend.ownBackend, stats);
            return;
        }
        // configuration.txt §4.2: the frontend's http-request rules, its redirects, then
        // use_backend; then the chosen backend's own rules (a listen runs its rules once).
        t.step = HttpTxn.Step.FRONTEND_RULES;
        if (session.frontend.proxy.option("http-buffer-request") && !t.bodyComplete()) {
            // option http-buffer-request: the rules see the body (up to a buffer), within timeout http-request.
            session.waitForBody(t, new io.haquark.rules.Verdict.BodyWait(session.frontend.httpRequestTimeout, 0));
            return;
        }
        analyse(t);
    }

    /**
     * The rules and routing of a request from the step it has reached: run once the headers
     * are in, and again when a rule that yielded (wait-for-body) resumes.
     */
    void analyse(HttpTxn t) {
        if (t.step == HttpTxn.Step.FRONTEND_RULES) {
            if (session.upgradedBackend != null) {
                // Upgraded at the backend: the TCP frontend's part is done, the backend's rules follow.
                t.routed = session.upgradedBackend;
            } else {
                if (runRequestRules(t, session.frontend.compiled)) {
                    return;
                }
                t.routed = route(t);
            }
            t.step = HttpTxn.Step.BACKEND_RULES;
        }
        BackendRuntime be = t.routed;
        if (t.step == HttpTxn.Step.BACKEND_RULES) {
            if (be != null && be.compiled != session.frontend.compiled) {
                t.backend = be;
                if (runRequestRules(t, be.compiled)) {
                    return;
                }
            }
            t.step = HttpTxn.Step.ROUTED;
        }
        Engine.StatsApplet stats = session.engine.stats();
        if (be != null && stats != null && be.proxy.stats().serves(t.request.uri())) {
            serveStats(t, be.compiled, be, stats);
            return;
        }
        if (be == null) {
            session.answers.respond(t, 503);
            return;
        }
        t.backend = be;
        if (restrictHeaderNames(t, be)) {
            return;
        }
        if (be.serverClose || session.frontend.serverClose) {
            t.serverKeepAlive = false;
        }
        if (be.proxy.option("httpclose") || be.proxy.option("forceclose")) {
            t.clientKeepAlive = false;
        }
        t.filters = session.frontend.compiled.filters.start(t, be.compiled.filters);
        if (t.filters != null) {
            t.filters.requestHeaders(t, t.request);
            // Body parts held while a rule waited came before the filters started: they see them now.
            session.held.replaceParts(part -> t.filters.requestData(t, part));
        }
        // The server is picked once this read batch is consumed: a body that arrived with the
        // headers goes out in the same write, and a broken one is caught before anything is sent.
        t.awaitingDispatch = true;
    }

    private void serveStats(HttpTxn t, CompiledProxy owner, BackendRuntime be, Engine.StatsApplet stats) {
        t.backend = be;
        t.statsOwner = owner;
        if (!stats.needsBody(t.request)) {
            session.answers.sendLocal(t, stats.serve(session.routing, owner, t, t.request, null));
        }
    }

    /** Enough of the body is held for the rule that waited: the analysis goes on after it. */
    private void bodyArrived(HttpTxn t) {
        t.bodyWait = null;
        session.timers.cancelTimer();
        analyse(t);
    }

    void dispatchPending() {
        HttpTxn t = session.txn;
        if (t != null && t.awaitingDispatch && !session.closing) {
            t.awaitingDispatch = false;
            session.forwarding.assignServer(t, null);
        }
    }

    /**
     * Runs a proxy's http-request rules (from where a yield left them) then its redirect rules;
     * true when they answered the request or a rule yielded (the analysis resumes later).
     */
    /**
     * option http-restrict-req-hdr-names (the backend's, else the frontend's): header names
     * with a character other than a letter, a digit or '-' are deleted, or the request is
     * refused with a 403 (configuration.txt §4.2). True when the request was answered.
     */
    private boolean restrictHeaderNames(HttpTxn t, BackendRuntime be) {
        String mode = be.restrictHeaderNames != null ? be.restrictHeaderNames : session.frontend.restrictHeaderNames;
        if (mode == null || mode.equals("preserve")) {
            return false;
        }
        java.util.List<String> bad = null;
        for (java.util.Map.Entry<String, String> h : t.request.headers()) {
            if (!tokenName(h.getKey())) {
                if (bad == null) {
                    bad = new java.util.ArrayList<>(2);
                }
                bad.add(h.getKey());
            }
        }
        if (bad == null) {
            return false;
        }
        if (mode.equals("delete")) {
            bad.forEach(t.request.headers()::remove);
            return false;
        }
        session.frontend.state.counters.deniedRequests.increment();
        be.state.counters.deniedRequests.increment();
        session.answers.respond(t, 403);
        return true;
    }

    static String restrictMode(io.haquark.model.Proxy p) {
        for (String m : new String[] {"preserve", "delete", "reject"}) {
            if (p.option("http-restrict-req-hdr-names:" + m)) {
                return m;
            }
        }
        return null;
    }

    private static boolean tokenName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    boolean runRequestRules(HttpTxn t, CompiledProxy p) {
        boolean content = t.contentRulesOf != p && p.tcpRules.hasContentRules();
        if (content && session.contentRulesDone && p == session.frontend.compiled) {
            // The first request of an upgraded stream: its TCP session ran these rules already.
            session.contentRulesDone = false;
            content = false;
        }
        t.contentRulesOf = p;
        io.haquark.rules.TcpRules.ContentVerdict cv = content ? p.tcpRules.contentVerdict(t) : null;
        if (cv == io.haquark.rules.TcpRules.ContentVerdict.REJECT || cv == io.haquark.rules.TcpRules.ContentVerdict.SILENT_DROP) {
            // tcp-request content reject / silent-drop in HTTP mode: the rules run on each request, before
            // the http-request rules (configuration.txt "tcp-request content"); no answer.
            session.frontend.state.counters.deniedRequests.increment();
            session.completion.rejectTxn(t, "PR", cv == io.haquark.rules.TcpRules.ContentVerdict.SILENT_DROP);
            return true;
        }
        io.haquark.rules.Verdict v = p.httpRequest.isEmpty() ? null : p.httpRequest.run(t, t.ruleFrom);
        if (session.yielded(t, v)) {
            return true;
        }
        if (v == null && !p.redirects.isEmpty()) {
            v = p.redirects.run(t);
        }
        if (v instanceof io.haquark.rules.Verdict.Drop drop) {
            session.frontend.state.counters.deniedRequests.increment();
            session.completion.rejectTxn(t, "PR", drop.silent());
            return true;
        }
        if (v instanceof io.haquark.rules.Verdict.Respond r) {
            // deny/tarpit without a body: the proxy's errorfile / http-error for the status, if any.
            FullHttpResponse answer = r.errorPage() ? session.answers.buildError(t, r.response().status().code(), session.answers.closesAfter(t)) : r.response();
            if (answer != r.response()) {
                r.response().release();
            }
            if (r.denied()) {
                session.frontend.state.counters.deniedRequests.increment();
                if (t.backend != null) {
                    t.backend.state.counters.deniedRequests.increment();
                }
            }
            if (r.tarpit()) {
                long delay = session.frontend.proxy.timeouts().tarpit() > 0 ? session.frontend.proxy.timeouts().tarpit()
                        : Math.max(session.frontend.proxy.timeouts().connect(), 0);
                session.eventLoop.schedule(() -> {
                    if (session.txn == t && !session.closing) {
                        session.answers.sendLocal(t, answer);
                    } else {
                        answer.release();
                    }
                }, delay, TimeUnit.MILLISECONDS);
                return true;
            }
            session.answers.sendLocal(t, answer);
            return true;
        }
        return false;
    }

    /** use_backend rules in order, then default_backend, then a listen's own backend. */
    BackendRuntime route(HttpTxn t) {
        CompiledProxy fe = session.frontend.compiled;
        for (int i = fe.switchRules.first(t); i >= 0; i = fe.switchRules.next(t, i + 1)) {
            String name = fe.switchNames[i] != null ? fe.switchNames[i].resolve(t) : fe.switchTargets[i];
            BackendRuntime b = name == null ? null : session.routing.backend(name);
            if (b != null) {
                return b;
            }
            if (fe.switchNames[i] == null) {
                return null;
            }
        }
        String def = session.frontend.proxy.defaultBackend();
        if (def != null) {
            String name = fe.defaultName != null ? fe.defaultName.resolve(t) : def;
            return name == null ? null : session.routing.backend(name);
        }
        return session.frontend.ownBackend;
    }

    void onRequestBody(HttpContent c) {
        HttpTxn t = session.txn;
        if (t.statsOwner != null && !c.decoderResult().isFailure()) {
            // The admin form's POST body: small, kept whole (at most 64 KiB).
            session.held.keepForm(c);
            if (c instanceof LastHttpContent) {
                t.requestComplete = true;
                session.answers.sendLocal(t, session.engine.stats().serve(session.routing, t.statsOwner, t, t.request, session.held.form()));
            }
            return;
        }
        if (c.decoderResult().isFailure()) {
            // A broken body (bad chunk size ...): HAProxy answers 400 if nothing was answered yet.
            c.release();
            session.frontend.state.counters.requestErrors.increment();
            boolean answered = t.responseStarted;
            session.completion.abortTxn(t);
            if (answered) {
                session.closing = true;
                session.client.close();
            } else {
                session.answers.parsingError(400);
            }
            return;
        }
        if (t.filters != null) {
            c = t.filters.requestData(t, c);
        }
        boolean last = c instanceof LastHttpContent;
        if (t.serverChannel != null) {
            session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
            if (t.replay != null) {
                t.replay.keep(c);
            }
            t.serverChannel.write(c);
            if (!t.serverChannel.isWritable()) {
                session.client.config().setAutoRead(false);
            }
        } else if (t.done) {
            c.release();
        } else {
            session.held.hold(c);
        }
        if (last) {
            t.requestComplete = true;
            if (t.serverChannel != null) {
                t.requestSentCompletely = true;
                t.serverChannel.flush();
                session.timers.arm(HttpTimer.SERVER, t.serverTimeout());
            }
        }
        if (t.bodyWait != null && t.bodyWait.satisfied(session.held.bytes(), t.requestComplete, session.engine.bufsize)) {
            bodyArrived(t);
        }
    }
}
