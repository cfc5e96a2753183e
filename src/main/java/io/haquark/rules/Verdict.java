package io.haquark.rules;

import io.netty.handler.codec.http.FullHttpResponse;

/** How a rule list ended: allow (stop evaluating), or an answer to send instead of forwarding. */
public sealed interface Verdict {
    Verdict ALLOW = new Allow();
    Verdict DROP = new Drop(false);
    Verdict SILENT_DROP = new Drop(true);

    record Allow() implements Verdict {
    }

    /** reject / silent-drop: the client connection ends without an answer; silently (no packet) for silent-drop. */
    record Drop(boolean silent) implements Verdict {
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

    /**
     * The rule list stops at this rule and resumes after it ({@code resumeAt}) once the engine
     * has what the action waits for, on the transaction's event loop. Nothing is allocated
     * unless a rule yields. wait-for-body is the first such action (do-resolve and Lua later).
     */
    record Yield(Wait until, int resumeAt) implements Verdict {
        Yield at(int index) {
            return new Yield(until, index);
        }
    }

    /** What a yielding action waits for. */
    sealed interface Wait {
    }

    /** wait-for-body: the whole body, or atLeast bytes of it (0 = the whole), for at most timeoutMs. */
    record BodyWait(long timeoutMs, long atLeast) implements Wait {
        /**
         * Whether the wait is over with {@code held} bytes of the body in: the whole body came,
         * "at-least" bytes did, or the holder reached {@code limit} (HAProxy stops waiting when
         * its buffer is full).
         */
        public boolean satisfied(long held, boolean complete, long limit) {
            return complete || held >= limit || atLeast > 0 && held >= atLeast;
        }
    }
}
