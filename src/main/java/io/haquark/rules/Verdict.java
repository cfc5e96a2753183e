package io.haquark.rules;

import io.netty.handler.codec.http.FullHttpResponse;

/** How a rule list ended: allow (stop evaluating), or an answer to send instead of forwarding. */
public sealed interface Verdict {
    Verdict ALLOW = new Allow();
    Verdict DROP = new Drop();

    record Allow() implements Verdict {
    }

    /** silent-drop / reject: close the client connection without an answer. */
    record Drop() implements Verdict {
    }

    /**
     * deny/return/redirect: {@code denied} counts it in the "denied" stats columns;
     * {@code tarpit} holds the answer for timeout tarpit first; {@code errorPage} marks HAProxy's
     * default error page, which the proxy's errorfile / http-error for that status replaces.
     */
    record Respond(FullHttpResponse response, boolean denied, boolean tarpit, boolean errorPage) implements Verdict {
        public Respond(FullHttpResponse response, boolean denied) {
            this(response, denied, false, false);
        }

        public Respond(FullHttpResponse response, boolean denied, boolean tarpit) {
            this(response, denied, tarpit, false);
        }
    }
}
