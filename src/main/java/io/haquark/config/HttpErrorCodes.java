package io.haquark.config;

import java.util.Set;

/** The status codes HAProxy 2.6 can customise with errorfile/errorloc/http-error. */
public final class HttpErrorCodes {
    public static final Set<Integer> SUPPORTED = Set.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422,
            425, 429, 500, 501, 502, 503, 504);

    private HttpErrorCodes() {
    }
}
