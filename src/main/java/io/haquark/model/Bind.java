package io.haquark.model;

import java.util.List;
import java.util.Map;

/**
 * {@code bind <addr>[,<addr>...] [options]}. Options the engine reads have fields; the rest
 * stay in {@code options} by keyword so nothing written is lost.
 */
public record Bind(String spec, List<ListenAddress> addresses, boolean ssl, List<String> certificates,
                   String crtList, List<CrtListLine> crtListLines,
                   boolean acceptProxy, String name, int maxconn, List<String> alpn,
                   Map<String, String> options, Location where) {
    /**
     * certificates: the files of "crt" (a directory stays one entry); crtList: the file of
     * "crt-list" (null without one) and crtListLines its lines as read at load time.
     */
    public Bind {
        addresses = List.copyOf(addresses);
        certificates = List.copyOf(certificates);
        crtListLines = List.copyOf(crtListLines);
        alpn = List.copyOf(alpn);
        options = Map.copyOf(options);
    }
}
