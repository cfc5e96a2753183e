package io.haquark.model;

/**
 * A capture slot of a frontend (configuration.txt §4.2 "capture request header", "capture
 * response header", "capture cookie", "declare capture", "http-request capture ... len"): what
 * it holds appears in the log line ({@code {..|..}}, %CC/%CS) and in capture.req.hdr(N).
 */
public record Capture(Kind kind, String name, int len) {
    public enum Kind {
        /** capture request header NAME: the header's value as the request arrived. */
        REQUEST_HEADER,
        /** capture response header NAME. */
        RESPONSE_HEADER,
        /** declare capture request / http-request capture ... len: filled by a rule. */
        REQUEST_SLOT,
        /** declare capture response: filled by an http-response capture rule. */
        RESPONSE_SLOT,
        /** capture cookie NAME: %CC from the request's Cookie, %CS from the response's Set-Cookie. */
        COOKIE;

        public boolean request() {
            return this == REQUEST_HEADER || this == REQUEST_SLOT;
        }

        public boolean response() {
            return this == RESPONSE_HEADER || this == RESPONSE_SLOT;
        }
    }
}
