package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** use_backend rules with named and anonymous ACLs, in order, against HAProxy. */
class RoutingTest {
    static TestBackend api;
    static TestBackend admin;
    static TestBackend www;
    static TestBackend legacy;
    static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        var vx = TestVertx.get();
        api = new TestBackend(vx, "api");
        admin = new TestBackend(vx, "admin");
        www = new TestBackend(vx, "www");
        legacy = new TestBackend(vx, "legacy");
        twin = Twin.start("""
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 2s
                frontend f
                  bind 127.0.0.1:@FE@
                  acl host_api hdr(host) -i api.example.com
                  acl host_api hdr_beg(host) -i api.
                  acl is_admin path_beg /admin
                  acl lan src 10.0.0.0/8
                  acl old_client hdr_sub(user-agent) -i msie
                  acl has_token url_param(token) -m found
                  acl post method POST
                  use_backend api if host_api
                  use_backend admin if is_admin !lan has_token
                  use_backend legacy if old_client || { req.cook(v) 1 }
                  use_backend be_%%[req.hdr(x-pick),lower] if { req.hdr(x-pick) -m found }
                  use_backend www if post
                  default_backend www
                backend api
                  server api %s
                backend admin
                  server admin %s
                backend www
                  server www %s
                backend legacy
                  server legacy %s
                backend be_legacy
                  server legacy %s
                """.formatted(api.address(), admin.address(), www.address(), legacy.address(), legacy.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        twin.close();
        api.close();
        admin.close();
        www.close();
        legacy.close();
    }

    /** Raw, so that Host can be set freely; returns the serving backend or the status. */
    static String route(int port, String path, String... headers) throws Exception {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nConnection: close\r\n");
        boolean host = false;
        for (int i = 0; i < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            host |= headers[i].equalsIgnoreCase("host");
        }
        if (!host) {
            req.append("Host: localhost\r\n");
        }
        String raw = RawHttp.exchange(port, req.append("\r\n").toString(), 5000);
        int code = RawHttp.status(raw);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\r\nx-served-by: (\\w+)").matcher(raw);
        return code == 200 && m.find() ? m.group(1) : Integer.toString(code);
    }

    @Test
    void rulesApplyInOrderWithNamedAndAnonymousAcls() throws Exception {
        for (int port : twin.ports()) {
            assertEquals("www", route(port, "/"), "port " + port);
            assertEquals("api", route(port, "/x", "Host", "API.example.com"), "port " + port);
            assertEquals("api", route(port, "/x", "Host", "api.other.net"), "port " + port);
            assertEquals("www", route(port, "/admin"), "port " + port);
            assertEquals("admin", route(port, "/admin/panel?token=1"), "port " + port);
            assertEquals("legacy", route(port, "/", "User-Agent", "Mozilla/4.0 (compatible; MSIE 6.0)"), "port " + port);
            assertEquals("legacy", route(port, "/", "Cookie", "a=b; v=1"), "port " + port);
            assertEquals("www", route(port, "/", "Cookie", "v=2"), "port " + port);
            assertEquals("legacy", route(port, "/", "X-Pick", "LEGACY"), "port " + port);
            // a dynamic name that matches no backend falls through to the next rules
            assertEquals("www", route(port, "/", "X-Pick", "nothing"), "port " + port);
            assertEquals("api", route(port, "/admin/x?token=1", "Host", "api.example.com"), "port " + port);
        }
    }
}
