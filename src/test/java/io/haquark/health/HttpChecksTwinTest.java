package io.haquark.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.HAProxyBinary;
import io.haquark.support.HAProxyProcess;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * HTTP checks with several rules (configuration.txt §4.2 "http-check connect / send / expect /
 * set-var / send-state"): the same config on haquark and on HAProxy 2.6, each checking its own
 * recording server; the requests the servers get and the check results in the stats CSV
 * (status, check_status, check_code, last_chk, check_desc) must be the same. The expected
 * values below were read off HAProxy 2.6.12, so the test also holds when HAProxy is absent.
 */
class HttpChecksTwinTest {
    private static final String TEMPLATE = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            listen stats
              bind 127.0.0.1:%1$d
              stats uri /st
            backend b1
              option httpchk
              http-check send meth GET uri /b1 ver HTTP/1.1 hdr Host example.com
              http-check expect status 200
              http-check expect string world
              http-check expect hdr name x-app value blue
              server s %2$s check inter 300
            backend b2
              option httpchk GET /b2 HTTP/1.1
              http-check send hdr Host foo body "abc"
              http-check expect hdr name -m beg X-A value green
              server s %2$s check inter 300
            backend b3
              option httpchk GET /b3
              http-check send-state
              http-check expect ! string world
              server s %2$s check inter 300
            backend b4
              option httpchk GET /b4
              http-check expect string nothere
              server s %2$s check inter 300
            backend b5
              option httpchk
              http-check set-var(check.p) str(/b5)
              http-check send uri-lf "%%[var(check.p)]" hdr x-be "%%[be_name]-%%[srv_name]"
              http-check expect fhdr name x-test1 value "true, next value"
              http-check expect hdr name x-test1 value -m end "value"
              server s %2$s check inter 300
            backend b6
              option httpchk
              http-check connect port %3$d
              http-check send meth GET uri /b6-one
              http-check expect status 200
              http-check connect
              http-check send meth POST uri /b6-two ver HTTP/1.1 body-lf "%%[be_name]"
              server s %2$s check inter 300
            backend b7
              option httpchk GET /b7
              http-check expect rstring wor.d
              http-check expect status 201 comment "my comment"
              server s %2$s check inter 300
            """;

    /** What HAProxy 2.6.12 shows for each backend's server: status, check_status, check_code, last_chk, check_desc. */
    private static final Map<String, String> EXPECTED = Map.of(
            "b1", "UP|L7OK|200||Layer7 check passed",
            "b2", "DOWN|L7STS|200|OK|Layer7 wrong status",
            "b3", "DOWN|L7RSP||HTTP check matched unwanted content|Layer7 invalid response",
            "b4", "DOWN|L7RSP||HTTP content check did not match|Layer7 invalid response",
            "b5", "UP|L7OK|200||Layer7 check passed",
            "b6", "UP|L7OK|200||Layer7 check passed",
            "b7", "DOWN|L7STS|200|OK comment: my comment|Layer7 wrong status");

    @Test
    void multiRuleHttpChecksAsHAProxy() throws Exception {
        Map<String, List<String>> ours = new ConcurrentHashMap<>();
        Map<String, List<String>> theirs = new ConcurrentHashMap<>();
        try (TestBackend app = recorder("ours", ours); TestBackend ref = recorder("theirs", theirs)) {
            int ourStats = FreePorts.next();
            Map<String, String> ourResults;
            try (ProxyUnderTest p = ProxyUnderTest.start(TEMPLATE.formatted(ourStats, app.address(), app.port))) {
                ourResults = results(ourStats);
            }
            assertEquals(new TreeMap<>(EXPECTED), new TreeMap<>(ourResults), "haquark's check results");
            // The requests as HAProxy sends them (read off 2.6.12): lower-case names, its own headers.
            assertEquals(List.of("GET /b1 HTTP/1.1", "host: example.com", "connection: close", ""), ours.get("/b1"));
            assertEquals(List.of("GET /b2 HTTP/1.1", "host: foo", "content-length: 3", "connection: close", "abc"), ours.get("/b2"));
            assertEquals(List.of("OPTIONS /b5 HTTP/1.0", "x-be: b5-s", ""), ours.get("/b5"));
            assertTrue(ours.containsKey("/b6-one") && ours.containsKey("/b6-two"), ours.keySet().toString());
            assertTrue(ours.get("/b3").get(1).matches("x-haproxy-server-state: (UP|DOWN)[ 0-9/]*; address=127\\.0\\.0\\.1; "
                    + "port=P; name=b3/s; node=[^;]+; weight=[01]/[01]; scur=0/0; qcur=0"), ours.get("/b3").toString());
            if (HAProxyBinary.available()) {
                int theirStats = FreePorts.next();
                Map<String, String> refResults;
                try (HAProxyProcess h = HAProxyProcess.start(TEMPLATE.formatted(theirStats, ref.address(), ref.port), theirStats)) {
                    refResults = results(theirStats);
                }
                assertEquals(new TreeMap<>(refResults), new TreeMap<>(ourResults), "check results, HAProxy vs haquark");
                for (String path : List.of("/b1", "/b2", "/b4", "/b5", "/b6-one", "/b6-two", "/b7")) {
                    assertEquals(theirs.get(path), ours.get(path), "request " + path);
                }
                assertEquals(theirs.get("/b3").get(0), ours.get("/b3").get(0));
            }
        }
    }

    /** A server answering as the checks expect, keeping the first request of each path (line, headers, body). */
    private static TestBackend recorder(String name, Map<String, List<String>> seen) {
        TestBackend app = new TestBackend(TestVertx.get(), name);
        app.handler(req -> req.body().onComplete(b -> {
            List<String> lines = new ArrayList<>();
            lines.add(req.method() + " " + req.uri() + " " + (req.version().name().equals("HTTP_1_0") ? "HTTP/1.0" : "HTTP/1.1"));
            req.headers().forEach(h -> lines.add(h.getKey() + ": " + h.getValue().replaceAll("port=\\d+", "port=P")));
            lines.add(b.succeeded() ? b.result().toString() : "");
            seen.putIfAbsent(req.path(), lines);
            req.response().putHeader("X-Test1", "true, next value").putHeader("X-App", "blue").end("hello world OK");
        }));
        return app;
    }

    /** Waits until every check server has a result, then reads them from the stats CSV. */
    private static Map<String, String> results(int statsPort) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 8000;
        while (System.currentTimeMillis() < deadline) {
            String answer = RawHttp.exchange(statsPort, "GET /st;csv HTTP/1.0\r\n\r\n", 3000);
            String csv = RawHttp.body(answer);
            String[] lines = csv.split("\n");
            List<String> head = List.of(lines[0].substring(2).split(","));
            out.clear();
            for (String line : lines) {
                String[] f = line.split(",", -1);
                if (f.length < head.size() || !f[1].equals("s")) {
                    continue;
                }
                String status = f[head.indexOf("status")];
                String checkStatus = f[head.indexOf("check_status")];
                // Wait for settled states: the first result, UP or DOWN without a count, and no check
                // in progress (HAProxy prefixes its status with "* " while one runs).
                if (checkStatus.isEmpty() || checkStatus.equals("INI") || checkStatus.startsWith("* ") || status.contains("/")) {
                    continue;
                }
                out.put(f[0], status + "|" + checkStatus + "|" + f[head.indexOf("check_code")] + "|"
                        + f[head.indexOf("last_chk")] + "|" + f[head.indexOf("check_desc")]);
            }
            if (out.size() == EXPECTED.size()) {
                return out;
            }
            Thread.sleep(200);
        }
        return out;
    }
}
