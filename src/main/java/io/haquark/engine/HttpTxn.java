package io.haquark.engine;

import io.haquark.balance.LoadBalancer;
import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One HTTP transaction (request and its response) on a client connection. It is also what
 * ACL fetches read: path and query are cut from the URI once, on first use.
 */
final class HttpTxn implements io.haquark.rules.HttpMessageView, RoutedSource, LoadBalancer.Pending {
    final HttpSession session;
    final HttpRequest request;
    final String version;
    private String path;
    private String query;
    private boolean uriSplit;

    BackendRuntime backend;
    ServerState server;
    ServerState failedServer;
    Channel serverChannel;
    boolean serverReused;
    int connectAttempts;
    boolean queued;
    boolean backendCounted;
    /** The persistence cookie's value in the request (cookie ... in the backend). */
    String cookieValue;
    /** Set when the request is for a stats page: the proxy whose stats settings apply. */
    CompiledProxy statsOwner;
    /** http_first_req: the connection's first request (each HTTP/2 stream is its own session). */
    boolean firstOnConnection;

    @Override
    public Boolean firstRequest() {
        return firstOnConnection;
    }

    /** Where the request analysis stands (a yielding rule makes it resume later). */
    enum Step { FRONTEND_RULES, BACKEND_RULES, ROUTED }

    Step step = Step.FRONTEND_RULES;
    /** The rule to resume at in the current proxy's http-request rules (after a yield). */
    int ruleFrom;
    /** The proxy whose tcp-request content rules ran on this request (they run once, not again on a resume). */
    CompiledProxy contentRulesOf;
    /** last_rule_file / last_rule_line. */
    private io.haquark.model.Location lastRule;

    @Override
    public void finalRule(io.haquark.model.Location where) {
        lastRule = where;
    }

    @Override
    public io.haquark.model.Location lastRule() {
        return lastRule;
    }

    /** The backend's tcp-response content rules ran on this response. */
    boolean tcpResponseRan;
    /** What use_backend/default_backend chose, before the backend's own rules run. */
    BackendRuntime routed;
    /** A wait-for-body rule is waiting (null otherwise). */
    io.haquark.rules.Verdict.BodyWait bodyWait;

    /** The body of the message the rules are on: the response once there is one, else the request. */
    @Override
    public long bodyBytes() {
        return response != null ? session.heldResponse.bytes() : session.held.bytes();
    }

