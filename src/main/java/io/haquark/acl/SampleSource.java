package io.haquark.acl;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What fetches read from a transaction (configuration.txt §7.3). The engine's request
 * object implements it directly, so evaluating an ACL copies nothing.
 */
public interface SampleSource {
    String method();

    /** The request target as received: "/a/b?x=1" or an absolute URI. */
    String uri();

    /** The path part of the URI, without the query string. */
    String path();

    /** The query string without '?', or null when there is none. */
    String query();

    /** Value of the occ-th occurrence of a header (1-based, negative counts from the end), or null. */
    default String header(String name, int occ) {
        List<String> values = headerValues(name);
        int i = occ > 0 ? occ - 1 : values.size() + occ;
        return i >= 0 && i < values.size() ? values.get(i) : null;
    }

    /** All values of a header, comma-separated values split as HAProxy's hdr() does. */
    List<String> headerValues(String name);

    /** All full-line values of a header (fhdr semantics: commas not split). */
    List<String> fullHeaderValues(String name);

    /** "1.0", "1.1" ... */
    String version();

    InetSocketAddress source();

    InetSocketAddress destination();

    /** Usable servers in a backend, for nbsrv(); -1 when the backend does not exist. */
    int usableServers(String backend);

    /** Name of the frontend handling the request. */
    String frontendName();

    /** Name of the backend chosen so far, or null. */
    String backendName();

    /**
     * The variables of a scope (configuration.txt §2.8), or null where this source has none of
     * that scope (no session before a connection, no transaction in tcp-request session rules).
     */
    default io.haquark.state.Variables variables(io.haquark.state.Variables.Scope scope) {
        return null;
    }

    /** A variable's value ("txn.x"), or null when it is not set. */
    default Object variable(String name) {
        io.haquark.state.Variables.Scope scope = io.haquark.state.Variables.Scope.of(name);
        io.haquark.state.Variables v = scope == null ? null : variables(scope);
        return v == null ? null : v.get(name);
    }

    /** set-var(name[,cond...]): stores a value when the conditions (Variables' bits) hold. */
    default void setVariable(String name, Object value, int conditions) {
        io.haquark.state.Variables.Scope scope = io.haquark.state.Variables.Scope.of(name);
        io.haquark.state.Variables v = scope == null ? null : variables(scope);
        if (v != null) {
            v.set(name, value, conditions);
        }
    }

    /** unset-var(name). */
    default void unsetVariable(String name) {
        io.haquark.state.Variables.Scope scope = io.haquark.state.Variables.Scope.of(name);
        io.haquark.state.Variables v = scope == null ? null : variables(scope);
        if (v != null) {
            v.unset(name);
        }
    }

    /**
     * A final rule (accept, reject, allow, deny, redirect, return ...) matched: it becomes the
     * transaction's last_rule_file / last_rule_line.
     */
    default void finalRule(io.haquark.model.Location where) {
    }

    /** The last final rule that matched, or null. */
    default io.haquark.model.Location lastRule() {
        return null;
    }

    /**
     * fc_src / fc_dst: the addresses of the client connection itself (after "tcp-request
     * connection set-src/set-dst", which act on it), where src/dst are the stream's view.
     */
    default InetSocketAddress frontSource() {
        return source();
    }

    default InetSocketAddress frontDestination() {
        return destination();
    }

    /**
     * set-src / set-dst / set-src-port / set-dst-port (configuration.txt "tcp-request connection
     * set-src"): the level is where the rule runs; a connection rule changes every view, a session
     * rule the session's and its streams', a content or http-request rule the stream's. A null
     * address keeps the address; a negative port keeps the port, 0 clears it.
     */
    default void setAddress(AddressLevel level, boolean source, java.net.InetAddress address, int port) {
    }

    /** An address with its IP or its port replaced (null address / negative port: kept). */
    static InetSocketAddress changed(InetSocketAddress old, java.net.InetAddress address, int port) {
        java.net.InetAddress a = address != null ? address : old == null ? null : old.getAddress();
        int p = port >= 0 ? port : old == null ? 0 : old.getPort();
        return a == null ? old : new InetSocketAddress(a, p);
    }

    /** A TLV of the PROXY v2 header the client connection started with (fc_pp_authority: 0x02, fc_pp_unique_id: 0x05), or null. */
    default byte[] proxyTlv(int type) {
        return null;
    }

