package io.haquark.acl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sample fetches by name (configuration.txt §7.3.2-7.3.6), and the ACL-only derived
 * names like {@code path_beg} = {@code path} + {@code -m beg} (§7.3.6 "ACL derivatives").
 */
public final class FetchRegistry {

    public record Def(String name, SampleType type, int minArgs, int maxArgs, Function<List<String>, Fetch> factory) {
    }

    /** A derived ACL keyword: its base fetch and implied match method. */
    public record Derived(String base, String match) {
    }

    private static final Map<String, Def> FETCHES = new HashMap<>();
    private static final String HOSTNAME = hostname();

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
    private static final Map<String, Derived> DERIVED = new HashMap<>();

    private static void add(String name, SampleType type, int min, int max, Function<List<String>, Fetch> f) {
        FETCHES.put(name, new Def(name, type, min, max, f));
    }

    private static void simple(String name, SampleType type, Fetch f) {
        add(name, type, 0, 0, a -> f);
    }

    private static final Map<String, String> NOT_YET = new HashMap<>();

    /** How a family of fetches kept in a class of its own registers here. */
    interface Access {
        void simple(String name, SampleType type, Fetch f);

        void add(String name, SampleType type, int minArgs, int maxArgs, Function<List<String>, Fetch> factory);
    }

    /** What a fetch needs that only one side of a transaction has (HAProxy's validity masks, as its errors name them). */
    private static final Map<String, String> NEEDS = new HashMap<>();

    static {
        for (String n : List.of("req.hdr", "req.fhdr", "req.hdr_cnt", "req.fhdr_cnt", "req.hdr_ip", "req.hdr_val", "req.hdrs",
                "req.hdrs_bin", "req.cook", "req.cook_cnt", "req.cook_val", "cook", "cook_cnt", "cook_val", "path", "pathq",
                "url", "url_ip", "url_port", "url_param", "urlp", "urlp_val", "url32", "url32+src", "base", "base32",
                "base32+src", "query", "http_auth", "http_auth_group", "http_auth_type", "http_auth_user", "http_auth_pass")) {
            NEEDS.put(n, "HTTP request headers");
        }
        for (String n : List.of("res.hdr", "res.fhdr", "res.hdr_cnt", "res.fhdr_cnt", "res.hdr_ip", "res.hdr_val", "res.hdrs",
                "res.cook", "res.cook_cnt", "res.cook_val", "shdr", "shdr_cnt", "shdr_ip", "shdr_val", "scook", "scook_cnt",
                "scook_val", "set-cookie", "res.ver", "resp.ver")) {
            NEEDS.put(n, "HTTP response headers");
        }
        NEEDS.put("status", "HTTP response");
        for (String n : List.of("ssl_bc", "ssl_bc_protocol", "ssl_bc_cipher", "ssl_bc_alg_keysize", "ssl_bc_use_keysize",
                "ssl_bc_session_id", "ssl_bc_client_random", "ssl_bc_server_random", "ssl_bc_session_key", "ssl_bc_unique_id",
                "ssl_bc_is_resumed", "ssl_bc_alpn", "ssl_bc_npn", "ssl_s_der", "ssl_s_chain_der", "ssl_s_version", "ssl_s_serial",
                "ssl_s_sha1", "ssl_s_notbefore", "ssl_s_notafter", "ssl_s_sig_alg", "ssl_s_key_alg", "ssl_s_s_dn", "ssl_s_i_dn")) {
            NEEDS.put(n, "server-side connection");
        }
    }

    /**
     * Null when the fetch may be used in that phase, else what it needs (for HAProxy's
     * "may not be reliably used here because it needs '...' which is not available here").
     */
    public static String unavailable(String name, SamplePhase phase) {
        String needs = NEEDS.get(name);
        if (needs == null || phase == SamplePhase.ANY) {
            return null;
        }
        boolean request = needs.equals("HTTP request headers");
        return (phase == SamplePhase.HTTP_RESPONSE) == request ? needs : null;
    }

    /** A fetch HAProxy has and haquark cannot answer yet: accepted, no sample, a warning where an ACL uses it. */
    private static void notYet(String name, SampleType type, String why) {
        simple(name, type, s -> null);
        NOT_YET.put(name, why);
    }

    /** Why a fetch is not supported yet, or null when it is. */
    public static String notYet(String name) {
        return NOT_YET.get(name);
    }

