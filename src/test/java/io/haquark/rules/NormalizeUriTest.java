package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** http-request normalize-uri: the rewritten target, read back with %[url], against HAProxy's. */
class NormalizeUriTest {

    private static final List<String> URIS = List.of("/a//b///c", "/a/./b/.", "/a/b/../c", "/../x", "/a/b/..",
            "/a/%7euser/%2f%41%5a", "/p?b=2&a=1&c=3&a=0", "/x/%zz/%4", "/./", "/q?x=%7e%2F", "/a/../../b");

    private static List<String> urls(int port) throws Exception {
        List<String> out = new ArrayList<>();
        for (String u : URIS) {
            String raw = RawHttp.exchange(port, "GET " + u + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
            out.add(RawHttp.status(raw) + " " + raw.substring(raw.indexOf("\r\n\r\n") + 4));
        }
        return out;
    }

    @Test
    void normalisersRewriteLikeHAProxy() throws Exception {
        try (Twin t = Twin.start("global\n  expose-experimental-directives\n" + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request normalize-uri path-merge-slashes
                  http-request normalize-uri path-strip-dot
                  http-request normalize-uri path-strip-dotdot
                  http-request normalize-uri percent-decode-unreserved
                  http-request normalize-uri percent-to-uppercase
                  http-request normalize-uri query-sort-by-name
                  http-request return status 200 content-type text/plain lf-string "%[url]"
                frontend strict
                  bind 127.0.0.1:@STRICT@
                  http-request normalize-uri path-strip-dotdot full
                  http-request normalize-uri percent-to-uppercase strict
                  http-request return status 200 content-type text/plain lf-string "%[url]"
                """)) {
            List<String> ours = urls(t.haquarkPort);
            assertEquals("200 /a/b/c", ours.get(0));
            assertEquals("200 /a/b/", ours.get(1));
            assertEquals("200 /a/c", ours.get(2));
            assertEquals("200 /p?a=1&a=0&b=2&c=3", ours.get(6));
            List<String> strict = urls(t.haquarkExtra.get("STRICT"));
            assertEquals("200 /x", strict.get(3));
            assertEquals("400", strict.get(7).substring(0, 3));
            if (t.hasReference()) {
                assertEquals(urls(t.haproxyPort), ours, "haquark vs HAProxy");
                assertEquals(urls(t.haproxyExtra.get("STRICT")).stream().map(s -> s.substring(0, Math.min(s.length(), 40))).toList(),
                        strict.stream().map(s -> s.substring(0, Math.min(s.length(), 40))).toList(), "strict: haquark vs HAProxy");
            }
        }
    }
}
