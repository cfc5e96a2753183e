package io.haquark.acl;

import io.haquark.model.Hashes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches of configuration.txt §7.3.2-§7.3.6 kept out of {@link FetchRegistry} for size: the
 * hashed base and URL (base32, url32 and their "+src" forms), the URL's address, header names
 * and the header block, Authorization's parts, the process' state and the frontend's timeout.
 * Each was compared with HAProxy 2.6.12 on the same request (SampleParityTwinTest).
 */
final class MoreFetches {
    private MoreFetches() {
    }

    static void register(FetchRegistry.Access r) {
        // base32 / url32: HAProxy's full hash of the sdbm hash of Host + path (or Host + URL).
        r.simple("base32", SampleType.INTEGER, s -> hashed(base(s)));
        r.simple("url32", SampleType.INTEGER, s -> hashed(hostPlus(s, s.uri())));
        r.simple("base32+src", SampleType.BINARY, s -> withSource(hashed(base(s)), s));
        r.simple("url32+src", SampleType.BINARY, s -> withSource(hashed(hostPlus(s, s.uri())), s));
        r.simple("baseq", SampleType.STRING, s -> {
            String b = base(s);
            return b == null || s.query() == null ? b : b + "?" + s.query();
        });
        // url_ip / url_port: the address and port of an absolute-form target (none for "/path").
        r.simple("url_ip", SampleType.IP, s -> {
            String[] hp = authority(s.uri());
            return hp == null ? null : FetchRegistry.ipOf(hp[0]);
        });
        r.simple("url_port", SampleType.INTEGER, s -> {
            String[] hp = authority(s.uri());
            if (hp == null) {
                return null;
            }
            try {
                return hp[1] != null ? Long.parseLong(hp[1]) : (s.uri().startsWith("https:") ? 443L : 80L);
            } catch (NumberFormatException e) {
                return null;
            }
        });
        r.add("req.hdr_names", SampleType.STRING, 0, 1, a -> {
            String delim = a.isEmpty() || a.get(0).isEmpty() ? "," : a.get(0);
            return s -> s.requestHeaderNames() == null ? null : String.join(delim, s.requestHeaderNames());
        });
        r.add("res.hdr_names", SampleType.STRING, 0, 1, a -> {
            String delim = a.isEmpty() || a.get(0).isEmpty() ? "," : a.get(0);
            return s -> s.responseHeaderNames() == null ? null : String.join(delim, s.responseHeaderNames());
        });
        // req.hdrs: the header block as HTTP/1 writes it (lower-case names), with its final empty line.
        r.simple("req.hdrs", SampleType.BINARY, s -> {
            List<Map.Entry<String, String>> h = s.requestHeaders();
            if (h == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : h) {
                sb.append(e.getKey().toLowerCase(java.util.Locale.ROOT)).append(": ").append(e.getValue()).append("\r\n");
            }
            return sb.append("\r\n").toString();
        });
        r.simple("http_auth_type", SampleType.STRING, s -> {
            String h = s.header("authorization", -1);
            if (h == null) {
                return null;
            }
            int sp = h.indexOf(' ');
            return sp < 0 ? h : h.substring(0, sp);
        });
        r.simple("http_auth_user", SampleType.STRING, s -> basic(s, true));
        r.simple("http_auth_pass", SampleType.STRING, s -> basic(s, false));
        r.simple("proc", SampleType.INTEGER, s -> 1L);
        r.simple("stopping", SampleType.BOOLEAN, s -> Boolean.FALSE);
        r.simple("src_is_local", SampleType.BOOLEAN, s -> s.source() == null ? null : isLocal(s.source().getAddress()));
        r.simple("dst_is_local", SampleType.BOOLEAN, s -> s.destination() == null ? null : isLocal(s.destination().getAddress()));
        r.simple("fe_client_timeout", SampleType.INTEGER, s -> {
            io.haquark.state.FrontendState f = s.frontendName() == null ? null : s.frontendState(s.frontendName());
            return f == null ? null : f.proxy.timeouts().client();
        });
        r.simple("capture.req.ver", SampleType.STRING, s -> s.version() == null ? null : "HTTP/" + s.version());
        // The response side of hdr_cnt, fhdr_cnt, hdr_val, the version and the Set-Cookie cookies.
        for (String n : List.of("res.hdr_cnt", "shdr_cnt")) {
            r.add(n, SampleType.INTEGER, 0, 1, a -> {
                String name = a.isEmpty() ? "" : a.get(0);
                return s -> s.status() == 0 ? null : (long) s.responseHeaderValues(name).size();
            });
        }
        r.add("res.fhdr_cnt", SampleType.INTEGER, 0, 1, a -> {
            String name = a.isEmpty() ? "" : a.get(0);
            return s -> s.status() == 0 ? null : (long) s.responseFullHeaderValues(name).size();
        });
        for (String n : List.of("res.hdr_val", "shdr_val")) {
            r.add(n, SampleType.INTEGER, 1, 2, a -> {
                String name = a.get(0);
                int occ = a.size() > 1 ? FetchRegistry.occurrence(a, 1) : -1;
                return s -> {
                    List<String> v = s.responseHeaderValues(name);
                    int i = occ > 0 ? occ - 1 : v.size() + occ;
                    return i >= 0 && i < v.size() ? leadingLong(v.get(i)) : null;
                };
            });
        }
        for (String n : List.of("res.ver", "resp_ver")) {
            r.simple(n, SampleType.STRING, s -> s.responseVersion());
        }
        r.simple("capture.res.ver", SampleType.STRING, s -> s.responseVersion() == null ? null : "HTTP/" + s.responseVersion());
        for (String n : List.of("res.cook", "scook")) {
            r.add(n, SampleType.STRING, 0, 1, a -> setCookie(a.isEmpty() ? "" : a.get(0)));
        }
        for (String n : List.of("res.cook_cnt", "scook_cnt")) {
            r.add(n, SampleType.INTEGER, 0, 1, a -> {
                Fetch c = setCookie(a.isEmpty() ? "" : a.get(0));
                return s -> {
                    Object v = c.fetch(s);
                    return v == null ? 0L : (long) ((List<?>) v).size();
                };
            });
        }
        for (String n : List.of("res.cook_val", "scook_val")) {
            r.add(n, SampleType.INTEGER, 0, 1, a -> {
                Fetch c = setCookie(a.isEmpty() ? "" : a.get(0));
                return s -> {
                    Object v = c.fetch(s);
                    return v == null ? null : leadingLong(String.valueOf(((List<?>) v).get(((List<?>) v).size() - 1)));
                };
            });
        }
        r.simple("res.hdrs", SampleType.BINARY, s -> {
            if (s.status() == 0) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (String name : s.responseHeaderNames()) {
                for (String v : s.responseFullHeaderValues(name)) {
                    sb.append(name).append(": ").append(v).append("\r\n");
                }
            }
            return sb.append("\r\n").toString();
        });
        // date_us: the microseconds of the current second.
        r.simple("date_us", SampleType.INTEGER, s -> (System.currentTimeMillis() % 1000) * 1000 + (System.nanoTime() / 1000) % 1000);
        r.simple("thread", SampleType.INTEGER, SampleSource::thread);
        r.simple("fc_rcvd_proxy", SampleType.BOOLEAN, SampleSource::receivedProxyHeader);
        r.simple("req.ssl_alpn", SampleType.STRING, s -> ClientHello.alpn(s.payload()));
        r.simple("fc_http_major", SampleType.INTEGER, s -> s.version() == null ? null : (long) (s.version().charAt(0) - '0'));
    }

