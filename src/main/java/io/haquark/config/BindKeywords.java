package io.haquark.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options of {@code bind} lines (configuration.txt §5.1). */
final class BindKeywords {
    record Def(String keyword, boolean takesValue, Support support, String note) {
    }

    static final Map<String, Def> KEYWORDS = new LinkedHashMap<>();

    private static void add(String kw, boolean value, Support s, String note) {
        KEYWORDS.put(kw, new Def(kw, value, s, note));
    }

    static {
        add("name", true, Support.SUPPORTED, null);
        add("maxconn", true, Support.SUPPORTED, null);
        add("backlog", true, Support.SUPPORTED, null);
        add("v4v6", false, Support.SUPPORTED, null);
        add("v6only", false, Support.SUPPORTED, null);
        add("transparent", false, Support.PARTIAL, "IP_TRANSPARENT on the listening socket (needs CAP_NET_ADMIN and routing rules; not compared)");
        add("ssl", false, Support.SUPPORTED, "TLS 1.2/1.3 termination by the JDK's TLS engine");
        add("crt", true, Support.PARTIAL, "PEM file (chain + key, or a .key beside it) or directory; SNI picks by CN/SAN");
        add("crt-list", true, Support.PARTIAL, "certificates and their SNI filters are loaded; per-line SSL options ([...]) and negative filters are not applied");
        add("alpn", true, Support.SUPPORTED, "h2 and http/1.1 (other protocols are not offered)");
        add("proto", true, Support.PARTIAL, "h2 (HTTP/2 in clear text, prior knowledge); other multiplexers not yet");
        add("ssl-min-ver", true, Support.SUPPORTED, null);
        add("ssl-max-ver", true, Support.SUPPORTED, null);
        add("ca-file", true, Support.SUPPORTED, "CAs for client certificates (with verify optional|required)");
        add("verify", true, Support.SUPPORTED, "none (default), optional, required");
        add("ca-verify-file", true, Support.SUPPORTED, "CAs trusted for client certificates without being named to the client");
        add("crl-file", true, Support.SUPPORTED, "CRLs checked for every certificate of the client's chain, as HAProxy asks OpenSSL");
        add("crt-ignore-err", true, Support.SUPPORTED, "verify errors (OpenSSL numbers, or all) on the client's certificate that let the handshake go on");
        add("ca-ignore-err", true, Support.SUPPORTED, "verify errors (OpenSSL numbers, or all) higher in the client's chain that let the handshake go on");
        add("ciphers", true, Support.SUPPORTED, "OpenSSL cipher list (BoringSSL)");
        add("ciphersuites", true, Support.PARTIAL, "passed with the cipher list; BoringSSL keeps its TLS 1.3 suites");
        add("strict-sni", false, Support.SUPPORTED, "a handshake without a server name some certificate carries is refused");
        for (String v : new String[] {"sslv3", "tlsv10", "tlsv11", "tlsv12", "tlsv13"}) {
            add("no-" + v, false, Support.SUPPORTED, null);
            add("force-" + v, false, Support.SUPPORTED, null);
        }
        add("accept-proxy", false, Support.SUPPORTED, "PROXY protocol v1 and v2");
        add("mode", true, Support.SUPPORTED, "permissions of a UNIX socket file (octal)");
        add("uid", true, Support.SUPPORTED, "owner of a UNIX socket file (numeric)");
        add("gid", true, Support.SUPPORTED, "group of a UNIX socket file (numeric)");
        add("mss", true, Support.SUPPORTED, "TCP_MAXSEG on the listening socket");
        add("interface", true, Support.SUPPORTED, "SO_BINDTODEVICE on the listening socket");
        add("tcp-ut", true, Support.PARTIAL, "TCP_USER_TIMEOUT on accepted sockets (set as HAProxy sets it; not observable in tests)");
        add("id", true, Support.SUPPORTED, "the listener's id (so_id), else the first free number from 1");
        add("defer-accept", false, Support.PARTIAL, "TCP_DEFER_ACCEPT of the client timeout in seconds (set as HAProxy sets it; not compared)");
        add("tfo", false, Support.PARTIAL, "TCP_FASTOPEN with the bind's maxconn as queue (set; not compared)");
        add("curves", true, Support.SUPPORTED, "the key exchange groups offered (P-256, P-384, P-521, X25519 ...)");
        add("ecdhe", true, Support.SUPPORTED, "the one curve offered when there is no curves list");
        add("accept-netscaler-cip", true, Support.SUPPORTED, "the NetScaler Client IP header (legacy and standard forms, IPv4 and IPv6) gives the client's addresses");
        add("user", true, Support.SUPPORTED, "owner of a UNIX socket file (by name)");
        add("group", true, Support.SUPPORTED, "group of a UNIX socket file (by name)");
        // Scheduling and process placement of HAProxy's threads: the JVM's event loops share every
        // listener, so these are checked and have nothing to act on.
        add("process", true, Support.PARTIAL, "accepted (deprecated in 2.6 too); every event loop serves the listener");
        add("thread", true, Support.PARTIAL, "accepted; every event loop serves the listener");
        add("shards", true, Support.PARTIAL, "accepted; one listening socket, every event loop serves it");
        add("nice", true, Support.PARTIAL, "accepted; the event loops have no task priorities");
        // CLI options: they act on stats sockets ("stats socket ... level admin"), not on a proxy's binds.
        add("level", true, Support.PARTIAL, "applies on stats sockets (user, operator, admin); no effect on a proxy's bind, as in HAProxy");
        add("severity-output", true, Support.PARTIAL, "accepted; the runtime API's answers carry no severity");
        add("expose-fd", true, Support.PARTIAL, "accepted; listeners are handed over by SO_REUSEPORT during a reload, not by fd passing");
        add("npn", true, Support.PARTIAL, "accepted; NPN is not negotiated (ALPN is)");
        for (String kw : new String[] {"namespace",
                "ca-sign-file", "ca-sign-pass", "tls-ticket-keys"}) {
            add(kw, true, Support.NOT_YET, "accepted and ignored");
        }
        for (String kw : new String[] {
                "no-tls-tickets", "prefer-client-ciphers", "allow-0rtt",
                "no-ca-names", "generate-certificates"}) {
            add(kw, false, Support.NOT_YET, "accepted and ignored");
        }
    }

    private BindKeywords() {
    }
}
