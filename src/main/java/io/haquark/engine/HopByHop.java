package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Connection-scoped headers (RFC 9110 §7.6.1) that HAProxy 2.6 does not pass on: Connection and
 * what it lists, Upgrade, TE but "trailers". (It passes Keep-Alive and Proxy-Connection on.)
 */
final class HopByHop {
    private HopByHop() {
    }

    static void strip(HttpHeaders h) {
        removeListed(h);
        h.remove(HttpHeaderNames.CONNECTION);
        // Keep-Alive and Proxy-Connection are not HAProxy's to drop: 2.6 passes them on (compared).
        h.remove(HttpHeaderNames.UPGRADE);
        if (h.contains(HttpHeaderNames.TE)) {
            // TE is hop-by-hop, but HAProxy passes on a plain "trailers" token (what gRPC needs):
            // "TE: trailers, gzip" reaches the server as "te: trailers"; "gzip" or "trailers;q=0.5" not at all.
            boolean trailers = false;
            for (String v : h.getAll(HttpHeaderNames.TE)) {
                for (String token : v.split(",")) {
                    trailers |= token.trim().equalsIgnoreCase("trailers");
                }
            }
            h.remove(HttpHeaderNames.TE);
            if (trailers) {
                h.add(HttpHeaderNames.TE, "trailers");
            }
        }
    }

    /**
     * What HAProxy's HTTP/1 parser leaves of a request's Connection header once it has read it:
     * the "close" and "keep-alive" tokens are taken out, and the header goes when nothing is left
     * (rules, req.hdrs and req.hdr_names do not see it then).
     */
    static void cleanConnection(HttpHeaders h) {
        String v = h.get(HttpHeaderNames.CONNECTION);
        if (v == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")) {
                    kept.append(kept.length() == 0 ? "" : ", ").append(t);
                }
            }
        }
        if (kept.length() == 0) {
            h.remove(HttpHeaderNames.CONNECTION);
        } else if (!kept.toString().equals(v) || h.getAll(HttpHeaderNames.CONNECTION).size() > 1) {
            h.set(HttpHeaderNames.CONNECTION, kept.toString());
        }
    }

    /** A response loses its Connection header (and what it lists); Keep-Alive and Proxy-Connection go on, as HAProxy 2.6 passes them. */
    static void stripResponse(HttpHeaders h) {
        removeListed(h);
        h.remove(HttpHeaderNames.CONNECTION);
    }

    /** Headers named in Connection (other than close/keep-alive/upgrade) are hop-by-hop too. */
    private static void removeListed(HttpHeaders h) {
        java.util.Iterator<String> conn = h.valueStringIterator(HttpHeaderNames.CONNECTION);
        while (conn.hasNext()) {
            String v = conn.next();
            if (v.equalsIgnoreCase("keep-alive") || v.equalsIgnoreCase("close")) {
                continue;
            }
            for (String token : v.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")
                        && !t.equalsIgnoreCase("upgrade") && !t.equalsIgnoreCase("transfer-encoding")
                        && !t.equalsIgnoreCase("content-length") && !t.equalsIgnoreCase("host")) {
                    h.remove(t);
                }
            }
        }
    }
}
