package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.model.Config;
import io.haquark.model.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fetches, match methods, flags and conditions evaluated against a fixed request. */
class AclTest {

    /** GET /static/Img.PNG?id=42&lang=fr HTTP/1.1 from 10.1.2.3:5555 to 192.168.0.1:80. */
    static final class Req implements SampleSource {
        final Map<String, List<String>> headers = new LinkedHashMap<>();

        Req() {
            headers.put("host", List.of("www.Example.com:8080"));
            headers.put("cookie", List.of("SESSION=abc; lang=fr"));
            headers.put("x-list", List.of("a, b", "c"));
            headers.put("content-length", List.of("12"));
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String uri() {
            return "/static/Img.PNG?id=42&lang=fr";
        }

        @Override
        public String path() {
            return "/static/Img.PNG";
        }

        @Override
        public String query() {
            return "id=42&lang=fr";
        }

        @Override
        public List<String> headerValues(String name) {
            List<String> out = new ArrayList<>();
            for (String v : headers.getOrDefault(name.toLowerCase(), List.of())) {
                for (String p : v.split(",")) {
                    out.add(p.trim());
                }
            }
            return out;
        }

        @Override
        public List<String> fullHeaderValues(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of());
        }

        @Override
        public String version() {
            return "1.1";
        }

        @Override
        public InetSocketAddress source() {
            return new InetSocketAddress("10.1.2.3", 5555);
        }

        @Override
        public InetSocketAddress destination() {
            return new InetSocketAddress("192.168.0.1", 80);
        }

        @Override
        public int usableServers(String backend) {
            return backend.equals("web") ? 2 : backend.equals("empty") ? 0 : -1;
        }

        @Override
        public String frontendName() {
            return "fe";
        }

        @Override
        public String backendName() {
            return null;
        }
    }

