package io.haquark.rules;

import io.haquark.acl.SampleSource;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an action may touch: the request (and on the response side the response) of the
 * transaction, plus its samples and variables.
 */
public interface HttpMessageView extends SampleSource {
    HttpRequest request();

    /** Request body bytes received so far and held by the proxy (wait-for-body, req.body_len). */
    default long bodyBytes() {
        return 0;
    }

    /** Whether the whole request body has been received. */
    default boolean bodyComplete() {
        return true;
    }

    /** The response on the http-response side, null on the request side. */
    HttpResponse response();

    default HttpHeaders headers() {
        return response() != null ? response().headers() : request().headers();
    }

    /** track-sc{n}: this transaction now tracks the given stick-table entry. */
    void track(int n, io.haquark.state.StickTable.Entry entry);

    /** The answer of a named service (use-service), or null when it is not available. */
    io.netty.handler.codec.http.FullHttpResponse service(String name);


    /** set-timeout server|tunnel for this transaction. */
    default void setTimeout(String which, long ms) {
    }

    /** set-log-level: "silent" drops this transaction's log line. */
    /** http-request disable-l7-retry: this request is not sent again after the server failed it. */
    default void disableL7Retry() {
    }

    /** http-request early-hint: one header of the 103 Early Hints answer. */
    default void earlyHint(String name, String value) {
    }

    /** The 103 Early Hints answer the early-hint rules built leaves now. */
    default void sendEarlyHints() {
    }

    default void setLogLevel(String level) {
    }

    /** "strict-mode on|off" for the message the rules run on (configuration.txt "http-request strict-mode"). */
    default void setStrictMode(boolean on) {
    }

    /** Whether a failed rewrite of the current message ends it with a 500 (strict-mode on, the default). */
    default boolean strictMode() {
        return true;
    }

    /**
     * A header rewrite growing the current message by {@code delta} bytes of HAProxy's internal
     * message: whether the room kept for rewrites (tune.maxrewrite) holds it; the room shrinks by it.
     */
    default boolean rewriteFits(int delta) {
        return true;
    }

    /** The request target changed: cached path/query must be recomputed. */
    void uriChanged();
}
