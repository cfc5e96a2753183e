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

    /**
     * 0 when the request may go on, else the status HAProxy 2.6 answers it with: 400 for a target
     * with characters it refuses ('#', controls, non-ASCII), an absolute URI whose authority is not
     * the Host header, Host headers that disagree, or a Transfer-Encoding that does not end with
     * chunked; 422 for chunked after another coding ("gzip, chunked"), which it cannot decode.
     * The method PRI is HTTP/2's preface (RFC 9113 §3.4), never an HTTP/1 request: 400, as HAProxy
     * answers it on "proto h1" and after "switch-mode http proto h1".
     */
    static int check(HttpRequest req, int maxHeaders, boolean payloadWithAnyMethod) {
        HttpHeaders h = req.headers();
        if (h.size() > maxHeaders) {
            return 400;
        }
        if (!payloadWithAnyMethod && req.protocolVersion().majorVersion() == 1 && req.protocolVersion().minorVersion() == 0
                && payloadForbidden(req.method().name()) && hasPayload(h)) {
            // An HTTP/1.0 GET, HEAD or DELETE with a body: HAProxy 2.6 refuses it as a parsing
            // error answered 413 (global h1-accept-payload-with-any-method lets it through).
            return 413;
        }
        if (req.protocolVersion() != Http2Frontend.HTTP_2 && "PRI".equals(req.method().name())) {
            return 400;
        }
        String uri = req.uri();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') {
                return 400;
            }
        }
        // Netty's getAll() builds a list per call: walk the values instead (this runs per request).
        java.util.Iterator<String> hosts = h.valueStringIterator(HttpHeaderNames.HOST);
        String firstHost = hosts.hasNext() ? hosts.next() : null;
        while (hosts.hasNext()) {
            if (!hosts.next().equalsIgnoreCase(firstHost)) {
                return 400;
            }
        }
        if (firstHost != null && uri.charAt(0) != '/' && uri.charAt(0) != '*') {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int end = uri.indexOf('/', scheme + 3);
                String authority = uri.substring(scheme + 3, end < 0 ? uri.length() : end);
                if (!authority.equalsIgnoreCase(firstHost.trim())) {
                    return 400;
                }
            }
        }
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // HTTP/1.0 with chunked is read chunked, as HAProxy 2.6.12 does (reg-test http_transfer_encoding).
            if (transferCodingsInvalid(h)) {
                return 400;
            }
            if (codings(h).size() > 1) {
                return 422;
            }
        }
        return 0;
    }

    /**
     * Transfer-Encoding must end with chunked, named once (RFC 9112 §6.1): anything else is a
     * 400 for a request and a 502 for a response, as with HAProxy.
     */
    static boolean transferCodingsInvalid(HttpHeaders h) {
        if (!h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        List<String> codings = codings(h);
        return codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")
                || codings.indexOf("chunked") != codings.size() - 1;
    }

    private static List<String> codings(HttpHeaders h) {
        List<String> codings = new java.util.ArrayList<>();
        for (String line : h.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String c : line.split(",")) {
                if (!c.isBlank()) {
                    codings.add(c.trim().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return codings;
    }

    private static boolean payloadForbidden(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("DELETE");
    }

    private static boolean hasPayload(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
        return cl != null && !cl.trim().equals("0");
    }

    static boolean isWebSocketUpgrade(HttpRequest req) {
        HttpHeaders h = req.headers();
        return h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
                && h.contains(HttpHeaderNames.UPGRADE);
    }
}
