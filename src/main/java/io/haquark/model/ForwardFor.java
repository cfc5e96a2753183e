package io.haquark.model;

/** {@code option forwardfor [except <network>] [header <name>] [if-none]}. */
public record ForwardFor(String exceptNetwork, String header, boolean ifNone) {
}