    private static void derive(String base, String... suffixes) {
        for (String sfx : suffixes) {
            DERIVED.put(base + "_" + sfx, new Derived(base, sfx));
        }
    }

    static int occurrence(List<String> args, int i) {
        if (args.size() <= i || args.get(i).isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(args.get(i));
        } catch (NumberFormatException e) {
            throw new AclException("invalid occurrence '" + args.get(i) + "'");
        }
    }

    private static Fetch header(List<String> args) {
        if (args.isEmpty()) {
            // hdr without a name: every header value is not supported in ACLs.
            throw new AclException("missing header name");
        }
        String name = args.get(0);
        int occ = occurrence(args, 1);
        if (occ != 0) {
            return s -> s.header(name, occ);
        }
        return s -> {
            List<String> v = s.headerValues(name);
            return v.isEmpty() ? null : v;
        };
    }

    private static Fetch occurrences(List<String> args, java.util.function.BiFunction<SampleSource, String, List<String>> values) {
        String name = args.isEmpty() ? "" : args.get(0);
        int occ = occurrence(args, 1);
        return s -> {
            List<String> v = values.apply(s, name);
            if (v.isEmpty()) {
                return null;
            }
            if (occ == 0) {
                return v;
            }
            int idx = occ > 0 ? occ - 1 : v.size() + occ;
            return idx >= 0 && idx < v.size() ? v.get(idx) : null;
        };
    }

