package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Http;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The founding scenario from docs/examples/seed.cfg, through real sockets: static files to
 * the static backend in any case and with query strings, the rest to the dynamic one,
 * exact round robin, and the same answers from HAProxy with the same file.
 */
class SeedScenarioTest {
    static TestBackend static1;
    static TestBackend static2;
    static TestBackend dynamic1;
    static TestBackend dynamic2;
    static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        var vx = TestVertx.get();
        static1 = new TestBackend(vx, "static1");
        static2 = new TestBackend(vx, "static2");
        dynamic1 = new TestBackend(vx, "dynamic1");
        dynamic2 = new TestBackend(vx, "dynamic2");
        String seed = Files.readString(Path.of("docs/examples/seed.cfg"))
                .replace("\":${SEED_HTTP_PORT-80}\"", "127.0.0.1:@FE@")
                .replace("\":${SEED_STATS_PORT-8888}\"", "127.0.0.1:@STATS@")
                .replace("\"${STATIC1_ADDR-127.0.0.1:8001}\"", static1.address())
                .replace("\"${STATIC2_ADDR-127.0.0.1:8002}\"", static2.address())
                .replace("\"${DYNAMIC1_ADDR-127.0.0.1:8003}\"", dynamic1.address())
                .replace("\"${DYNAMIC2_ADDR-127.0.0.1:8004}\"", dynamic2.address())
                // stdout logging is not what this test looks at
                .replace("log stdout format raw local0", "");
        twin = Twin.start(seed);
    }

    @AfterAll
    static void stop() throws Exception {
        twin.close();
        static1.close();
        static2.close();
        dynamic1.close();
        dynamic2.close();
    }

    private static String backendOf(int port, String path) throws Exception {
        HttpResponse<String> r = Http.get(port, path);
        assertEquals(200, r.statusCode(), path);
        return Http.servedBy(r).replaceAll("[0-9]", "");
    }

    @Test
    void staticAndDynamicRouting() throws Exception {
        String[][] cases = {
                {"/style.css", "static"}, {"/app.js", "static"}, {"/index.html", "static"},
                {"/STYLE.CSS", "static"}, {"/a/b/Page.Html", "static"}, {"/x.js?v=3&y=.php", "static"},
                {"/index.php", "dynamic"}, {"/", "dynamic"}, {"/style.css.php", "dynamic"},
                {"/x.php?file=a.css", "dynamic"}, {"/cssjs", "dynamic"}, {"/a.htm", "dynamic"},
        };
        for (int port : twin.ports()) {
            for (String[] c : cases) {
                assertEquals(c[1], backendOf(port, c[0]), "port " + port + " " + c[0]);
            }
        }
    }

    @Test
    void roundRobinOrderIsExactOverTwoServers() throws Exception {
        for (int port : twin.ports()) {
            List<String> seq = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seq.add(Http.servedBy(Http.get(port, "/rr.css")));
            }
            // Whatever server starts, the two alternate strictly.
            for (int i = 2; i < seq.size(); i++) {
                assertEquals(seq.get(i - 2), seq.get(i), "port " + port + " " + seq);
            }
            assertEquals(2, seq.stream().distinct().count(), "port " + port + " " + seq);
        }
    }

    @Test
    void forwardedForIsAddedByDefaultsOption() throws Exception {
        int before = dynamic1.seenHeaders.size() + dynamic2.seenHeaders.size();
        Http.get(twin.haquarkPort, "/xff.php");
        List<java.util.Map<String, String>> all = new ArrayList<>(dynamic1.seenHeaders);
        all.addAll(dynamic2.seenHeaders);
        assertEquals(before + 1, all.size());
        boolean found = all.stream().anyMatch(h -> "/xff.php".equals(h.get(":uri")) && "127.0.0.1".equals(h.get("x-forwarded-for")));
        assertEquals(true, found, all.toString());
    }
}
