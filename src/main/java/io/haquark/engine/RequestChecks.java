package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * Request checks HAProxy 2.6 makes beyond what the HTTP/1 decoder rejects (each answered
 * with 400, as read off HAProxy): too many headers, several Host headers that disagree,
 * and a Transfer-Encoding whose last coding is not chunked.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    static boolean valid(HttpRequest req, int maxHeaders) {
        HttpHeaders h = req.headers();
        if (h.size() > maxHeaders) {
            return false;
        }
        // Netty's getAll() builds a list per call: walk the values instead (this runs per request).
        java.util.Iterator<String> hosts = h.valueStringIterator(HttpHeaderNames.HOST);
        String firstHost = hosts.hasNext() ? hosts.next() : null;
        while (hosts.hasNext()) {
            if (!hosts.next().equalsIgnoreCase(firstHost)) {
                return false;
            }
        }
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (req.protocolVersion().minorVersion() == 0 && req.protocolVersion().majorVersion() == 1) {
                return false;
            }
            String last = te.get(te.size() - 1);
            int comma = last.lastIndexOf(',');
            String coding = (comma >= 0 ? last.substring(comma + 1) : last).trim();
            if (!coding.equalsIgnoreCase("chunked")) {
                return false;
            }
        }
        return true;
    }

    static boolean isWebSocketUpgrade(HttpRequest req) {
        HttpHeaders h = req.headers();
        return h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
                && h.contains(HttpHeaderNames.UPGRADE);
    }
}
