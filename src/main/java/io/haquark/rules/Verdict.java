package io.haquark.rules;

import io.netty.handler.codec.http.FullHttpResponse;

/** How a rule list ended: allow (stop evaluating), or an answer to send instead of forwarding. */
public sealed interface Verdict {
    Verdict ALLOW = new Allow();

    record Allow() implements Verdict {
    }

    /** deny/return/redirect: {@code denied} counts it in the "denied" stats columns. */
    record Respond(FullHttpResponse response, boolean denied) implements Verdict {
    }
}