    /** The integer an HTTP value starts with (HAProxy's strl2ic: digits after an optional sign), or null. */
    private static Long leadingLong(String v) {
        String t = v.trim();
        int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
        int start = i;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == start) {
            return null;
        }
        try {
            return Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** res.cook(name): the value of that cookie in the response's Set-Cookie headers (every one). */
    private static Fetch setCookie(String name) {
        return s -> {
            List<String> found = new java.util.ArrayList<>(1);
            for (String line : s.responseFullHeaderValues("set-cookie")) {
                String first = line.split(";", 2)[0].trim();
                int eq = first.indexOf('=');
                String n = eq < 0 ? first : first.substring(0, eq);
                if (name.isEmpty() || n.equals(name)) {
                    found.add(eq < 0 ? "" : first.substring(eq + 1));
                }
            }
            return found.isEmpty() ? null : found;
        };
    }

    private static String base(SampleSource s) {
        return s.path() == null ? null : hostPlus(s, s.path());
    }

    private static String hostPlus(SampleSource s, String rest) {
        if (rest == null) {
            return null;
        }
        String h = s.header("host", -1);
        return h == null ? rest : h + rest;
    }

    private static Long hashed(String text) {
        return text == null ? null : Hashes.fullHash(Hashes.sdbm(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The 32-bit hash followed by the source address' bytes (4 for IPv4, 16 for IPv6). */
    private static String withSource(Long hash, SampleSource s) {
        if (hash == null || s.source() == null) {
            return null;
        }
        byte[] a = s.source().getAddress().getAddress();
        byte[] out = new byte[4 + a.length];
        long h = hash;
        out[0] = (byte) (h >>> 24);
        out[1] = (byte) (h >>> 16);
        out[2] = (byte) (h >>> 8);
        out[3] = (byte) h;
        System.arraycopy(a, 0, out, 4, a.length);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** {host, port or null} of "scheme://host[:port]/...", or null for another form. */
    private static String[] authority(String uri) {
        if (uri == null) {
            return null;
        }
        int scheme = uri.indexOf("://");
        if (scheme <= 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        String hp = uri.substring(start, end);
        int at = hp.lastIndexOf('@');
        hp = hp.substring(at + 1);
        int colon = hp.startsWith("[") ? hp.indexOf(':', hp.indexOf(']')) : hp.lastIndexOf(':');
        return colon < 0 ? new String[] {hp, null} : new String[] {hp.substring(0, colon), hp.substring(colon + 1)};
    }

    private static String basic(SampleSource s, boolean user) {
        String h = s.header("authorization", -1);
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(java.util.Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return user ? decoded.substring(0, colon) : decoded.substring(colon + 1);
    }

    private static final Map<InetAddress, Boolean> LOCAL = new ConcurrentHashMap<>();

    /** Whether the address is one of this host's (HAProxy asks the kernel; the answer is cached). */
    static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        return LOCAL.computeIfAbsent(a, x -> {
            try {
                return java.net.NetworkInterface.getByInetAddress(x) != null;
            } catch (java.net.SocketException e) {
                return false;
            }
        });
    }
}
