package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fetches and converters answer what HAProxy 2.6 answers (issue 16): one request through both
 * proxies, each expression stored by set-var and sent back in a header, every header compared.
 * The expressions cover the fetches and converters added from HAProxy's keyword list and their
 * edge cases (unreserved characters, out-of-range slices, invalid hex, avalanche hashes ...).
 */
class SampleParityTwinTest {
    private static final List<String> EXPRESSIONS = List.of(
            "base",
            "bin(610062),length",
            "bin(410042),lower,hex",
            "bin(610062),url_enc",
            "bin(610062),base64",
            "bin(61006263),bytes(1,2),hex",
            "base32",
            "base32+src,hex",
            "baseq",
            "url32",
            "url32+src,hex",
            "url_ip",
            "url_port",
            "req.hdr_names",
            "req.hdr_names(;)",
            "http_auth_type",
            "http_auth_user",
            "http_auth_pass",
            "proc",
            "stopping",
            "src_is_local",
            "dst_is_local",
            "fe_client_timeout",
            "req.hdrs,hex",
            "str(a b/c?d=e&f),url_enc",
            "str(hello world),ub64enc",
            "str(aGVsbG8gd29ybGQ),ub64dec",
            "str(abcdef),bytes(1,3)",
            "str(ff),hex2i",
            "int(258),htonl,hex",
            "str(www.ex.com:8080),port_only",
            "str(www.ex.com:8080),host_only",
            "req.hdr(accept-language),language(en;fr;de)",
            "int(0),http_date",
            "int(86400),http_date(3600)",
            "int(86400),utime(%Y-%m-%dT%H:%M:%S)",
            "str(hello),djb2",
            "str(hello),sdbm",
            "str(hello),wt6",
            "str(hello),crc32c",
            "str(hello),crc32(1)",
            "str(hello),djb2(1)",
            "str(a/b),json",
            "str(a+b%2Fc),url_dec",
            "str(hello),debug",
            "str(hello),xxh64",
            "req.hdr(accept-language),language(es,nl)",
            "int(86400),ltime(%Y)",
            "str(hello),sdbm(1)",
            "str(hello),wt6(1)",
            "path,url_dec",
            "str(a b),url_enc(query)",
            "str(hello),xxh64(5)",
            "int(1234),bytes(1,2),hex",
            "str(www.ex.com),port_only",
            "str([::1]:80),host_only",
            "str(abc),hex,hex2i",
            "url_param(y)",
            "query,url_dec",
            "req.cook_cnt",
            "int(3),mul(2),div(4)",
            "str(1.2.3.4),ipmask(16)",
            "str(AbC),lower,upper",
            "http_first_req",
            "req.ver",
            "capture.req.ver",
            "fc_http_major",
            "str(a-b_c.d~e!*),url_enc",
            "str(-_),ub64dec",
            "str(abc),bytes(5)",
            "str(abc),bytes(0)",
            "str(a<b>&c),json",
            "str(a+b?c+d),url_dec",
            "str(a+b),url_dec(1)",
            "str(0x10),hex2i",
            "str(zz),hex2i",
            "int(-1),htonl,hex",
            "str(host),host_only",
            "str(a:b:c),port_only",
            "str(en-US),language(en-US;en)",
            "int(1700000000),utime(%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %%)",
            "str(),djb2",
            "int(5),sdbm",
            "str(hello),crc32c(1)",
            "str(hello world this is long text),xxh32",
            "str(hello world this is a longer text over 32 bytes),xxh64",
            "str(abc),base64,ub64dec",
            "path,url_enc");

    private static final String REQUEST = "GET /a%20b/c+d.php?x=1&y=two HTTP/1.1\r\nHost: www.example.com:8080\r\nCookie: c1=v1; c2=v2\r\n"
            + "Authorization: Basic dXNlcjpwYXNz\r\nAccept-Language: fr-CH, fr;q=0.9, en;q=0.8\r\nConnection: close\r\n\r\n";

    @Test
    void everyExpressionAnswersAsHaproxy() throws Exception {
        List<String> ours = compare(EXPRESSIONS, "", REQUEST);
        assertTrue(ours.get(EXPRESSIONS.indexOf("base")).endsWith("www.example.com:8080/a%20b/c+d.php"), ours.toString());
    }

    /**
     * Sends the request through both proxies with each expression stored by set-var (after the
     * frontend lines given) and returned in a header; asserts HAProxy's answers equal ours.
     * @return haquark's answers, "<absent>" where a header did not come
     */
    static List<String> compare(List<String> expressions, String frontendLines, String request) throws Exception {
        StringBuilder cfg = new StringBuilder(TestConfigs.HTTP_DEFAULTS).append("frontend f\n  bind 127.0.0.1:@FE@\n").append(frontendLines);
        for (int i = 0; i < expressions.size(); i++) {
            cfg.append("  http-request set-var(txn.x").append(i).append(") \"").append(expressions.get(i).replace("\"", "\\\"")).append("\"\n");
        }
        cfg.append("  http-request return status 200\n");
        for (int i = 0; i < expressions.size(); i++) {
            cfg.append("  http-after-response set-header x").append(i).append(" \"%[var(txn.x").append(i).append(")]\"\n");
        }
        try (Twin twin = Twin.start(cfg.toString())) {
            List<String> ours = answers(twin.haquarkPort, expressions.size(), request);
            assertEquals(expressions.size(), ours.size(), "one header per expression: " + ours);
            if (twin.hasReference()) {
                List<String> theirs = answers(twin.haproxyPort, expressions.size(), request);
                for (int i = 0; i < expressions.size(); i++) {
                    assertEquals(theirs.get(i), ours.get(i), expressions.get(i));
                }
            }
            return ours;
        }
    }

    private static List<String> answers(int port, int count, String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String prefix = "\r\nx" + i + ":";
                int at = head.toLowerCase().indexOf(prefix);
                if (at < 0) {
                    values.add("<absent>");
                    continue;
                }
                int end = head.indexOf("\r\n", at + prefix.length());
                values.add(head.substring(at + prefix.length(), end).trim());
            }
            return values;
        }
    }
}
