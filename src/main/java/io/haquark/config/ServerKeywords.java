package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keywords of {@code server} and {@code default-server} lines (configuration.txt §5.2),
 * one small parse function each. Unknown words are errors, known-but-unsupported ones
 * are kept in the server's options and listed in docs/compatibility.md.
 */
final class ServerKeywords {

    /** Parses the value(s) at words[i+1..] into the settings and returns how many words it used. */
    interface Parser {
        int parse(ServerSettings s, String kw, String[] w, int i);
    }

    record Def(String keyword, Support support, String note, Parser parser) {
    }

    static final Map<String, Def> KEYWORDS = new LinkedHashMap<>();

    private static void add(String kw, Support support, String note, Parser p) {
        KEYWORDS.put(kw, new Def(kw, support, note, p));
    }

    private static void flag(String kw, Support support, String note, java.util.function.BiConsumer<ServerSettings, Boolean> set) {
        add(kw, support, note, (s, k, w, i) -> {
            set.accept(s, true);
            return 0;
        });
    }

    /** A keyword we accept with one value and keep for later (TLS, resolvers, agent ...). */
    private static void kept(String kw, Support support, String note) {
        add(kw, support, note, (s, k, w, i) -> {
            s.options.put(k, value(w, i, k));
            return 1;
        });
    }

    private static void keptFlag(String kw, Support support, String note) {
        add(kw, support, note, (s, k, w, i) -> {
            s.options.put(k, "");
            return 0;
        });
    }

    static String value(String[] w, int i, String kw) {
        if (i + 1 >= w.length || w[i + 1].isEmpty()) {
            throw new KeywordError("'" + kw + "' expects an argument.");
        }
        return w[i + 1];
    }

    private static int time(String[] w, int i, String kw) {
        long v = Values.time(value(w, i, kw), kw);
        if (v == 0) {
            throw new KeywordError("'" + kw + "' has to be > 0.");
        }
        return (int) v;
    }

    private static int positive(String[] w, int i, String kw) {
        int v = Values.integer(value(w, i, kw), kw);
        if (v <= 0) {
            throw new KeywordError("'" + kw + "' has to be > 0.");
        }
        return v;
    }

    /** atol()-style like HAProxy: "lots" reads as 0, with a warning. */
    private static int lenient(ServerSettings s, String[] w, int i, String kw) {
        String text = i + 1 < w.length ? w[i + 1] : "";
        if (!Values.isCleanInteger(text)) {
            s.warnings.add("'" + kw + "' : '" + text + "' is not a plain integer; read as " + Values.atol(text) + " as HAProxy does.");
        }
        return (int) Values.atol(text);
    }

    private static int nonNegative(String[] w, int i, String kw) {
        int v = Values.integer(value(w, i, kw), kw);
        if (v < 0) {
            throw new KeywordError("'" + kw + "' has to be >= 0.");
        }
        return v;
    }

