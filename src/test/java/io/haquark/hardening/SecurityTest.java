package io.haquark.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an attacker in front of the proxy may try, against haquark and HAProxy on the same
 * config: the stats admin form without credentials or without the admin right, secrets on the
 * stats page, absolute URIs and CONNECT to make the proxy reach an address the config never named.
 */
class SecurityTest {
    private static final String PASSWORD = "S3cr3t-Stats-Pass";
    private static final String USER_PASSWORD = "Us3rl1st-Plain-Pass";

    private static String basic(String userPass) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.ISO_8859_1)) + "\r\n";
    }

    private static String post(int port, String uri, String auth, String form) throws Exception {
        return RawHttp.exchange(port, "POST " + uri + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form, 5000);
    }

    private static String get(int port, String uri, String auth) throws Exception {
        return RawHttp.exchange(port, "GET " + uri + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n", 5000);
    }

    /** Status line and Location of an answer: what must match HAProxy's. */
    private static String head(String raw) {
        String status = raw.lines().findFirst().orElse("");
        String location = raw.lines().filter(l -> l.toLowerCase().startsWith("location:")).findFirst().orElse("");
        return status + (location.isEmpty() ? "" : " | " + location);
    }

    @Test
    void statsAdminNeedsCredentialsAndTheAdminRight() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                userlist admins
                  user ops insecure-password %s
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend web
                backend web
                  server s1 %s
                listen stats
                  bind 127.0.0.1:@STATS@
                  stats enable
                  stats uri /admin?stats
                  stats auth admin:%s
                  stats auth viewer:view
                  stats admin if { http_auth(admins) }
                """.formatted(USER_PASSWORD, app.address(), PASSWORD))) {
            List<String> seen = new ArrayList<>();
            String form = "s=s1&action=maint&b=web";
            for (int i = 0; i < t.ports().size(); i++) {
                int stats = i == 0 ? t.haquarkExtra.get("STATS") : t.haproxyExtra.get("STATS");
                String noCredentials = post(stats, "/admin?stats", "", form);
                String viewer = post(stats, "/admin?stats", basic("viewer:view"), form);
                String csv = get(stats, "/admin?stats;csv", basic("admin:" + PASSWORD));
                String html = get(stats, "/admin?stats", basic("admin:" + PASSWORD));
                seen.add(head(noCredentials) + " || " + head(viewer));
                assertTrue(noCredentials.startsWith("HTTP/1.1 401"), noCredentials);
                assertTrue(csv.contains("\nweb,s1,") && !csv.split("\nweb,s1,")[1].split(",")[15].equals("MAINT"),
                        "web/s1 stays in service: " + csv);
                for (String page : List.of(csv, html)) {
                    assertFalse(page.contains(PASSWORD) || page.contains(USER_PASSWORD), "a password on the stats page");
                }
            }
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }

    /** The proxy connects only where the config says, whatever the request names. */
    @Test
    void noOpenProxyThroughAbsoluteUrisOrConnect() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(app.address()))) {
            List<String> seen = new ArrayList<>();
            for (int port : t.ports()) {
                int before = app.requests.get();
                String absolute = RawHttp.exchange(port, "GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\n"
                        + "Host: 169.254.169.254\r\nConnection: close\r\n\r\n", 5000);
                boolean reachedConfiguredServer = app.requests.get() == before + 1;
                String connect = RawHttp.exchange(port, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", 5000);
                seen.add(head(absolute) + " served by configured server: " + reachedConfiguredServer + " || CONNECT: "
                        + (connect.isEmpty() ? "closed" : head(connect)));
                assertTrue(reachedConfiguredServer, "an absolute URI goes to the configured server, nowhere else");
                assertFalse(connect.contains("SSH-"), "CONNECT never tunnels to the named address");
            }
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }
}
