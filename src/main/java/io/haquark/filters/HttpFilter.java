package io.haquark.filters;

import io.haquark.rules.HttpMessageView;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * A filter declared by a proxy's "filter" lines (configuration.txt §9): it sees every
 * transaction's messages on their way and may change them, HTTP/1 and HTTP/2 alike. The
 * engine calls it, in declaration order (the frontend's filters, then the backend's), at the
 * points HAProxy's filter callbacks run: request headers, each request body part, response
 * headers, each response body part, end of transaction. Everything runs on the
 * transaction's event loop; a filter must not block.
 */
public interface HttpFilter {

    /** The filter's name for logs and errors ("trace", "compression" ...). */
    String name();

    /**
     * Called when a transaction has been routed (its backend is known). Returns the callbacks
     * for this transaction, or null when the filter has nothing to do with it, which costs
     * nothing further. A stateless filter may return one shared instance.
     */
    Stream start(HttpMessageView txn);

    /**
     * The callbacks of one transaction. A body callback returns what goes on in the part's
     * place: the part itself or a replacement (possibly empty, to hold data back for a later
     * part); the end of a message (LastHttpContent) must stay its end. A replaced part is the
     * filter's to release.
     */
    interface Stream {
        default void requestHeaders(HttpMessageView txn, HttpRequest request) {
        }

        default HttpContent requestData(HttpMessageView txn, HttpContent part) {
            return part;
        }

        default void responseHeaders(HttpMessageView txn, HttpResponse response) {
        }

        default HttpContent responseData(HttpMessageView txn, HttpContent part) {
            return part;
        }

        /** The transaction ended (answered, aborted or failed). */
        default void end(HttpMessageView txn) {
        }
    }
}