    /** Where an address-changing rule runs. */
    enum AddressLevel { CONNECTION, SESSION, STREAM }

    /** A backend's live state by name (be_conn, srv_conn, queue ...), or null when there is none. */
    default io.haquark.state.BackendState backendState(String name) {
        return null;
    }

    /** A frontend's live state by name (fe_conn, fe_req_rate ...), or null when there is none. */
    default io.haquark.state.FrontendState frontendState(String name) {
        return null;
    }

    /** Response status for http-response rules; 0 on the request side. */
    default int status() {
        return 0;
    }

    /** Response header value for http-response rules (occ as in hdr(): 1-based, negative from the end). */
    default String responseHeader(String name, int occ) {
        List<String> values = responseHeaderValues(name);
        int i = occ > 0 ? occ - 1 : values.size() + occ;
        return i >= 0 && i < values.size() ? values.get(i) : null;
    }

    /**
     * capture ... id N, capture-req(N), capture-res(N): a value into the frontend's capture slot
     * ("declare capture"), logged with %hr/%hs and read by capture.req.hdr / capture.res.hdr.
     */
    default void capture(boolean response, int slot, String value) {
    }

    /** The response's HTTP version ("1.1"), or null on the request side (res.ver). */
    default String responseVersion() {
        return null;
    }

    /** The worker thread (event loop) handling the connection, from 0 (the "thread" fetch). */
    default long thread() {
        return 0;
    }

    /** fc_rcvd_proxy: whether the connection started with a PROXY protocol header. */
    default boolean receivedProxyHeader() {
        return false;
    }

    /** The request's header names in order, or null without a request (req.hdr_names). */
    default List<String> requestHeaderNames() {
        return null;
    }

    /** The response's header names in order, or null without a response (res.hdr_names). */
    default List<String> responseHeaderNames() {
        return null;
    }

    /** The request's headers in order, or null without a request (req.hdrs). */
    default List<java.util.Map.Entry<String, String>> requestHeaders() {
        return null;
    }

    /** res.hdr(): every value of a response header, comma-separated values split; empty without a response. */
    default List<String> responseHeaderValues(String name) {
        return List.of();
    }

    /** res.fhdr(): every full line of a response header. */
    default List<String> responseFullHeaderValues(String name) {
        return List.of();
    }

    /** req.body: the request body the proxy holds (after wait-for-body: all of it, or its first part), or null. */
    default byte[] requestBody() {
        return null;
    }

    /** srv_id / srv_name: the server the transaction was (or is being) sent to, or null. */
    default io.haquark.state.ServerState server() {
        return null;
    }

    /** so_name: the "name" of the bind line the client connected to, or null. */
    default String bindName() {
        return null;
    }

    /** be_server_timeout: the backend's "timeout server" in ms; cur_server_timeout: the one in force (set-timeout). */
    default Long backendServerTimeout() {
        return null;
    }

    default Long currentServerTimeout() {
        return null;
    }

    /** http_first_req: whether this is the first request of its client connection; null outside HTTP. */
    default Boolean firstRequest() {
        return null;
    }

    /** Bytes a TCP frontend has buffered for content inspection (tcp-request inspect-delay), or null. */
    /** set-log-level: "silent" drops the stream's log line (other levels keep it). */
    default void setLogLevel(String level) {
    }

    /** What the server sent so far while tcp-response rules inspect it (res.payload), or null. */
    default byte[] responsePayload() {
        return null;
    }

    /**
     * A fetch or converter found the data incomplete (fewer bytes than it reads, a packet cut
     * short) while the rules may still wait for more: HAProxy's "may change" sample. Only an
     * inspecting TCP stream listens; elsewhere the sample is final.
     */
    default void sampleMayChange() {
    }

    /** Whether a sample since the last call said {@link #sampleMayChange}; clears it. */
    default boolean takeMayChange() {
        return false;
    }

    /** The rule at which waiting content rules start again (0 for the first). */
    default int ruleCursor() {
        return 0;
    }

    default void ruleCursor(int rule) {
    }

    default byte[] payload() {
        return null;
    }

    /**
     * req.len in HTTP mode: HAProxy measures the request as its internal HTTP message holds it
     * (start line with its 20-byte descriptor, header names and values without separators, one
     * end-of-headers byte, the body bytes present), not the bytes received. 0 outside HTTP.
     */
    default long httpRequestLength() {
        return 0;
    }