    @Override
    public boolean bodyComplete() {
        if (response != null) {
            int code = response.status().code();
            return responseBodyComplete || code == 204 || code == 304 || request.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD)
                    || !io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(response)
                    && io.netty.handler.codec.http.HttpUtil.getContentLength(response, -1L) == 0;
        }
        return requestComplete || !io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(request)
                && io.netty.handler.codec.http.HttpUtil.getContentLength(request, 0L) == 0;
    }

    @Override
    public byte[] requestBody() {
        return session.held.bytesHeld();
    }

    @Override
    public ServerState server() {
        return server != null ? server : loggedServerState;
    }

    @Override
    public String bindName() {
        return session.bindName;
    }

    @Override
    public Long backendServerTimeout() {
        return backend == null ? null : backend.serverTimeout;
    }

    @Override
    public Long currentServerTimeout() {
        return backend == null ? null : serverTimeout();
    }

    /** The headers early-hint rules gathered, not sent yet. */
    private io.netty.handler.codec.http.HttpHeaders earlyHints;

    @Override
    public void earlyHint(String name, String value) {
        if (earlyHints == null) {
            earlyHints = new io.netty.handler.codec.http.DefaultHttpHeaders();
        }
        earlyHints.add(name, value);
    }

    /**
     * The 103 Early Hints answer the early-hint rules built; an HTTP/1.0 client gets none (it
     * knows no 1xx answers).
     */
    @Override
    public void sendEarlyHints() {
        io.netty.handler.codec.http.HttpHeaders h = earlyHints;
        if (h == null) {
            return;
        }
        earlyHints = null;
        if (request.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_0)) {
            return;
        }
        session.client.write(new io.netty.handler.codec.http.DefaultHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                new io.netty.handler.codec.http.HttpResponseStatus(103, "Early Hints"), h));
        session.client.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
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
    public Long backendTunnelTimeout() {
        return backend == null ? null : backend.tunnelTimeout();
    }

    @Override
    public Long currentTunnelTimeout() {
        return backend == null ? null : tunnelTimeout();
    }

    @Override
    public Channel frontChannel() {
        return session.client;
    }

    @Override
    public Channel backChannel() {
        return serverChannel;
    }

    @Override
    public byte[] responseBody() {
        return response == null ? null : session.heldResponse.bytesHeld();
    }

    @Override
    public List<java.util.Map.Entry<String, String>> responseHeaders() {
        return response == null ? null : response.headers().entries();
    }

    /** The filters this transaction passes through, or null when none takes part. */
    io.haquark.filters.FilterChain.Run filters;
    /** Between a failed connect and its retry on the same server, which keeps the server slot. */
    boolean retryPending;
    /** The request kept for retry-on's L7 retries (null when the backend retries on nothing past the connect). */
    RequestReplay replay;
    /** An L7 retry is under way: the next send restores the request from {@link #replay}. */
    boolean replaying;
    /** http-request disable-l7-retry. */
    boolean l7RetryDisabled;
    /** Routed, waiting for the end of the read batch to pick a server. */
    boolean awaitingDispatch;
    /** Response rules: 0 the backend's, 1 the frontend's, 2 done (they may yield and resume). */
    int responseRules;
    boolean responseBodyComplete;
    boolean requestComplete;
    boolean requestSentCompletely;
    boolean responseStarted;
    boolean informational;
    int status;
    boolean clientKeepAlive;
    boolean serverKeepAlive;
    boolean closeClientAfter;
    boolean done;
    long startNanos = System.nanoTime();
    final long startMillis = System.currentTimeMillis();
    // Timers for the access log (%Tw, %Tc, %Tr), in nanoTime; 0 = not reached.
    long queueStart;
    /** The transaction reached the backend's server assignment (Tw is 0 then, -1 for an answer given before). */
    boolean assigning;
    long queueEnd;
    long connectStart;
    long connected;
    long responseAt;
    long bytesOut;
    String loggedServer;
    io.haquark.state.ServerState loggedServerState;
    /** First two letters of %tsc: why it ended (C client, S server, P proxy, L local, s/c timeouts), at which step. */
    String terminationCause = "--";
    final String requestLine;
    /** Bytes read from the client for this transaction (%U), and when the log line was built (nanoTime). */
    long bytesIn;
    long endNanos;
    /** unique-id-format's value, computed once on first use (%ID, unique-id-header). */
    String uniqueId;

    /** Captured values (see CaptureLayout), null when the frontend captures nothing. */
    String[] captures;

    @Override
    public void capture(boolean response, int slot, String value) {
        captures = session.frontend.captures.capture(captures, response, slot, value);
    }

    @Override
    public String captured(boolean response, int slot) {
        return session.frontend.captures.get(captures, response, slot);
    }

    /** set-timeout server|tunnel overrides for this transaction, in ms; -1 = the backend's. */
    private long serverTimeoutOverride = -1;
    private long tunnelTimeoutOverride = -1;

    long serverTimeout() {
        return serverTimeoutOverride >= 0 ? serverTimeoutOverride : backend.serverTimeout;
    }

    long tunnelTimeout() {
        if (tunnelTimeoutOverride >= 0) {
            return tunnelTimeoutOverride;
        }
        long t = backend.proxy.timeouts().tunnel();
        return t > 0 ? t : serverTimeout();
    }

    @Override
    public void setTimeout(String which, long ms) {
        if (which.equals("server")) {
            serverTimeoutOverride = ms;
        } else {
            tunnelTimeoutOverride = ms;
        }
    }

    /** set-log-level silent: this transaction is not logged. */
    boolean silent;

    @Override
    public void disableL7Retry() {
        l7RetryDisabled = true;
    }

    @Override
    public void setLogLevel(String level) {
        silent = level.equals("silent");
    }

    /** The termination state of the log line: cause, step, then "--" (no persistence cookie flags yet). */
    /** Persistence cookie states of the log line (§8.5): '-' where no cookie is configured. */
    char cookieIn = '-';
    char cookieOut = '-';

    String termination() {
        return terminationCause + cookieIn + cookieOut;
    }

    HttpTxn(HttpSession session, HttpRequest request) {
        this.session = session;
        this.request = request;
        this.version = request.protocolVersion().majorVersion() + "." + request.protocolVersion().minorVersion();
        this.requestLine = request.method().name() + " " + request.uri() + " " + request.protocolVersion().text();
    }

    private void splitUri() {
        if (uriSplit) {
            return;
        }
        uriSplit = true;
        String u = request.uri();
        int start = 0;
        // Absolute form "http://host/path": the path starts after the authority.
        int scheme = u.indexOf("://");
        if (scheme > 0 && u.indexOf('/') > scheme) {
            int slash = u.indexOf('/', scheme + 3);
            start = slash < 0 ? u.length() : slash;
        }
        int q = u.indexOf('?', start);
        if (q < 0) {
            path = start == 0 ? u : u.substring(start);
            if (path.isEmpty()) {
                path = "/";
            }
        } else {
            path = u.substring(start, q);
            query = u.substring(q + 1);
        }
    }

    void releasePendingBody() {
        if (replay != null) {
            replay.release();
        }
        // The connection's holders serve one transaction at a time (see HeldBody).
        session.held.release();
        session.heldResponse.release();
    }

    /** The server's response while http-response rules run on it. */
    io.netty.handler.codec.http.HttpResponse response;

    // ---- HttpMessageView ----

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public io.netty.handler.codec.http.HttpResponse response() {
        return response;
    }

    /** strict-mode of the request and of the response; the rewrite room left in each (unset: MIN_VALUE). */
    private boolean requestStrict = true;
    private boolean responseStrict = true;
    private int requestRoom = Integer.MIN_VALUE;
    private int responseRoom = Integer.MIN_VALUE;

    @Override
    public void setStrictMode(boolean on) {
        if (response != null) {
            responseStrict = on;
        } else {
            requestStrict = on;
        }
    }

    @Override
    public boolean strictMode() {
        return response != null ? responseStrict : requestStrict;
    }

    @Override
    public boolean rewriteFits(int delta) {
        boolean res = response != null;
        int room = res ? responseRoom : requestRoom;
        if (room == Integer.MIN_VALUE) {
            io.netty.handler.codec.http.HttpMessage m = res ? response : request;
            room = RewriteRoom.of(m, RewriteRoom.body(m.headers(), bodyBytes()), session.engine.bufsize, session.engine.maxrewrite);
        }
        if (delta > room) {
            return false;
        }
        room -= delta;
        if (res) {
            responseRoom = room;
        } else {
            requestRoom = room;
        }
        return true;
    }

    @Override
    public long httpRequestLength() {
        // HTX: a start-line block (20-byte descriptor + method, target, version), one block per
        // header (name + value), the end-of-headers block (1), then the data blocks held.
        long n = 20 + request.method().name().length() + request.uri().length() + request.protocolVersion().text().length() + 1;
        for (java.util.Map.Entry<String, String> h : request.headers()) {
            n += h.getKey().length() + h.getValue().length();
        }
        return n + session.held.bytes();
    }

    /** txn., req. and res. variables: they live as long as this transaction (§2.8). */
    private io.haquark.state.Variables vars;

    @Override
    public io.haquark.state.Variables variables(io.haquark.state.Variables.Scope scope) {
        return switch (scope) {
            case PROC -> session.routing.procVars;
            case SESS -> session.variables();
            case TXN, REQ, RES -> {
                if (vars == null) {
                    // The first request of a stream upgraded from TCP keeps what its TCP rules set.
                    vars = session.inheritedStreamVars != null ? session.inheritedStreamVars : io.haquark.state.Variables.local();
                    session.inheritedStreamVars = null;
                }
                yield vars;
            }
            case CHECK -> null;
        };
    }

    /** What http-request track-sc rules of this transaction track (HAProxy: the stream's counters). */
    private io.haquark.state.ConnectionTracking streamTracking;

    @Override
    public void track(int n, io.haquark.state.StickTable.Entry entry) {
        if (streamTracking == null) {
            streamTracking = new io.haquark.state.ConnectionTracking();
        }
        // HAProxy counts a stream that starts tracking in conn_cnt/conn_rate/conn_cur of the entry,
        // per request (checked against HAProxy 2.6: five requests on two connections give conn_cnt 5).
        streamTracking.track(n, entry);
    }

    /** The transaction ended: the entries it tracked no longer count it in conn_cur. */
    void releaseTracking() {
        if (streamTracking != null) {
            streamTracking.release();
        }
    }

    @Override
    public io.haquark.state.StickTable.Entry tracked(int n) {
        io.haquark.state.StickTable.Entry e = streamTracking == null ? null : streamTracking.get(n);
        return e != null ? e : session.tracking.get(n);
    }

    @Override
    public io.haquark.state.StickTable table(String name) {
        return session.routing.table(name, session.frontend.name(), backend == null ? null : backend.name());
    }

    @Override
    public List<String> httpAuthGroups(String userlist) {
        var u = session.routing.userlists.authenticate(userlist, request.headers().get("authorization"));
        return u == null ? null : session.routing.userlists.groups(userlist, u);
    }

    @Override
    public boolean tlsConnection() {
        return session.tlsEngine() != null;
    }

    @Override
    public String tlsProtocol() {
        return ClientTls.protocol(session.tlsEngine());
    }

    @Override
    public boolean httpStream() {
        return true;
    }

    @Override
    public String tlsAlpn() {
        return ClientTls.alpn(session.tlsEngine());
    }

    @Override
    public javax.net.ssl.SSLSession frontTlsSession() {
        javax.net.ssl.SSLEngine e = session.tlsEngine();
        return e == null ? null : e.getSession();
    }

    @Override
    public javax.net.ssl.SSLSession serverTlsSession() {
        return ClientTls.session(serverChannel);
    }

    @Override
    public String sniHost() {
        return ClientTls.sni(session.tlsEngine());
    }

    @Override
    public io.netty.handler.codec.http.FullHttpResponse service(String name) {
        return session.engine.service(name);
    }

    /**
     * http_err_cnt / http_err_rate of tracked entries count 4xx answers, http_fail_cnt /
     * http_fail_rate the 5xx ones but 501 and 505 that a server sent (configuration.txt
     * "http_fail_cnt"; read off HAProxy: its own 503, after a return or failed connects, is none).
     */
    void trackedResponse(int code, boolean serverSide) {
        if (code >= 400 && code < 500) {
            session.tracking.httpError();
            if (streamTracking != null) {
                streamTracking.httpError();
            }
        } else if (serverSide && code >= 500 && code != 501 && code != 505) {
            session.tracking.httpFailure();
            if (streamTracking != null) {
                streamTracking.httpFailure();
            }
        }
    }

    /** What the transaction carried, for the bytes counters of tracked entries. */
    void trackedBytes() {
        session.tracking.bytes(bytesIn, bytesOut);
        if (streamTracking != null) {
            streamTracking.bytes(bytesIn, bytesOut);
        }
    }

    @Override
    public void uriChanged() {
        uriSplit = false;
        query = null;
        path = null;
    }

    @Override
    public int status() {
        return response == null ? 0 : response.status().code();
    }

    @Override
    public String responseVersion() {
        if (response == null) {
            return null;
        }
        io.netty.handler.codec.http.HttpVersion v = response.protocolVersion();
        return v.majorVersion() + "." + v.minorVersion();
    }

    @Override
    public long thread() {
        return session.loopIndex;
    }

    @Override
    public boolean receivedProxyHeader() {
        return session.receivedProxyHeader;
    }

    @Override
    public List<String> requestHeaderNames() {
        return names(request.headers());
    }

    @Override
    public List<String> responseHeaderNames() {
        return response == null ? null : names(response.headers());
    }

    private static List<String> names(io.netty.handler.codec.http.HttpHeaders h) {
        List<String> out = new java.util.ArrayList<>(h.size());
        for (java.util.Map.Entry<String, String> e : h) {
            out.add(e.getKey().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    @Override
    public List<java.util.Map.Entry<String, String>> requestHeaders() {
        return request.headers().entries();
    }

    @Override
    public List<String> responseHeaderValues(String name) {
        return response == null ? List.of() : io.haquark.acl.HeaderSamples.values(response.headers(), name);
    }

    @Override
    public List<String> responseFullHeaderValues(String name) {
        return response == null ? List.of() : io.haquark.acl.HeaderSamples.full(response.headers(), name);
    }

    // ---- SampleSource ----

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public String path() {
        splitUri();
        return path;
    }

    @Override
    public String query() {
        splitUri();
        return query;
    }

    @Override
    public List<String> headerValues(String name) {
        return io.haquark.acl.HeaderSamples.values(request.headers(), name);
    }

    @Override
    public List<String> fullHeaderValues(String name) {
        return io.haquark.acl.HeaderSamples.full(request.headers(), name);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public InetSocketAddress source() {
        return streamRemote != null ? streamRemote : session.sessionSource();
    }

    /** The stream's addresses when a content or http-request rule changed them. */
    private InetSocketAddress streamRemote;
    private InetSocketAddress streamLocal;

    @Override
    public byte[] proxyTlv(int type) {
        return session.proxyTlvs.get(type);
    }

    @Override
    public InetSocketAddress frontSource() {
        return session.remote;
    }

    @Override
    public InetSocketAddress frontDestination() {
        return session.local;
    }

    @Override
    public void setAddress(AddressLevel level, boolean source, java.net.InetAddress a, int port) {
        if (level != AddressLevel.STREAM) {
            session.setAddress(level, source, a, port);
        } else if (source) {
            streamRemote = io.haquark.acl.SampleSource.changed(source(), a, port);
        } else {
            streamLocal = io.haquark.acl.SampleSource.changed(destination(), a, port);
        }
    }

    @Override
    public InetSocketAddress destination() {
        return streamLocal != null ? streamLocal : session.sessionDestination();
    }

    @Override
    public int usableServers(String name) {
        BackendRuntime b = session.routing.backend(name);
        return b == null ? -1 : b.state.usableServers();
    }

    @Override
    public String frontendName() {
        return session.frontend.name();
    }

    @Override
    public String backendName() {
        return backend == null ? null : backend.name();
    }

    // ---- LoadBalancer.Pending ----

    /** Called from the thread that freed the slot: hop to this connection's event loop. */
    @Override
    public void assigned(ServerState s) {
        session.eventLoop.execute(() -> session.forwarding.dequeued(this, s));
    }

    /** unique-id-format's value, computed on first use and then kept (%ID, unique-id, unique-id-header). */
    @Override
    public String uniqueId() {
        if (uniqueId == null && session.frontend.uniqueIdFormat != null) {
            uniqueId = session.frontend.uniqueIdFormat.evalLog(this, new HttpTxnLog(this));
        }
        return uniqueId;
    }

    private static final java.util.concurrent.atomic.AtomicLong REQUESTS = new java.util.concurrent.atomic.AtomicLong();
    private long requestNumber = -1;

    /** %rt: numbered on first use, so requests nobody logs cost no shared counter update. */
    long requestCounter() {
        if (requestNumber < 0) {
            requestNumber = REQUESTS.getAndIncrement();
        }
        return requestNumber;
    }

    @Override
    public Routing routing() {
        return session.routing;
    }
}