    static boolean eval(String expression) throws Exception {
        String cfg = "frontend fe\n  bind :80\n  acl x " + expression + "\n";
        Config c = new ConfigLoader(Map.of(), Path.of(".")).loadText("t.cfg", cfg, new Diagnostics());
        Proxy p = c.proxy("fe").orElseThrow();
        AclCompiler compiler = new AclCompiler(p, Path.of("."), (w, m) -> { });
        io.haquark.model.Condition cond = new io.haquark.model.Condition(false,
                List.of(List.of(new io.haquark.model.Condition.Term(false, "x", null))));
        return compiler.compile(cond).test(new Req());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            path /static/Img.PNG                     | true
            path /static/img.png                     | false
            path -i /static/img.png                  | true
            path_beg /static/ /other                 | true
            path_end .png                            | false
            path_end -i .png .jpg                    | true
            path_sub Img                             | true
            path_reg ^/static/[A-Z]                  | true
            path_reg -i ^/STATIC/                    | true
            path_dir static                          | true
            path_dir stat                            | false
            path_len 15                              | true
            path_len gt 20                           | false
            url_beg /static/Img.PNG?id               | true
            url_sub lang=fr                          | true
            query id=42&lang=fr                      | true
            url_param(id) 42                         | true
            urlp(lang) fr                            | true
            urlp(missing) -m found                   | false
            base_beg www.Example.com:8080/static     | true
            hdr(host) -i www.example.com:8080        | true
            hdr_beg(host) -i www.                    | true
            hdr_end(host) :8080                      | true
            hdr_dom(host) -i example.com             | true
            hdr_dom(host) -i ample.com               | false
            hdr_sub(x-list) b                        | true
            hdr(x-list,1) a                          | true
            hdr(x-list,-1) c                         | true
            hdr_cnt(x-list) eq 3                     | true
            hdr_cnt(nope) 0                          | true
            hdr_len(host) 20                         | true
            hdr_val(content-length) ge 10            | true
            hdr(nope) -m found                       | false
            req.hdr(host) -m found                   | true
            req.cook(SESSION) abc                    | true
            cook(lang) fr                            | true
            cook_cnt() 2                             | true
            method GET HEAD                          | true
            method POST                              | false
            src 10.0.0.0/8                           | true
            src 10.1.2.3                             | true
            src 192.168.0.0/16 172.16.0.0/255.240.0.0 | false
            src_port 5555                            | true
            dst 192.168.0.1                          | true
            dst_port 80 443                          | true
            dst_port 1024:65535                      | false
            req.ver 1.1                              | true
            req_ver 1.0                              | false
            nbsrv(web) ge 1                          | true
            nbsrv(empty) ge 1                        | false
            always_true                              | true
            always_false                             | false
            path,lower -m end .png                   | true
            hdr(host),lower -m beg www.example       | true
            path,upper /STATIC/IMG.PNG               | true
            path -m beg -i /STATIC                   | true
            path -m sub -- -i                        | false
            path_len 10:20                           | true
            path_len :14                             | false
            urlp(id) -m int gt 40                    | true
            fe_name fe                               | true
            """)
    void fetchAndMatch(String expression, boolean expected) throws Exception {
        assertEquals(expected, eval(expression), expression);
    }

    @Test
    void patternsFromAFile() throws Exception {
        Path f = Files.createTempFile("patterns", ".lst");
        Files.writeString(f, "# comment\n/admin\n/static/\n");
        assertEquals(true, eval("path_beg -f " + f));
        Files.writeString(f, "10.9.0.0/16\n");
        assertEquals(false, eval("src -f " + f));
    }

    @Test
    void mapConverter() throws Exception {
        Path f = Files.createTempFile("hosts", ".map");
        Files.writeString(f, "www.example.com:8080 web\nother.org api\n");
        assertEquals(true, eval("hdr(host),lower,map(" + f + ",none) web"));
        Files.writeString(f, "nothing here\n");
        assertEquals(true, eval("hdr(host),lower,map(" + f + ",none) none"));
    }

    @Test
    void conditionsCombineLikeHAProxy() throws Exception {
        String cfg = """
                frontend fe
                  bind :80
                  acl is_get method GET
                  acl is_img path_end -i .png
                  acl is_img path_end -i .gif
                  acl from_lan src 192.168.0.0/16
                  http-request deny if is_get is_img
                  http-request deny if from_lan || is_img
                  http-request deny if !from_lan is_get
                  http-request deny unless from_lan
                  http-request deny if { path_beg /static } !{ src 127.0.0.1 }
                  http-request deny if from_lan or !is_get
                  http-request deny if
                  http-request deny unless
                """;
        Config c = new ConfigLoader(Map.of(), Path.of(".")).loadText("t.cfg", cfg, new Diagnostics());
        Proxy p = c.proxy("fe").orElseThrow();
        AclCompiler compiler = new AclCompiler(p, Path.of("."), (w, m) -> { });
        boolean[] expected = {true, true, true, true, true, false, false, true};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], compiler.compile(p.httpRequestRules().get(i).condition()).test(new Req()), "rule " + i);
        }
    }

    @Test
    void predefinedAcls() throws Exception {
        String cfg = "frontend fe\n  bind :80\n  http-request deny if TRUE\n  http-request deny if FALSE\n"
                + "  http-request deny if METH_GET HTTP_1.1\n  http-request deny if LOCALHOST\n"
                + "  http-request deny if HTTP_URL_SLASH !HTTP_URL_ABS\n  http-request deny if HTTP_CONTENT\n";
        Config c = new ConfigLoader(Map.of(), Path.of(".")).loadText("t.cfg", cfg, new Diagnostics());
        Proxy p = c.proxy("fe").orElseThrow();
        AclCompiler compiler = new AclCompiler(p, Path.of("."), (w, m) -> { });
        boolean[] expected = {true, false, true, false, true, true};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], compiler.compile(p.httpRequestRules().get(i).condition()).test(new Req()), "rule " + i);
        }
    }

    @Test
    void badExpressionsAreRejected() {
        assertThrows(AclException.class, () -> eval("nosuchfetch x"));
        assertThrows(AclException.class, () -> eval("path -m nosuch x"));
        assertThrows(AclException.class, () -> eval("path,nosuchconv x"));
        assertThrows(AclException.class, () -> eval("src 300.1.1.1"));
        assertThrows(AclException.class, () -> eval("path_reg ("));
        assertThrows(AclException.class, () -> eval("hdr_cnt(x) gt notanumber"));
    }
}
