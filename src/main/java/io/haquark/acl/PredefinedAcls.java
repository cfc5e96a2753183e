package io.haquark.acl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ACLs every proxy has without declaring them (configuration.txt §7.4). */
public final class PredefinedAcls {
    public static final Map<String, List<String>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("FALSE", List.of("always_false"));
        ALL.put("HTTP", List.of("req.proto_http"));
        ALL.put("HTTP_1.0", List.of("req.ver", "1.0"));
        ALL.put("HTTP_1.1", List.of("req.ver", "1.1"));
        ALL.put("HTTP_2.0", List.of("req.ver", "2.0"));
        ALL.put("HTTP_3.0", List.of("req.ver", "3.0"));
        ALL.put("HTTP_CONTENT", List.of("req.hdr_val(content-length)", "gt", "0"));
        ALL.put("HTTP_URL_ABS", List.of("url_reg", "^[^/:]*://"));
        ALL.put("HTTP_URL_SLASH", List.of("url_beg", "/"));
        ALL.put("HTTP_URL_STAR", List.of("url", "*"));
        ALL.put("LOCALHOST", List.of("src", "127.0.0.1/8", "::1"));
        ALL.put("METH_CONNECT", List.of("method", "CONNECT"));
        ALL.put("METH_DELETE", List.of("method", "DELETE"));
        ALL.put("METH_GET", List.of("method", "GET", "HEAD"));
        ALL.put("METH_HEAD", List.of("method", "HEAD"));
        ALL.put("METH_OPTIONS", List.of("method", "OPTIONS"));
        ALL.put("METH_POST", List.of("method", "POST"));
        ALL.put("METH_PUT", List.of("method", "PUT"));
        ALL.put("METH_TRACE", List.of("method", "TRACE"));
        ALL.put("RDP_COOKIE", List.of("req.rdp_cookie_cnt", "gt", "0"));
        ALL.put("REQ_CONTENT", List.of("req.len", "gt", "0"));
        ALL.put("TRUE", List.of("always_true"));
        ALL.put("WAIT_END", List.of("wait_end"));
    }

    private PredefinedAcls() {
    }
}
