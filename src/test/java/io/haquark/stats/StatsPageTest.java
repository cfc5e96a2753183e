package io.haquark.stats;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stats page of the founding scenario: authentication, the CSV export (header and rows
 * against HAProxy's), and admin actions that change routing at once.
 */
class StatsPageTest {
    static TestBackend s1;
    static TestBackend s2;
    static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        s1 = new TestBackend(TestVertx.get(), "s1");
        s2 = new TestBackend(TestVertx.get(), "s2");
        twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend main
                  bind 127.0.0.1:@FE@
                  default_backend app
                backend app
                  balance roundrobin
                  server s1 %s check inter 200 rise 2 fall 2
                  server s2 %s check inter 200 rise 2 fall 2
                listen stats
                  bind 127.0.0.1:@STATS@
                  stats enable
                  stats hide-version
                  stats uri /admin?stats
                  stats realm Ops\\ Only
                  stats auth user:pass
                  stats auth other:secret
                  stats admin if TRUE
                """.formatted(s1.address(), s2.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        twin.close();
        s1.close();
        s2.close();
    }

    static int statsPort() {
        return twin.haquarkExtra.get("STATS");
    }

    static HttpRequest.Builder authed(String path, String user) {
        return authed(statsPort(), path, user);
    }

    static HttpRequest.Builder authed(int port, String path, String user) {
        return Http.request(port, path).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(user.getBytes()));
    }

    @Test
    void authenticationIsRequired() throws Exception {
        HttpResponse<String> none = Http.get(statsPort(), "/admin?stats");
        assertEquals(401, none.statusCode());
        assertEquals("Basic realm=\"Ops Only\"", none.headers().firstValue("www-authenticate").orElse(""));
        assertEquals(401, Http.send(statsPort(), authed("/admin?stats", "user:wrong").GET()).statusCode());
        HttpResponse<String> ok = Http.send(statsPort(), authed("/admin?stats", "other:secret").GET());
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(ok.body().contains("id=\"px-app\""), "a table per proxy");
        assertFalse(ok.body().contains("version " + io.haquark.model.Release.VERSION), "hide-version");
        assertTrue(ok.body().contains("name=\"s\" value=\"s1\""), "admin form");
    }

    @Test
    void csvHasHAProxysHeaderAndARowPerFrontendServerAndBackend() throws Exception {
        HealthWait.untilChecked(twin);
        HttpResponse<String> r = Http.send(statsPort(), authed("/admin?stats;csv", "user:pass").GET());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElse(""));
        String[] lines = r.body().split("\n");
        if (twin.hasReference()) {
            int refStats = twin.haproxyExtra.get("STATS");
            String refCsv = "";
            // HAProxy's own first checks are spread over "inter": wait until they have run.
            for (int i = 0; i < 100 && (refCsv.isEmpty() || refCsv.contains(",UP 1/2,")); i++) {
                Thread.sleep(i == 0 ? 0 : 50);
                refCsv = Http.send(refStats, authed(refStats, "/admin?stats;csv", "user:pass").GET()).body();
            }
            String[] refLines = refCsv.split("\n");
            assertEquals(refLines[0], lines[0], "HAProxy 2.6's header");
            assertEquals(refLines.length, lines.length, "as many rows as HAProxy");
            for (int i = 1; i < refLines.length; i++) {
                String[] ours = lines[i].split(",", -1);
                String[] theirs = refLines[i].split(",", -1);
                assertEquals(theirs.length, ours.length, "fields in row " + i);
                // name, status, weight, act, bck, type, check status: the same as HAProxy's
                for (int f : new int[] {0, 1, 17, 18, 19, 20, 32, 36}) {
                    assertEquals(theirs[f], ours[f], "row " + i + " field " + StatsCsv.FIELDS.get(f));
                }
            }
        }
        assertEquals(StatsCsv.header().trim(), lines[0]);
        Set<String> rows = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(StatsCsv.FIELDS.size() + 1, f.length, "field count of " + lines[i]);
            rows.add(f[0] + "/" + f[1]);
            if (f[1].startsWith("s")) {
                assertEquals("UP", f[17], lines[i]);
                assertEquals("1", f[18], "weight");
                assertEquals("L4OK", f[36], "check_status");
                assertEquals("2", f[32], "type server");
            }
        }
        assertEquals(Set.of("main/FRONTEND", "app/s1", "app/s2", "app/BACKEND", "stats/FRONTEND", "stats/BACKEND"), rows);
    }

    @Test
    void adminActionsChangeRoutingAtOnce() throws Exception {
        HealthWait.untilChecked(twin);
        int fe = twin.haquarkPort;
        HttpResponse<String> post = Http.send(statsPort(), authed("/admin?stats", "user:pass")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("s=s1&action=maint&b=app")));
        assertEquals(303, post.statusCode());
        assertEquals("/admin?stats;st=DONE", post.headers().firstValue("location").orElse(""));
        for (int i = 0; i < 4; i++) {
            assertEquals("s2", Http.servedBy(Http.get(fe, "/")), "s1 is in MAINT");
        }
        String csv = Http.send(statsPort(), authed("/admin?stats;csv", "user:pass").GET()).body();
        assertTrue(csv.contains("\napp,s1,") && csv.split("\napp,s1,")[1].split(",")[15].equals("MAINT"), csv);
        post = Http.send(statsPort(), authed("/admin?stats", "user:pass")
                .POST(HttpRequest.BodyPublishers.ofString("s=s1&action=ready&b=app")));
        assertEquals("/admin?stats;st=DONE", post.headers().firstValue("location").orElse(""));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(Http.servedBy(Http.get(fe, "/")));
        }
        assertEquals(Set.of("s1", "s2"), seen);
        // bad parameters and nothing-to-do, as HAProxy answers them
        assertEquals("/admin?stats;st=ERRP", Http.send(statsPort(), authed("/admin?stats", "user:pass")
                .POST(HttpRequest.BodyPublishers.ofString("s=nope&action=maint&b=app"))).headers().firstValue("location").orElse(""));
        assertEquals("/admin?stats;st=NONE", Http.send(statsPort(), authed("/admin?stats", "user:pass")
                .POST(HttpRequest.BodyPublishers.ofString("action=maint&b=app"))).headers().firstValue("location").orElse(""));
        HttpResponse<String> page = Http.send(statsPort(), authed("/admin?stats;st=DONE", "user:pass").GET());
        assertTrue(page.body().contains("Action processed successfully."), page.body());
    }

    /** Waits until every checked server of the backend has had its first check. */
    static final class HealthWait {
        static void untilChecked(Twin t) throws InterruptedException {
            var be = t.haquark.engine.routing().backend("app").state;
            long until = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < until) {
                boolean all = true;
                for (var s : be.servers()) {
                    all &= s.lastCheck.equals("L4OK") && io.haquark.health.HealthState.describe(s).equals("UP");
                }
                if (all) {
                    return;
                }
                Thread.sleep(20);
            }
        }
    }
}
