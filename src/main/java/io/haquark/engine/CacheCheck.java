package io.haquark.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * option checkcache (configuration.txt §4.2): a response that a shared cache could keep and that
 * sets a cookie is reported ("Blocking cacheable cookie ..."), as HAProxy 2.6 reports it. Read off
 * a running HAProxy 2.6.12: the request is a GET or HEAD; the status one caches keep (200, 203,
 * 204, 206, 300, 301, 404, 405, 410, 414, 501); the response carries freshness (Expires,
 * max-age, s-maxage or Last-Modified) and no Cache-Control private, no-cache, no-store or zero
 * max-age. HAProxy then denies it: its own page for that status (200 "Service ready.", 404 ...)
 * replaces the server's answer, and the response counts as denied.
 */
final class CacheCheck {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger("haquark.checkcache");

    private CacheCheck() {
    }

    /** Whether the answer is a cacheable one that sets a cookie (then reported, and denied by the caller). */
    static boolean blocks(HttpTxn t, int status, HttpHeaders h) {
        if (!h.contains("set-cookie") || !cacheableStatus(status)) {
            return false;
        }
        HttpMethod m = t.request.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
            return false;
        }
        boolean fresh = h.contains("expires") || h.contains("last-modified");
        for (String cc : h.getAll("cache-control")) {
            for (String d : cc.split(",")) {
                String v = d.trim().toLowerCase(java.util.Locale.ROOT);
                if (v.startsWith("private") || v.startsWith("no-cache") || v.equals("no-store")
                        || v.equals("max-age=0") || v.equals("s-maxage=0")) {
                    return false;
                }
                if (v.startsWith("max-age=") || v.startsWith("s-maxage=")) {
                    fresh = true;
                }
            }
        }
        if (fresh) {
            LOG.errorf("[ALERT] Blocking cacheable cookie in response from instance %s, server %s.", t.backend.name(),
                    t.server == null ? "<NONE>" : t.server.name());
        }
        return fresh;
    }

    private static boolean cacheableStatus(int s) {
        return switch (s) {
            case 200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501 -> true;
            default -> false;
        };
    }
}
