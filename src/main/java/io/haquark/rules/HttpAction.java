package io.haquark.rules;

/** One http-request / http-response action, compiled; returns null to go on with the next rule. */
@FunctionalInterface
public interface HttpAction {
    Verdict apply(HttpMessageView m);
}