    static {
        add("weight", Support.SUPPORTED, null, (s, k, w, i) -> {
            int v = lenient(s, w, i, k);
            if (v < 0 || v > 256) {
                throw new KeywordError("weight of server is not within 0 and 256 (" + v + ").");
            }
            s.weight = v;
            return 1;
        });
        flag("backup", Support.SUPPORTED, null, (s, b) -> s.backup = b);
        flag("disabled", Support.SUPPORTED, null, (s, b) -> s.disabled = b);
        add("enabled", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.disabled = false;
            return 0;
        });
        flag("check", Support.SUPPORTED, null, (s, b) -> s.check = b);
        add("no-check", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.check = false;
            return 0;
        });
        add("inter", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.inter = time(w, i, k);
            return 1;
        });
        add("fastinter", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.fastinter = time(w, i, k);
            return 1;
        });
        add("downinter", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.downinter = time(w, i, k);
            return 1;
        });
        add("rise", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.rise = positive(w, i, k);
            return 1;
        });
        add("fall", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.fall = positive(w, i, k);
            return 1;
        });
        add("port", Support.SUPPORTED, null, (s, k, w, i) -> {
            int v = Values.integer(value(w, i, k), k);
            if (v < 1 || v > 65535) {
                throw new KeywordError("invalid port '" + w[i + 1] + "'");
            }
            s.checkPort = v;
            return 1;
        });
        add("addr", Support.SUPPORTED, null, (s, k, w, i) -> {
            String a = value(w, i, k);
            // HAProxy takes an address with a port here too; the port is the check port unless "port" says one.
            int colon = a.lastIndexOf(':');
            if (colon > 0 && a.indexOf(':') == colon && Values.isCleanInteger(a.substring(colon + 1))) {
                if (s.checkPort == 0) {
                    s.checkPort = Integer.parseInt(a.substring(colon + 1));
                }
                a = a.substring(0, colon);
            }
            if (!Addresses.isHost(a)) {
                throw new KeywordError("invalid address '" + value(w, i, k) + "' for 'addr'");
            }
            s.checkAddr = a;
            return 1;
        });
        add("maxconn", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.maxconn = Math.max(0, lenient(s, w, i, k));
            return i + 1 < w.length ? 1 : 0;
        });
        add("maxqueue", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.maxqueue = Math.max(0, lenient(s, w, i, k));
            return i + 1 < w.length ? 1 : 0;
        });
        add("minconn", Support.PARTIAL, "parsed; dynamic maxconn (fullconn) not applied", (s, k, w, i) -> {
            s.minconn = nonNegative(w, i, k);
            return 1;
        });
        add("slowstart", Support.PARTIAL, "parsed; weight ramp-up not applied yet", (s, k, w, i) -> {
            s.slowstart = (int) Values.time(value(w, i, k), k);
            return 1;
        });
        add("cookie", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.cookie = value(w, i, k);
            return 1;
        });
        add("redir", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.redir = value(w, i, k);
            return 1;
        });
        flag("ssl", Support.SUPPORTED, "TLS to the server (JDK TLS engine)", (s, b) -> s.ssl = b);
        add("no-ssl", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.ssl = false;
            return 0;
        });
        flag("check-ssl", Support.SUPPORTED, "checks over TLS (also implied by ssl without a check port)", (s, b) -> s.checkSsl = b);
        flag("send-proxy", Support.SUPPORTED, "PROXY protocol v1 header on each new connection (not pooled)", (s, b) -> s.sendProxy = b);
        flag("send-proxy-v2", Support.SUPPORTED, "PROXY protocol v2 header on each new connection (not pooled)", (s, b) -> s.sendProxyV2 = b);
        // send-proxy-v2-ssl[-cn]: the v2 header with the SSL TLV (and the client certificate's CN).
        for (String kw : new String[] {"send-proxy-v2-ssl", "send-proxy-v2-ssl-cn"}) {
            add(kw, Support.SUPPORTED, "PROXY protocol v2 header with the SSL TLV (TLS or not, version" + (kw.endsWith("cn") ? ", client certificate CN" : "") + ")",
                    (s, k, w, i) -> {
                        s.sendProxyV2 = true;
                        s.options.put(k, "");
                        return 0;
                    });
        }
        // The "no-" forms undo what a default-server line set (configuration.txt §5.2).
        add("no-backup", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.backup = false;
            return 0;
        });
        add("no-check-ssl", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.checkSsl = false;
            return 0;
        });
        add("no-send-proxy", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.sendProxy = false;
            return 0;
        });
        add("no-send-proxy-v2", Support.SUPPORTED, null, (s, k, w, i) -> {
            s.sendProxyV2 = false;
            return 0;
        });
        for (String kw : new String[] {"no-send-proxy-v2-ssl", "no-send-proxy-v2-ssl-cn", "no-agent-check", "no-check-send-proxy", "no-tfo"}) {
            String undone = kw.substring(3);
            add(kw, Support.SUPPORTED, null, (s, k, w, i) -> {
                s.options.remove(undone);
                if (undone.startsWith("send-proxy-v2-ssl")) {
                    s.sendProxyV2 = s.options.containsKey("send-proxy-v2-ssl") || s.options.containsKey("send-proxy-v2-ssl-cn");
                }
                return 0;
            });
        }
        // stick: the server's connections are stored in stick tables again (undoes non-stick).
        add("stick", Support.SUPPORTED, "undoes non-stick", (s, k, w, i) -> {
            s.options.remove("non-stick");
            return 0;
        });
        // NPN was superseded by ALPN; BoringSSL offers it to no server: the list is checked and kept.
        kept("npn", Support.PARTIAL, "accepted; NPN is not negotiated (ALPN is)");
        keptFlag("allow-0rtt", Support.PARTIAL, "accepted; no TLS early data is sent to servers");
        add("init-addr", Support.PARTIAL, "libc/last/none/<ip> accepted; none delays resolution", (s, k, w, i) -> {
            String v = value(w, i, k);
            s.options.put(k, v);
            s.resolveLater = v.contains("none") || v.contains("last");
            return 1;
        });
        add("resolvers", Support.PARTIAL, "names resolved once by the JVM; DNS resolvers sections not used", (s, k, w, i) -> {
            s.options.put(k, value(w, i, k));
            s.resolveLater = true;
            return 1;
        });
        add("verify", Support.SUPPORTED, "none or required", (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.equals("none") && !v.equals("required")) {
                throw new KeywordError("'verify' expects 'none' or 'required', got '" + v + "'.");
            }
            s.options.put(k, v);
            return 1;
        });
        add("ca-file", Support.SUPPORTED, "trusted CAs for verify required", (s, k, w, i) -> {
            s.options.put(k, value(w, i, k));
            return 1;
        });
        add("sni", Support.PARTIAL, "a sample expression evaluated when the connection opens (pooled connections keep theirs)",
                (s, k, w, i) -> {
                    s.options.put(k, value(w, i, k));
                    return 1;
                });
        add("check-sni", Support.SUPPORTED, "SNI of TLS health checks", (s, k, w, i) -> {
            s.options.put(k, value(w, i, k));
            return 1;
        });
        add("alpn", Support.SUPPORTED, "protocols offered over ALPN on an ssl server (h2 needs proto h2 too)", (s, k, w, i) -> {
            s.options.put(k, value(w, i, k));
            return 1;
        });
        muxProto("proto", "h2: HTTP/2 to the server, one request per connection (not multiplexed yet)");
        muxProto("check-proto", "h2 or h1: the protocol of HTTP health checks (else the server's proto); others warned");
        kept("crt", Support.SUPPORTED, "a client certificate (with its key, PEM) presented to the server over TLS; crt-base applies");
        kept("crl-file", Support.SUPPORTED, "CRLs checked for every certificate of the server's chain (with verify required and ca-file)");
        kept("verifyhost", Support.SUPPORTED, "the name the server's certificate must carry (else the SNI sent is checked)");
        for (String kw : new String[] {"ciphers", "ciphersuites", "ssl-min-ver", "ssl-max-ver"}) {
            kept(kw, Support.SUPPORTED, "TLS to the server (else ssl-default-server-*)");
        }
        kept("check-alpn", Support.NOT_YET, "checks offer the server's alpn");
        keptFlag("check-send-proxy", Support.SUPPORTED, "checks start with a PROXY header (UNKNOWN, or LOCAL with send-proxy-v2)");
        for (String kw : new String[] {"no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13",
                "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13"}) {
            keptFlag(kw, Support.SUPPORTED, "TLS versions offered to the server");
        }
        // non-stick (configuration.txt §5.2): connections to this server never go into a stick table.
        keptFlag("non-stick", Support.SUPPORTED, "its connections are never stored in stick tables");
        // pool-max-conn / max-reuse (configuration.txt §5.2): how many idle connections to the server are
        // kept (0: none, each request its own connection; -1: no limit), how many more streams an h2 one carries.
        for (String kw : new String[] {"pool-max-conn", "max-reuse"}) {
            add(kw, kw.equals("pool-max-conn") ? Support.SUPPORTED : Support.PARTIAL, kw.equals("pool-max-conn") ? "idle connections kept for the server (0: none, -1: no limit)"
                    : "HTTP/1 connections are not limited, as in HAProxy (compared); an HTTP/2 one carries at most that many streams after its first (not compared yet)", (s, k, w, i) -> {
                        String v = value(w, i, k);
                        if (!v.matches("-?[0-9]+") || Long.parseLong(v) < -1 || Long.parseLong(v) > Integer.MAX_VALUE) {
                            throw new KeywordError("'" + k + "' expects <value> as argument.");
                        }
                        s.options.put(k, v);
                        return 1;
                    });
        }
        kept("tcp-ut", Support.PARTIAL, "TCP_USER_TIMEOUT on server connections (set; not observable in tests)");
        keptFlag("tfo", Support.PARTIAL, "TCP_FASTOPEN_CONNECT on server connections (set; not compared)");
        for (String kw : new String[] {"ssl-reuse",
                "no-ssl-reuse", "no-tls-tickets", "tls-tickets"}) {
            keptFlag(kw, Support.NOT_YET, "accepted and ignored");
        }
        // proxy-v2-options <opt>[,<opt>]* (configuration.txt §5.2): TLVs added to the PROXY v2 header.
        add("proxy-v2-options", Support.PARTIAL, "unique-id, authority (the client's SNI), ssl with cert-cn, cert-key, cert-sig and ssl-cipher are sent as HAProxy sends them (and the client's ALPN always); crc32c is accepted and not sent yet",
                (s, k, w, i) -> {
                    String v = value(w, i, k);
                    for (String o : v.split(",")) {
                        if (!java.util.Set.of("ssl", "cert-cn", "ssl-cipher", "cert-sig", "cert-key", "authority", "crc32c",
                                "unique-id").contains(o)) {
                            throw new io.haquark.model.KeywordError("'proxy-v2-options' : bad option '" + o + "'");
                        }
                    }
                    s.options.put(k, v);
                    return 1;
                });
        // configuration.txt §5.2 "agent-check": a TCP agent answers a line of weight, maxconn, admin and
        // operational words that the server then follows.
        keptFlag("agent-check", Support.SUPPORTED, "the agent's answer sets weight (n%), maxconn:n, ready/drain/maint and up/down/failed/stopped");
        add("agent-port", Support.SUPPORTED, "the agent's TCP port (required by agent-check)", (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 65535) {
                throw new io.haquark.model.KeywordError("'agent-port' expects a port number as argument.");
            }
            s.options.put(k, v);
            return 1;
        });
        kept("agent-addr", Support.SUPPORTED, "the agent's address (the server's by default)");
        kept("agent-send", Support.SUPPORTED, "the string sent to the agent once connected");
        add("agent-inter", Support.SUPPORTED, "the interval between two agent checks (inter by default)", (s, k, w, i) -> {
            String v = value(w, i, k);
            s.options.put(k, Long.toString(time(w, i, k)));
            return 1;
        });
        // on-marked-down shutdown-sessions / on-marked-up shutdown-backup-sessions (configuration.txt §5.2).
        oneValue("on-marked-down", "shutdown-sessions", "a server found down by its check has its connections closed");
        oneValue("on-marked-up", "shutdown-backup-sessions", "an active server back up closes the backups' connections");
        add("source", Support.PARTIAL, "the address (and port) this server's connections leave from; a port range lets the kernel pick; 'usesrc' and 'interface' not yet (warned)", (s, k, w, i) -> {
            if (i + 1 >= w.length || w[i + 1].isEmpty()) {
                throw new KeywordError("'source' expects <addr>[:<port>[-<port>]], and optionally 'usesrc' <addr>, and 'interface' <name> as argument..");
            }
            s.options.put(k, ProxyKeywords.sourceAddress(w[i + 1], true));
            return 1;
        });
        kept("track", Support.SUPPORTED, "[<backend>/]<server>: the state (up, down, maintenance) of a checked server is this one's");
        // observe / error-limit / on-error (configuration.txt §5.2): errors in the traffic count like checks.
        add("observe", Support.SUPPORTED, "layer4: connection failures; layer7: also 5xx answers (but 501, 505)", (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.equals("layer4") && !v.equals("layer7")) {
                throw new KeywordError("'observe' expects one of 'none', 'layer4', 'layer7' but got '" + v + "'");
            }
            s.options.put(k, v);
            return 1;
        });
        add("error-limit", Support.SUPPORTED, "consecutive observed errors before on-error (10)", (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.matches("[0-9]+") || Integer.parseInt(v) < 1) {
                throw new KeywordError("'error-limit' expects an integer argument.");
            }
            s.options.put(k, v);
            return 1;
        });
        add("on-error", Support.SUPPORTED, "fastinter, fail-check (default), sudden-death, mark-down", (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!java.util.Set.of("fastinter", "fail-check", "sudden-death", "mark-down").contains(v)) {
                throw new KeywordError("'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or 'mark-down' but got '" + v + "'");
            }
            s.options.put(k, v);
            return 1;
        });
        add("pool-purge-delay", Support.PARTIAL, "every delay half of the server's idle connections on each event loop are closed, the longest idle first (HAProxy weighs its estimate of the need; not compared)", (sv, k, w, i) -> {
            String v = value(w, i, k);
            Values.time(v, k);
            sv.options.put(k, v);
            return 1;
        });
        // socks4 <addr>:<port>: connections to the server go through a SOCKS4 proxy; check-via-socks4: checks too.
        add("socks4", Support.SUPPORTED, "the server is reached through this SOCKS4 proxy (CONNECT with the user id \"HAProxy\", as HAProxy sends it)", (sv, k, w, i) -> {
            String v = value(w, i, k);
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || !v.substring(colon + 1).matches("[0-9]+")) {
                throw new KeywordError("'socks4' : missing port number: '" + v + "'");
            }
            sv.options.put(k, v);
            return 1;
        });
        keptFlag("check-via-socks4", Support.SUPPORTED, "health checks go through the socks4 proxy too");
        // id <n>: the server's number (srv_id, sid, consistent hashing's placement); unique in its backend.
        add("id", Support.SUPPORTED, "the server's id (srv_id, stats sid, consistent hashing), else the first free number from 1", (s, k, w, i) -> {
            String v = i + 1 < w.length ? w[i + 1] : "";
            if (!v.matches("[0-9]+") || Long.parseLong(v) <= 0 || Long.parseLong(v) > Integer.MAX_VALUE) {
                throw new KeywordError("'id' : custom id has to be > 0.");
            }
            s.options.put(k, v);
            return 1;
        });
        for (String kw : new String[] {"resolve-prefer", "resolve-net", "resolve-opts", "namespace",
                "ws", "pool-low-conn", "usesrc",
                "log-proto"}) {
            kept(kw, Support.NOT_YET, "accepted and ignored");
        }
    }

    /** "proto" / "check-proto <name>": h1 and h2 are kept, other multiplexers (fcgi ...) warned as not yet. */
    private static void muxProto(String kw, String note) {
        add(kw, Support.PARTIAL, note, (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.equals("h2") && !v.equals("h1")) {
                s.warnings.add("server option '" + kw + " " + v + "' is not supported by haquark yet, ignored (see docs/compatibility.md).");
            }
            s.options.put(k, v);
            return 1;
        });
    }

    /** A keyword whose only value HAProxy 2.6 knows is {@code only}, kept in the server's options. */
    private static void oneValue(String kw, String only, String note) {
        add(kw, Support.SUPPORTED, only + ": " + note, (s, k, w, i) -> {
            String v = value(w, i, k);
            if (!v.equals(only)) {
                throw new io.haquark.model.KeywordError("'" + kw + "' expects '" + only + "' but got '" + v + "'");
            }
            s.options.put(k, v);
            return 1;
        });
    }

    private ServerKeywords() {
    }
}
