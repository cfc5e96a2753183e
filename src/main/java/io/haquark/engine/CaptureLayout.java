package io.haquark.engine;

import io.haquark.model.Capture;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * A frontend's capture slots, compiled once: which header fills which request/response slot,
 * how long each may be, and the captured cookie. Values live in the transaction
 * ({@link HttpTxn#captures}); this class fills them and renders them for the log line.
 */
final class CaptureLayout {
    static final CaptureLayout NONE = new CaptureLayout(List.of());

    final String[] requestHeaders;
    final int[] requestLens;
    final String[] responseHeaders;
    final int[] responseLens;
    final String cookie;
    final int cookieLen;

    CaptureLayout(List<Capture> captures) {
        List<Capture> req = captures.stream().filter(c -> c.kind().request()).toList();
        List<Capture> res = captures.stream().filter(c -> c.kind().response()).toList();
        requestHeaders = req.stream().map(c -> c.kind() == Capture.Kind.REQUEST_HEADER ? c.name() : null).toArray(String[]::new);
        requestLens = req.stream().mapToInt(Capture::len).toArray();
        responseHeaders = res.stream().map(c -> c.kind() == Capture.Kind.RESPONSE_HEADER ? c.name() : null).toArray(String[]::new);
        responseLens = res.stream().mapToInt(Capture::len).toArray();
        Capture ck = captures.stream().filter(c -> c.kind() == Capture.Kind.COOKIE).findFirst().orElse(null);
        cookie = ck == null ? null : ck.name();
        cookieLen = ck == null ? 0 : ck.len();
    }

    boolean any() {
        return requestHeaders.length > 0 || responseHeaders.length > 0 || cookie != null;
    }

    /** Room for the values of one transaction: request slots first, then response slots, then the two cookies. */
    String[] newValues() {
        return new String[requestHeaders.length + responseHeaders.length + 2];
    }

    void captureRequest(String[] v, HttpHeaders h) {
        for (int i = 0; i < requestHeaders.length; i++) {
            if (requestHeaders[i] != null) {
                v[i] = cut(last(h.getAll(requestHeaders[i])), requestLens[i]);
            }
        }
        if (cookie != null) {
            v[v.length - 2] = cut(cookieIn(h.getAll("cookie"), ";"), cookieLen);
        }
    }

    void captureResponse(String[] v, HttpHeaders h) {
        int base = requestHeaders.length;
        for (int i = 0; i < responseHeaders.length; i++) {
            if (responseHeaders[i] != null) {
                v[base + i] = cut(last(h.getAll(responseHeaders[i])), responseLens[i]);
            }
        }
        if (cookie != null) {
            v[v.length - 1] = cut(cookieIn(h.getAll("set-cookie"), null), cookieLen);
        }
    }

    /** A rule's capture (http-request/http-response capture ... id N), cut to the slot's length. */
    /**
     * A capture rule's value into its slot: the values of a transaction or stream, made when the
     * first value comes (null stays null where nothing is captured); returns the values.
     */
    String[] capture(String[] v, boolean response, int slot, String value) {
        if (this == NONE) {
            return v;
        }
        String[] values = v == null ? newValues() : v;
        set(values, response, slot, value);
        return values;
    }

    void set(String[] v, boolean response, int slot, String value) {
        int[] lens = response ? responseLens : requestLens;
        if (slot >= 0 && slot < lens.length) {
            v[(response ? requestHeaders.length : 0) + slot] = cut(value, lens[slot]);
        }
    }

    String get(String[] v, boolean response, int slot) {
        int n = response ? responseHeaders.length : requestHeaders.length;
        return v == null || slot < 0 || slot >= n ? null : v[(response ? requestHeaders.length : 0) + slot];
    }

    /** The first "name=value" whose name starts with the captured cookie name (as HAProxy matches it). */
    private String cookieIn(List<String> headers, String separator) {
        for (String line : headers) {
            String[] parts = separator == null ? new String[] {line.split(";", 2)[0]} : line.split(separator);
            for (String p : parts) {
                String c = p.trim();
                if (c.startsWith(cookie)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String cut(String s, int len) {
        return s == null || s.length() <= len ? s : s.substring(0, len);
    }

    /** " {a|b}" for the request slots and " {c}" for the response slots, as httplog prints them. */
    void appendLog(StringBuilder sb, String[] v) {
        if (requestHeaders.length > 0) {
            block(sb, v, 0, requestHeaders.length);
        }
        if (responseHeaders.length > 0) {
            block(sb, v, requestHeaders.length, responseHeaders.length);
        }
    }

    /** %hr / %hs: "{a|b}" of the captured request or response headers, null when none are captured. */
    String headersField(String[] v, boolean response) {
        int n = response ? responseHeaders.length : requestHeaders.length;
        if (n == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        block(sb, v, response ? requestHeaders.length : 0, n);
        return sb.substring(1);   // block() starts with the separating space of the httplog line
    }

    String cookieField(String[] v, boolean response) {
        String c = v == null || cookie == null ? null : v[v.length - (response ? 1 : 2)];
        return c == null ? "-" : encode(c);
    }

    private static void block(StringBuilder sb, String[] v, int from, int n) {
        sb.append(" {");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('|');
            }
            String s = v == null ? null : v[from + i];
            if (s != null) {
                sb.append(encode(s));
            }
        }
        sb.append('}');
    }

    /** Control characters, DEL and above, '"', '#', '{', '|' and '}' are logged as #XX so the line stays parseable. */
    private static String encode(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean esc = c < 32 || c >= 127 || c == '"' || c == '#' || c == '{' || c == '|' || c == '}';
            if (esc && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (esc) {
                    out.append('#').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
