package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** http-request auth with userlists (clear and crypt(3) passwords, groups), compared with HAProxy. */
class AuthTest {

    static String get(int port, String path, String credentials) throws Exception {
        String auth = credentials == null ? "" : "Authorization: Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes()) + "\r\n";
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n", 5000);
    }

    static String header(String raw, String name) {
        for (String line : raw.split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                return line.substring(c + 1).trim();
            }
        }
        return null;
    }

    @Test
    void basicAuthAgainstUserlists() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start("""
                userlist admins
                  group ops users alice
                  group dev
                  user alice password $6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.
                  user bob insecure-password hunter2 groups dev
                defaults
                  mode http
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request auth realm Private if { path_beg /private } !{ http_auth(admins) }
                  http-request auth if { path_beg /ops } !{ http_auth_group(admins) ops }
                  default_backend b
                backend b
                  server app %s
                """.formatted(app.address()))) {
            for (int port : t.ports()) {
                String none = get(port, "/private/x", null);
                assertEquals(401, RawHttp.status(none), "port " + port);
                assertEquals("Basic realm=\"Private\"", header(none, "www-authenticate"), "port " + port);
                assertEquals(401, RawHttp.status(get(port, "/private/x", "alice:wrong")), "port " + port);
                assertEquals(200, RawHttp.status(get(port, "/private/x", "alice:secret")), "port " + port);
                assertEquals(200, RawHttp.status(get(port, "/private/x", "bob:hunter2")), "port " + port);
                String ops = get(port, "/ops", "bob:hunter2");
                assertEquals(401, RawHttp.status(ops), "port " + port + ": bob is not in ops");
                assertEquals("Basic realm=\"f\"", header(ops, "www-authenticate"), "port " + port);
                assertEquals(200, RawHttp.status(get(port, "/ops", "alice:secret")), "port " + port);
            }
        } finally {
            app.close();
        }
    }
}
