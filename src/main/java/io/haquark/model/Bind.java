package io.haquark.model;

import java.util.List;
import java.util.Map;

/**
 * {@code bind <addr>[,<addr>...] [options]}. Options the engine reads have fields; the rest
 * stay in {@code options} by keyword so nothing written is lost.
 */
public record Bind(String spec, List<ListenAddress> addresses, boolean ssl, List<String> certificates,
                   List<List<String>> serverNames,
                   boolean acceptProxy, String name, int maxconn, List<String> alpn,
                   Map<String, String> options, Location where) {
    /**
     * serverNames: for each certificate (same index), the SNI filters of its crt-list line, or
     * an empty list when the names come from the certificate itself (crt, or a line without filters).
     */
    public Bind {
        addresses = List.copyOf(addresses);
        certificates = List.copyOf(certificates);
        serverNames = serverNames.stream().map(List::copyOf).toList();
        alpn = List.copyOf(alpn);
        options = Map.copyOf(options);
    }
}
