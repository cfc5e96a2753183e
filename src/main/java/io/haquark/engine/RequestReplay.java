package io.haquark.engine;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A request kept to be sent again after the server failed it (configuration.txt "retry-on":
 * an "L7 retry"): its head as it was before the proxy rewrote it for a server, and its body as
 * sent, up to tune.bufsize. A request that does not fit is never retried, as in HAProxy.
 */
final class RequestReplay {
    private final HttpMethod method;
    private final String uri;
    private final HttpVersion version;
    private final HttpHeaders headers;
    private final List<HttpContent> body = new ArrayList<>(2);
    private final long limit;
    private long bytes;
    private boolean overflow;

    RequestReplay(HttpRequest req, long limit) {
        this.method = req.method();
        this.uri = req.uri();
        this.version = req.protocolVersion();
        this.headers = req.headers().copy();
        this.limit = limit;
    }

    /** A body part on its way to the server: a reference kept while it fits. */
    void keep(HttpContent c) {
        if (overflow) {
            return;
        }
        bytes += c.content().readableBytes();
        if (bytes > limit) {
            overflow = true;
            release();
            return;
        }
        body.add(c.retainedDuplicate());
    }

    boolean replayable() {
        return !overflow;
    }

    /** The head back as it came from the client, for the next attempt to rewrite afresh. */
    void restore(HttpRequest req) {
        req.setMethod(method);
        req.setUri(uri);
        req.setProtocolVersion(version);
        req.headers().set(headers);
    }

    /** The body again, to another connection (not flushed). */
    void writeBodyTo(Channel server) {
        for (HttpContent c : body) {
            server.write(c.retainedDuplicate());
        }
    }

    void release() {
        for (HttpContent c : body) {
            c.release();
        }
        body.clear();
    }
}