    private static String tlvText(byte[] v) {
        return v == null ? null : new String(v, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static Fetch headerIp(List<String> args, java.util.function.BiFunction<SampleSource, String, List<String>> values) {
        String name = args.get(0);
        int occ = args.size() > 1 ? occurrence(args, 1) : -1;
        return s -> {
            List<String> v = values.apply(s, name);
            int idx = occ > 0 ? occ - 1 : v.size() + occ;
            return idx >= 0 && idx < v.size() ? ipOf(v.get(idx)) : null;
        };
    }

    /** An address literal, "a.b.c.d:port" or "[v6]" / "[v6]:port" as a header carries it; null otherwise (no lookup). */
    static java.net.InetAddress ipOf(String text) {
        String t = text.trim();
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            t = end < 0 ? t : t.substring(1, end);
        } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':'));
        }
        // A literal with a colon is never looked up; an IPv4-mapped IPv6 address comes back as IPv4, as HAProxy maps it.
        if (!io.haquark.model.IpLiterals.isIpv4(t) && (t.indexOf(':') < 0 || !t.matches("[0-9a-fA-F:.]+"))) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static Fetch fullHeader(List<String> args) {
        String name = args.get(0);
        int occ = occurrence(args, 1);
        return s -> {
            List<String> v = s.fullHeaderValues(name);
            if (v.isEmpty()) {
                return null;
            }
            if (occ == 0) {
                return v;
            }
            int idx = occ > 0 ? occ - 1 : v.size() + occ;
            return idx >= 0 && idx < v.size() ? v.get(idx) : null;
        };
    }

    private static Fetch headerCount(List<String> args) {
        String name = args.isEmpty() ? null : args.get(0);
        return s -> (long) (name == null ? 0 : s.headerValues(name).size());
    }

    private static Fetch headerValue(List<String> args) {
        Fetch h = header(args.isEmpty() ? List.of("") : args.size() == 1 ? List.of(args.get(0), "-1") : args);
        return s -> {
            Object v = h.fetch(s);
            if (v == null) {
                return null;
            }
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        };
    }

    private static Fetch cookie(List<String> args) {
        String name = args.isEmpty() ? "" : args.get(0);
        return s -> {
            List<String> found = new ArrayList<>(1);
            for (String line : s.fullHeaderValues("cookie")) {
                for (String part : line.split(";")) {
                    String p = part.trim();
                    int eq = p.indexOf('=');
                    String n = eq < 0 ? p : p.substring(0, eq);
                    if (name.isEmpty() || n.equals(name)) {
                        found.add(eq < 0 ? "" : p.substring(eq + 1));
                    }
                }
            }
            return found.isEmpty() ? null : found;
        };
    }

    private static Fetch urlParam(List<String> args) {
        String name = args.isEmpty() ? "" : args.get(0);
        String delims = args.size() > 1 ? args.get(1) : "&";
        return s -> {
            String q = s.query();
            return q == null ? null : param(q, name, delims);
        };
    }

    /** The value of the first parameter called name ("" for the first one) in name=value pairs cut by delims. */
    static String param(String text, String name, String delims) {
        int start = 0;
        while (start <= text.length()) {
            int end = start;
            while (end < text.length() && delims.indexOf(text.charAt(end)) < 0) {
                end++;
            }
            String part = text.substring(start, end);
            int eq = part.indexOf('=');
            String n = eq < 0 ? part : part.substring(0, eq);
            if (name.isEmpty() || n.equals(name)) {
                return eq < 0 ? "" : part.substring(eq + 1);
            }
            start = end + 1;
        }
        return null;
    }

    private static String host(SampleSource s) {
        String h = s.header("host", -1);
        return h;
    }

    static {
        simple("always_true", SampleType.BOOLEAN, s -> Boolean.TRUE);
        simple("always_false", SampleType.BOOLEAN, s -> Boolean.FALSE);
        simple("method", SampleType.METHOD, SampleSource::method);
        simple("path", SampleType.STRING, SampleSource::path);
        simple("url", SampleType.STRING, SampleSource::uri);
        simple("query", SampleType.STRING, SampleSource::query);
        simple("base", SampleType.STRING, s -> {
            String h = host(s);
            return h == null ? s.path() : h + s.path();
        });
        simple("pathq", SampleType.STRING, s -> s.query() == null ? s.path() : s.path() + "?" + s.query());
        add("url_param", SampleType.STRING, 0, 2, FetchRegistry::urlParam);
        add("urlp", SampleType.STRING, 0, 2, FetchRegistry::urlParam);
        add("urlp_val", SampleType.INTEGER, 0, 2, a -> {
            Fetch f = urlParam(a);
            return s -> {
                Object v = f.fetch(s);
                try {
                    return v == null ? null : Long.parseLong(v.toString());
                } catch (NumberFormatException e) {
                    return null;
                }
            };
        });
        add("hdr", SampleType.STRING, 0, 2, FetchRegistry::header);
        add("req.hdr", SampleType.STRING, 0, 2, FetchRegistry::header);
        add("req.fhdr", SampleType.STRING, 1, 2, FetchRegistry::fullHeader);
        add("fhdr", SampleType.STRING, 1, 2, FetchRegistry::fullHeader);
        // hdr_ip / req.hdr_ip / res.hdr_ip / shdr_ip (§7.3.6): the value (last occurrence by default)
        // as an address; an IPv4 address may carry ":port", which is ignored.
        for (String n : List.of("hdr_ip", "req.hdr_ip")) {
            add(n, SampleType.IP, 1, 2, a -> headerIp(a, SampleSource::headerValues));
        }
        for (String n : List.of("res.hdr_ip", "shdr_ip")) {
            add(n, SampleType.IP, 1, 2, a -> headerIp(a, SampleSource::responseHeaderValues));
        }
        add("hdr_cnt", SampleType.INTEGER, 0, 1, FetchRegistry::headerCount);
        add("req.hdr_cnt", SampleType.INTEGER, 0, 1, FetchRegistry::headerCount);
        add("req.fhdr_cnt", SampleType.INTEGER, 0, 1, a -> {
            String name = a.isEmpty() ? "" : a.get(0);
            return s -> (long) s.fullHeaderValues(name).size();
        });
        add("hdr_val", SampleType.INTEGER, 1, 2, FetchRegistry::headerValue);
        add("req.hdr_val", SampleType.INTEGER, 1, 2, FetchRegistry::headerValue);
        add("hdr_ip", SampleType.IP, 1, 2, a -> {
            Fetch h = header(a.size() == 1 ? List.of(a.get(0), "-1") : a);
            return s -> {
                Object v = h.fetch(s);
                return v == null ? null : Patterns.parseIp(v.toString().trim());
            };
        });
        add("req.cook", SampleType.STRING, 0, 1, FetchRegistry::cookie);
        add("cook", SampleType.STRING, 0, 1, FetchRegistry::cookie);
        add("req.cook_cnt", SampleType.INTEGER, 0, 1, a -> {
            Fetch c = cookie(a);
            return s -> {
                Object v = c.fetch(s);
                return v == null ? 0L : (long) ((List<?>) v).size();
            };
        });
        add("cook_cnt", SampleType.INTEGER, 0, 1, a -> FETCHES.get("req.cook_cnt").factory().apply(a));
        add("req.cook_val", SampleType.INTEGER, 0, 1, a -> {
            Fetch c = cookie(a);
            return s -> {
                Object v = c.fetch(s);
                try {
                    return v == null ? null : Long.parseLong(((List<?>) v).get(0).toString());
                } catch (NumberFormatException e) {
                    return null;
                }
            };
        });
        simple("unique-id", SampleType.STRING, SampleSource::uniqueId);
        simple("src", SampleType.IP, s -> s.source() == null ? null : s.source().getAddress());
        simple("src_port", SampleType.INTEGER, s -> s.source() == null ? null : (long) s.source().getPort());
        simple("dst", SampleType.IP, s -> s.destination() == null ? null : s.destination().getAddress());
        simple("dst_port", SampleType.INTEGER, s -> s.destination() == null ? null : (long) s.destination().getPort());
        simple("req.ver", SampleType.STRING, SampleSource::version);
        simple("req_ver", SampleType.STRING, SampleSource::version);
        // configuration.txt "req.proto_http": in TCP content rules, whether the bytes read so far start
        // with an HTTP request line (the HTTP/2 preface "PRI * HTTP/2.0" is one too).
        simple("req.proto_http", SampleType.BOOLEAN, s -> s.method() != null || looksLikeHttp(s.payload()));
        simple("internal.strm.is_htx", SampleType.BOOLEAN, SampleSource::httpStream);
        simple("req_proto_http", SampleType.BOOLEAN, s -> s.method() != null);
        simple("req.len", SampleType.INTEGER, s -> s.payload() == null ? s.httpRequestLength() : (long) s.payload().length);
        simple("req_len", SampleType.INTEGER, s -> s.payload() == null ? s.httpRequestLength() : (long) s.payload().length);
        simple("wait_end", SampleType.BOOLEAN, s -> Boolean.TRUE);
        simple("req.ssl_sni", SampleType.STRING, s -> ClientHello.sni(s.payload()));
        simple("req_ssl_sni", SampleType.STRING, s -> ClientHello.sni(s.payload()));
        simple("ssl_fc", SampleType.BOOLEAN, SampleSource::tlsConnection);
        Access access = new Access() {
            @Override
            public void simple(String name, SampleType type, Fetch f) {
                FetchRegistry.simple(name, type, f);
            }

            @Override
            public void add(String name, SampleType type, int minArgs, int maxArgs, Function<List<String>, Fetch> factory) {
                FetchRegistry.add(name, type, minArgs, maxArgs, factory);
            }
        };
        Certificates.register(access);
        TlsFetches.register(access);
        for (String side : new String[] {"fc", "bc"}) {
            for (String f : new String[] {"client_random", "server_random", "session_key", "unique_id", "is_resumed"}) {
                notYet("ssl_" + side + "_" + f, f.equals("is_resumed") ? SampleType.BOOLEAN : SampleType.BINARY,
                        "the TLS library's handshake internals are not exposed to haquark");
            }
        }
        notYet("ssl_bc_alpn", SampleType.STRING, "the ALPN chosen with a server is not exposed to samples");
        notYet("ssl_bc_npn", SampleType.STRING, "NPN is not offered");
        notYet("ssl_fc_npn", SampleType.STRING, "NPN is not offered");
        for (String f : new String[] {"bin", "hex", "str", "xxh"}) {
            notYet("ssl_fc_cipherlist_" + f, f.equals("xxh") ? SampleType.INTEGER : SampleType.BINARY,
                    "the client's cipher list is not captured (tune.ssl.capture-buffer-size)");
        }
        notYet("ssl_fc_protocol_hello_id", SampleType.INTEGER, "the client hello is not captured");
        StateFetches.register(access);
        MoreFetches.register(access);
        simple("ssl_fc_sni", SampleType.STRING, SampleSource::sniHost);
        simple("ssl_fc_alpn", SampleType.STRING, SampleSource::tlsAlpn);
        simple("ssl_fc_protocol", SampleType.STRING, SampleSource::tlsProtocol);
        simple("req.ssl_hello_type", SampleType.INTEGER, s -> ClientHello.helloType(s.payload()));
        simple("req_ssl_hello_type", SampleType.INTEGER, s -> ClientHello.helloType(s.payload()));
        simple("req.ssl_ver", SampleType.INTEGER, s -> ClientHello.version(s.payload()));
        simple("req_ssl_ver", SampleType.INTEGER, s -> ClientHello.version(s.payload()));
        PayloadFetches.register(access);
        ContentFetches.register(access);
        ConnectionFetches.register(access);
        // "cookie" (deprecated): the request's cookie, or once there is a response the Set-Cookie one.
        add("cookie", SampleType.STRING, 0, 1, a -> {
            Fetch req = cookie(a);
            Fetch res = FETCHES.get("res.cook").factory().apply(a);
            return s -> s.status() == 0 ? req.fetch(s) : res.fetch(s);
        });
        add("cook_val", SampleType.INTEGER, 0, 1, a -> FETCHES.get("req.cook_val").factory().apply(a));
        notYet("res.cache_hit", SampleType.BOOLEAN, "the HTTP cache is not built yet");
        notYet("res.cache_name", SampleType.STRING, "the HTTP cache is not built yet");
        notYet("res.comp", SampleType.BOOLEAN, "HTTP compression is not built yet");
        notYet("res.comp_algo", SampleType.STRING, "HTTP compression is not built yet");
        notYet("fcgi.docroot", SampleType.STRING, "FastCGI applications are not built yet");
        notYet("fcgi.index", SampleType.STRING, "FastCGI applications are not built yet");
        for (String f : new String[] {"client_early_traffic_secret", "client_handshake_traffic_secret", "client_traffic_secret_0",
            "early_exporter_secret", "exporter_secret", "server_handshake_traffic_secret", "server_traffic_secret_0"}) {
            notYet("ssl_fc_" + f, SampleType.STRING, "TLS secrets are not exposed (tune.ssl.keylog)");
        }
        for (String f : new String[] {"ecformats_bin", "eclist_bin", "extlist_bin"}) {
            notYet("ssl_fc_" + f, SampleType.BINARY, "the client hello is not captured (tune.ssl.capture-buffer-size)");
        }
        // The server's handshake type: 2 for a ServerHello, read as the client's (configuration.txt §7.3.5).
        simple("res.ssl_hello_type", SampleType.INTEGER, s -> s.responsePayload() == null ? null : ClientHello.helloType(s.responsePayload()));
        simple("rep_ssl_hello_type", SampleType.INTEGER, s -> s.responsePayload() == null ? null : ClientHello.helloType(s.responsePayload()));
        simple("fe_name", SampleType.STRING, SampleSource::frontendName);
        simple("be_name", SampleType.STRING, SampleSource::backendName);
        simple("srv_name", SampleType.STRING, s -> s.server() == null ? null : s.server().name());
        simple("srv_id", SampleType.INTEGER, s -> s.server() == null ? null : (long) s.server().id());
        simple("so_name", SampleType.STRING, SampleSource::bindName);
        // fc_*: the client connection's own addresses (src/dst are the stream's, set-src may change them).
        simple("fc_src", SampleType.IP, s -> s.frontSource() == null ? null : s.frontSource().getAddress());
        simple("fc_dst", SampleType.IP, s -> s.frontDestination() == null ? null : s.frontDestination().getAddress());
        simple("fc_src_port", SampleType.INTEGER, s -> s.frontSource() == null ? null : (long) s.frontSource().getPort());
        simple("fc_dst_port", SampleType.INTEGER, s -> s.frontDestination() == null ? null : (long) s.frontDestination().getPort());
        // fc_pp_authority / fc_pp_unique_id: TLVs 0x02 and 0x05 of the PROXY v2 header (§7.3.3).
        simple("fc_pp_authority", SampleType.STRING, s -> tlvText(s.proxyTlv(0x02)));
        simple("fc_pp_unique_id", SampleType.STRING, s -> tlvText(s.proxyTlv(0x05)));
        simple("last_rule_file", SampleType.STRING, s -> s.lastRule() == null ? null : s.lastRule().file());
        simple("last_rule_line", SampleType.INTEGER, s -> s.lastRule() == null ? null : (long) s.lastRule().line());
        simple("be_server_timeout", SampleType.INTEGER, SampleSource::backendServerTimeout);
        simple("cur_server_timeout", SampleType.INTEGER, SampleSource::currentServerTimeout);
        simple("status", SampleType.INTEGER, s -> s.status() == 0 ? null : (long) s.status());
        // res.hdr / shdr: comma-split values; res.fhdr: whole lines; all occurrences without an occurrence
        // number (an ACL matches any, a log-format prints the last), as hdr() and fhdr() on requests.
        add("res.hdr", SampleType.STRING, 0, 2, a -> occurrences(a, SampleSource::responseHeaderValues));
        add("shdr", SampleType.STRING, 0, 2, a -> occurrences(a, SampleSource::responseHeaderValues));
        add("res.fhdr", SampleType.STRING, 1, 2, a -> occurrences(a, SampleSource::responseFullHeaderValues));
        add("nbsrv", SampleType.INTEGER, 0, 1, a -> {
            String be = a.isEmpty() ? null : a.get(0);
            return s -> {
                String name = be == null ? s.backendName() : be;
                int n = name == null ? 0 : s.usableServers(name);
                return (long) Math.max(n, 0);
            };
        });
        // var(name[,default]): the default is a string sample when the variable is not set.
        add("var", SampleType.STRING, 1, 2, a -> {
            String name = a.get(0).trim();
            if (io.haquark.state.Variables.Scope.of(name) == null) {
                throw new AclException("invalid variable name '" + name + "'. A variable name must be start by its scope. "
                        + "The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'.");
            }
            String dflt = a.size() > 1 ? a.get(1) : null;
            return dflt == null ? s -> s.variable(name) : s -> {
                Object v = s.variable(name);
                return v != null ? v : dflt;
            };
        });
        add("http_auth", SampleType.BOOLEAN, 1, 1, a -> s -> s.httpAuthGroups(a.get(0)) != null);
        // ACLs match the patterns (group names) against the valid user's groups.
        add("http_auth_group", SampleType.STRING, 1, 1, a -> s -> {
            List<String> g = s.httpAuthGroups(a.get(0));
            return g == null || g.isEmpty() ? null : g;
        });
        add("int", SampleType.INTEGER, 1, 1, a -> {
            long v = Long.parseLong(a.get(0));
            return s -> v;
        });
        add("str", SampleType.STRING, 1, 1, a -> {
            String v = a.get(0);
            return s -> v;
        });
        // bool(true|false|1|0), bin(hex), ipv4(a), ipv6(a), meth(m): constants (§7.3.2).
        add("bool", SampleType.BOOLEAN, 1, 1, a -> {
            String w = a.get(0).trim();
            if (!List.of("true", "false", "1", "0").contains(w)) {
                throw new AclException("fetch method 'bool' : failed to parse '" + w + "' as type 'boolean'");
            }
            boolean v = w.equals("true") || w.equals("1");
            return s -> v;
        });
        add("bin", SampleType.BINARY, 1, 1, a -> {
            String hex = a.get(0).trim();
            if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*")) {
                throw new AclException("fetch method 'bin' : failed to parse '" + hex + "' as type 'binary'");
            }
            byte[] v = java.util.HexFormat.of().parseHex(hex);
            return s -> v.clone();
        });
        for (String ip : List.of("ipv4", "ipv6")) {
            add(ip, SampleType.IP, 1, 1, a -> {
                String text = a.get(0).trim();
                boolean ok = ip.equals("ipv4") ? io.haquark.model.IpLiterals.isIpv4(text) : io.haquark.model.IpLiterals.isIpv6(text);
                if (!ok) {
                    throw new AclException("fetch method '" + ip + "' : failed to parse '" + text + "' as type '" + ip + "'");
                }
                java.net.InetAddress v;
                try {
                    v = java.net.InetAddress.getByName(text);   // a literal: no name lookup
                } catch (java.net.UnknownHostException e) {
                    throw new AclException("fetch method '" + ip + "' : failed to parse '" + text + "'");
                }
                return s -> v;
            });
        }
        add("meth", SampleType.STRING, 1, 1, a -> {
            String v = a.get(0).trim();
            return s -> v;
        });
        add("env", SampleType.STRING, 1, 1, a -> {
            String name = a.get(0);
            return s -> System.getenv(name);
        });
        add("date", SampleType.INTEGER, 0, 2, a -> {
            long offset = a.isEmpty() || a.get(0).isEmpty() ? 0 : Long.parseLong(a.get(0));
            return s -> System.currentTimeMillis() / 1000 + offset;
        });
        add("rand", SampleType.INTEGER, 0, 1, a -> {
            long range = a.isEmpty() ? 1L << 32 : Long.parseLong(a.get(0));
            return s -> java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(range, 1));
        });
        add("uuid", SampleType.STRING, 0, 1, a -> s -> java.util.UUID.randomUUID().toString());
        simple("hostname", SampleType.STRING, s -> HOSTNAME);
        add("http_auth_bearer", SampleType.STRING, 0, 1, a -> {
            String hdr = a.isEmpty() || a.get(0).isEmpty() ? "authorization" : a.get(0);
            return s -> {
                String v = s.header(hdr, -1);
                return v != null && v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : null;
            };
        });
        simple("nbproc", SampleType.INTEGER, s -> 1L);
        simple("http_first_req", SampleType.BOOLEAN, SampleSource::firstRequest);
        // The body the proxy holds when the rules run: all of it (or its first part) after
        // http-request wait-for-body, otherwise what came before the server connection.
        simple("req.body", SampleType.BINARY, s -> {
            byte[] b = s.requestBody();
            return b == null ? null : new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        });
        simple("req.body_len", SampleType.INTEGER, s -> {
            byte[] b = s.requestBody();
            return b == null ? null : (long) b.length;
        });
        simple("req.body_size", SampleType.INTEGER, s -> ContentFetches.bodySize(s.header("content-length", -1), s.requestBody()));
        for (String dir : new String[] {"req", "res"}) {
            boolean response = dir.equals("res");
            add("capture." + dir + ".hdr", SampleType.STRING, 1, 1, a -> {
                int slot = occurrence(a, 0);
                return s -> s.captured(response, slot);
            });
        }
        simple("capture.req.uri", SampleType.STRING, SampleSource::uri);
        simple("capture.req.method", SampleType.STRING, SampleSource::method);
        derive("path", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("url", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("base", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("hdr", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("cook", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("scook", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("ssl_fc_sni", "end", "reg");
        DERIVED.put("req_rdp_cookie", new Derived("req.rdp_cookie", "str"));
        DERIVED.put("req_rdp_cookie_cnt", new Derived("req.rdp_cookie_cnt", "int"));
        derive("urlp", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("url_param", "beg", "end", "sub", "reg", "dir", "dom", "len");
        derive("shdr", "beg", "end", "sub", "reg", "dir", "dom", "len");
    }

    /**
     * Stick-table fetches (sc_*, scN_*, src_* counters, table_*): valid HAProxy, not
     * implemented yet; they evaluate as absent. {@link #isStickTableFetch} lets callers warn.
     */
    private static final java.util.regex.Pattern STICK_TABLE = java.util.regex.Pattern.compile(
            "(sc[0-2]?|src|table)_[a-z0-9_]+");

    public static boolean isStickTableFetch(String name) {
        return !FETCHES.containsKey(name) && !isImplementedStickFetch(name) && STICK_TABLE.matcher(name).matches();
    }

    /** True for the stick-table fetches haquark implements (configuration.txt §7.3.3 sc_*, scN_*, src_*). */
    public static boolean isImplementedStickFetch(String name) {
        return StickCounterFetches.knows(name);
    }

    private static Def stickFetch(String name) {
        return StickCounterFetches.fetch(name);
    }

    public static Def fetch(String name) {
        Def d = FETCHES.get(name);
        if (d == null) {
            d = stickFetch(name);
        }
        if (d == null && isStickTableFetch(name)) {
            return new Def(name, SampleType.INTEGER, 0, 3, a -> s -> null);
        }
        return d;
    }

    public static Derived derived(String name) {
        Derived d = DERIVED.get(name);
        return d != null && FETCHES.containsKey(d.base()) ? d : null;
    }

    private FetchRegistry() {
    }

    /** "METHOD SP target SP HTTP/d.d" CRLF at the start of the data. */
    static boolean looksLikeHttp(byte[] data) {
        if (data == null) {
            return false;
        }
        int i = 0;
        while (i < data.length && data[i] > ' ' && data[i] < 127 && data[i] != ':') {
            i++;
        }
        if (i == 0 || i >= data.length || data[i] != ' ') {
            return false;
        }
        int target = ++i;
        while (i < data.length && data[i] > ' ' && data[i] < 127) {
            i++;
        }
        if (i == target || i >= data.length || data[i] != ' ') {
            return false;
        }
        i++;
        byte[] v = "HTTP/".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (data.length < i + 8) {
            return false;
        }
        for (int k = 0; k < v.length; k++) {
            if (data[i + k] != v[k]) {
                return false;
            }
        }
        return Character.isDigit(data[i + 5]) && data[i + 6] == '.' && Character.isDigit(data[i + 7])
                && (data.length == i + 8 || data[i + 8] == '\r' || data[i + 8] == '\n');
    }
}
