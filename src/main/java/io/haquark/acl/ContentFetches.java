package io.haquark.acl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fetches on message contents (configuration.txt §7.3.5, §7.3.6): the RDP connection cookie
 * (rdp_cookie, also what "balance rdp-cookie" hashes), distcc tokens, the body's url-encoded
 * parameters, the header block in HAProxy's binary form, the response body and buffer, and the
 * ClientHello extension flags. Compared with HAProxy 2.6.12 on the same bytes (ContentFetchesTwinTest).
 */
public final class ContentFetches {
    private ContentFetches() {
    }

    static void register(FetchRegistry.Access r) {
        for (String n : List.of("req.rdp_cookie", "rdp_cookie")) {
            r.add(n, SampleType.STRING, 0, 1, a -> {
                String name = a.isEmpty() ? null : a.get(0);
                return s -> rdpCookie(s, name);
            });
        }
        for (String n : List.of("req.rdp_cookie_cnt", "rdp_cookie_cnt")) {
            r.add(n, SampleType.INTEGER, 0, 1, a -> {
                String name = a.isEmpty() ? null : a.get(0);
                return s -> rdpCookie(s, name) == null ? 0L : 1L;
            });
        }
        for (String n : List.of("distcc_param", "distcc_body")) {
            boolean body = n.equals("distcc_body");
            r.add(n, body ? SampleType.BINARY : SampleType.INTEGER, 1, 2, a -> {
                String token = a.get(0);
                if (token.length() != 4) {
                    throw new AclException("fetch method '" + n + "' : token name must be exactly 4 characters.");
                }
                int occ = FetchRegistry.occurrence(a, 1);
                return s -> distcc(s, token, occ, body);
            });
        }
        r.add("req.body_param", SampleType.STRING, 0, 1, a -> {
            String name = a.isEmpty() ? "" : a.get(0);
            return s -> {
                byte[] b = s.requestBody();
                return b == null ? null : FetchRegistry.param(new String(b, StandardCharsets.ISO_8859_1), name, "&");
            };
        });
        r.simple("req.hdrs_bin", SampleType.BINARY, s -> headersBinary(s.requestHeaders()));
        r.simple("res.hdrs_bin", SampleType.BINARY, s -> headersBinary(s.responseHeaders()));
        r.simple("res.body", SampleType.BINARY, s -> {
            byte[] b = s.responseBody();
            return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
        });
        r.simple("res.body_len", SampleType.INTEGER, s -> {
            byte[] b = s.responseBody();
            return b == null ? null : (long) b.length;
        });
        r.simple("res.body_size", SampleType.INTEGER, s -> bodySize(s.responseHeader("content-length", -1), s.responseBody()));
        r.simple("res.len", SampleType.INTEGER, s -> s.responsePayload() == null ? null : (long) s.responsePayload().length);
        // Supported Groups (elliptic curves, RFC 4492 §5.1) and SessionTicket (RFC 5077) in the ClientHello.
        r.simple("req.ssl_ec_ext", SampleType.BOOLEAN, s -> ClientHello.hasExtension(s.payload(), 10));
        r.simple("req.ssl_st_ext", SampleType.BOOLEAN, s -> ClientHello.hasExtension(s.payload(), 35));
    }

    /** req.body_size / res.body_size: the announced Content-Length, else the length of the body held. */
    static Long bodySize(String contentLength, byte[] held) {
        if (contentLength != null) {
            try {
                return Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return held == null ? null : (long) held.length;
    }

    /**
     * The value of the RDP connection request's cookie ("Cookie: mstshash=user\r\n" after the
     * 11 bytes of TPKT and X.224 headers), of the given name or of any; null when absent, and a
     * sample that may change while the line is not complete yet.
     */
    public static String rdpCookie(SampleSource s, String name) {
        byte[] b = s.payload();
        if (b == null) {
            return null;
        }
        if (b.length < 11) {
            s.sampleMayChange();
            return null;
        }
        int p = 11;
        if (b.length - p < 7 || !new String(b, p, 7, StandardCharsets.ISO_8859_1).equalsIgnoreCase("Cookie:")) {
            return null;
        }
        p += 7;
        while (p < b.length && b[p] == ' ') {
            p++;
        }
        if (name != null) {
            int n = name.length();
            if (b.length - p <= n || b[p + n] != '='
                    || !new String(b, p, n, StandardCharsets.ISO_8859_1).equalsIgnoreCase(name)) {
                return null;
            }
            p += n + 1;
        } else {
            while (p < b.length && b[p] != '=') {
                if (b[p] == '\r' || b[p] == '\n') {
                    return null;
                }
                p++;
            }
            p++;
        }
        int start = p;
        while (p < b.length && b[p] != '\r') {
            p++;
        }
        if (p + 1 >= b.length) {
            s.sampleMayChange();
            return null;
        }
        if (b[p + 1] != '\n') {
            return null;
        }
        return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * distcc's request: tokens of 4 letters and 8 hex digits; most are a number, DOTI/ARGV/...
     * carry that many bytes after them. The occurrence-th (last for 0 or negative counts from the end
     * are not offered by HAProxy: 0 is the first) token's number or body.
     */
    private static Object distcc(SampleSource s, String token, int occ, boolean body) {
        byte[] b = s.payload();
        if (b == null) {
            return null;
        }
        int seen = 0;
        int p = 0;
        while (p + 12 <= b.length) {
            String t = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long v;
            try {
                v = Long.parseLong(new String(b, p + 4, 8, StandardCharsets.ISO_8859_1), 16);
            } catch (NumberFormatException e) {
                return null;
            }
            p += 12;
            boolean hasBody = t.equals("DOTI") || t.equals("ARGV");
            if (t.equals(token) && (occ <= 0 || ++seen == occ)) {
                if (!body) {
                    return v;
                }
                if (p + v > b.length) {
                    s.sampleMayChange();
                    return null;
                }
                return new String(b, p, (int) v, StandardCharsets.ISO_8859_1);
            }
            if (hasBody) {
                p += (int) v;
            }
        }
        s.sampleMayChange();
        return null;
    }


    /**
     * HAProxy's binary header block: each field as a varint length and the lower-case name, a
     * varint length and the value, then two empty strings.
     */
    static String headersBinary(List<Map.Entry<String, String>> headers) {
        if (headers == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : headers) {
            byte[] n = e.getKey().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
            byte[] v = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
            varint(out, n.length);
            out.writeBytes(n);
            varint(out, v.length);
            out.writeBytes(v);
        }
        out.write(0);
        out.write(0);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** HAProxy's varint (the peers' and SPOE's): below 240 one byte, else 240+ and 7-bit groups. */
    static void varint(ByteArrayOutputStream out, long v) {
        if (v < 240) {
            out.write((int) v);
            return;
        }
        out.write((int) (v | 240) & 0xff);
        v = (v - 240) >> 4;
        while (v >= 128) {
            out.write((int) (v | 128) & 0xff);
            v = (v - 128) >> 7;
        }
        out.write((int) v);
    }
}
