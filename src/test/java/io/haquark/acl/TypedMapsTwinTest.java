package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * map_<match>_int / map_<match>_ip give typed values, nbsrv and srv_queue work as converters,
 * capture-req stores into a declared slot: the same answers as HAProxy 2.6 for the same request.
 */
class TypedMapsTwinTest {

    @Test
    void typedMapsAndStateConvertersAnswerAsHaproxy() throws Exception {
        Path dir = Files.createTempDirectory("maps");
        Path map = dir.resolve("int.map");
        Path ips = dir.resolve("ip.map");
        Files.writeString(map, "a 42\n/x 7\n");
        Files.writeString(ips, "b 10.0.0.7\n");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  declare capture request len 16
                  http-request set-var(txn.i) "str(a),map_str_int(%1$s,0),add(1)"
                  http-request set-var(txn.p) "str(b),map_str_ip(%2$s)"
                  http-request set-var(txn.b) "path,map_beg_int(%1$s)"
                  http-request set-var(txn.n) "str(b),nbsrv"
                  http-request set-var(txn.q) "str(b/s1),srv_queue"
                  http-request set-var(txn.c) "req.hdr(x-c),capture-req(0),upper"
                  http-request return status 200 hdr x-i "%%[var(txn.i)]" hdr x-p "%%[var(txn.p)]" hdr x-b "%%[var(txn.b)]" hdr x-n "%%[var(txn.n)]" hdr x-q "%%[var(txn.q)]" hdr x-c "%%[var(txn.c)]" hdr x-cap "%%[capture.req.hdr(0)]"
                backend b
                  server s1 127.0.0.1:9
                  server s2 127.0.0.1:9
                """.formatted(map, ips);
        try (Twin twin = Twin.start(cfg)) {
            String request = "GET /x/y HTTP/1.1\r\nHost: h\r\nx-c: hello\r\nConnection: close\r\n\r\n";
            String ours = headers(RawHttp.exchange(twin.haquarkPort, request, 5000));
            assertEquals("x-i: 43|x-p: 10.0.0.7|x-b: 7|x-n: 2|x-q: 0|x-c: HELLO|x-cap: hello", ours);
            if (twin.hasReference()) {
                assertEquals(headers(RawHttp.exchange(twin.haproxyPort, request, 5000)), ours);
            }
        }
    }

    private static String headers(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String line : raw.split("\r\n")) {
            if (line.toLowerCase().startsWith("x-")) {
                sb.append(sb.length() == 0 ? "" : "|").append(line.toLowerCase().startsWith("x-c: ") ? line : line.toLowerCase());
            }
        }
        return sb.toString();
    }
}
