package io.haquark.model;

import java.util.List;

/**
 * A rule line kept declaratively: {@code http-request deny deny_status 403 if bad} is
 * keyword "http-request", action "deny", args [deny_status, 403], condition "if bad".
 * The rules package compiles these into actions once per load.
 */
public record Rule(String keyword, String action, List<String> args, Condition condition, Location where) {
    public Rule {
        args = List.copyOf(args);
    }
}