    /** The client connection is TLS (ssl_fc). */
    default boolean tlsConnection() {
        return false;
    }

    /** The server name the client asked for in its TLS handshake (ssl_fc_sni), or null. */
    default String sniHost() {
        return null;
    }

    /** The stick-table entry tracked by track-sc{n} for this transaction, or null. */
    default io.haquark.state.StickTable.Entry tracked(int n) {
        return null;
    }

    /** capture.req.hdr(N) / capture.res.hdr(N): a captured value, or null. */
    default String captured(boolean response, int slot) {
        return null;
    }

    /** The entries the client connection tracks (tcp-request ... track-sc*), or null where rules cannot track. */
    default io.haquark.state.ConnectionTracking connectionTracking() {
        return null;
    }

    /** A stick table by proxy name; null name means the table of the proxy evaluating the rule. */
    default io.haquark.state.StickTable table(String name) {
        return null;
    }

    /** The groups of the valid Basic-auth user in the userlist; null when the credentials are not valid. */
    default List<String> httpAuthGroups(String userlist) {
        return null;
    }

    /** unique-id: the transaction's unique-id-format value, or null. */
    default String uniqueId() {
        return null;
    }

    /** The TLS session of the client connection (ssl_c_*, ssl_f_*), or null off TLS. */
    default javax.net.ssl.SSLSession frontTlsSession() {
        return null;
    }

    /** The TLS session of the connection to the server (ssl_s_*), or null off TLS or before one. */
    default javax.net.ssl.SSLSession serverTlsSession() {
        return null;
    }

    /** ssl_fc_protocol: "TLSv1.3" ..., or null off TLS. */
    default String tlsProtocol() {
        return null;
    }

    /** ssl_fc_alpn: the protocol ALPN chose, or null. */
    default String tlsAlpn() {
        return null;
    }

    /** Whether the stream is an HTTP one (internal.strm.is_htx): false for a TCP stream, even one carrying HTTP. */
    default boolean httpStream() {
        return false;
    }

    /**
     * The client's own TCP connection (fc_rtt, fc_unacked ...): for an HTTP/2 stream its parent
     * connection; null where there is none.
     */
    default io.netty.channel.Channel frontChannel() {
        return null;
    }

    /** fc_err: HAProxy's code of what broke the client connection (0: nothing did). */
    default int connectionErrorCode() {
        return 0;
    }

    /** tcp-request connection expect-proxy layer4: a PROXY header comes first on this connection. */
    default void expectProxy() {
    }

    /** The connection to the server (bc_src, bc_dst ...), null before one is up. */
    default io.netty.channel.Channel backChannel() {
        return null;
    }

    /** so_id: the listener's id ("bind ... id", else its rank in the frontend from 1), or null. */
    default Long listenerId() {
        return null;
    }

    /** dst_conn: the connections the listener holds now, this one included, or null. */
    default Long listenerConnections() {
        return null;
    }

    /** be_tunnel_timeout: the backend's "timeout tunnel" in ms (else its server timeout). */
    default Long backendTunnelTimeout() {
        return null;
    }

    /** cur_tunnel_timeout: the tunnel timeout in force (set-timeout tunnel). */
    default Long currentTunnelTimeout() {
        return backendTunnelTimeout();
    }

    /** prio_class / prio_offset: what set-priority-class / set-priority-offset gave the stream (0 by default). */
    default long priorityClass() {
        return 0;
    }

    default long priorityOffset() {
        return 0;
    }

    /**
     * set-priority-class (clamped to -2047 .. 2047) or set-priority-offset (milliseconds, clamped
     * to -524287 .. 524287): where the stream waits if it must queue.
     */
    default void setPriority(boolean offset, long value) {
    }

    /** HAProxy's bounds of set-priority-class / set-priority-offset. */
    static long clampPriority(boolean offset, long v) {
        long max = offset ? 524287 : 2047;
        return Math.max(-max, Math.min(max, v));
    }

    /** res.body: the response body the proxy holds (after http-response wait-for-body), or null. */
    default byte[] responseBody() {
        return null;
    }

    /** res.hdrs_bin: the response's header fields in order, or null before a response. */
    default List<java.util.Map.Entry<String, String>> responseHeaders() {
        return null;
    }
}
