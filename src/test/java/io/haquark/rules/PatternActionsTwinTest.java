package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * add-acl, del-acl, set-map and del-map change what the ACLs and maps reading the same file see,
 * at once and for every later request; replace-pathq rewrites the path and query together
 * (configuration.txt "http-request add-acl" ...). The same requests go to HAProxy 2.6.
 */
class PatternActionsTwinTest {

    @Test
    void actionsChangeTheSharedPatternsAsHaproxys() throws Exception {
        Path dir = Files.createTempDirectory("patterns");
        Path acl = dir.resolve("blocked.lst");
        Path map = dir.resolve("values.map");
        Files.writeString(acl, "mallory\n");
        Files.writeString(map, "k0 v0\n");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request add-acl(%1$s) %%[req.hdr(x-block)] if { req.hdr(x-block) -m found }
                  http-request del-acl(%1$s) %%[req.hdr(x-unblock)] if { req.hdr(x-unblock) -m found }
                  http-request deny if { req.hdr(x-who) -f %1$s }
                  http-request set-map(%2$s) %%[req.hdr(x-k)] %%[req.hdr(x-v)] if { req.hdr(x-k) -m found }
                  http-request del-map(%2$s) %%[req.hdr(x-del)] if { req.hdr(x-del) -m found }
                  http-request replace-pathq ^/old/([^?]*)\\?a=(.*) /new/\\2?b=\\1
                  http-request return status 200 hdr x-val "%%[req.hdr(x-q),map(%2$s,none)]" hdr x-pathq "%%[pathq]"
                """.formatted(acl, map);
        String[][] steps = {
                {"x-who: alice", "200", null},
                {"x-block: alice", "200", null},
                {"x-who: alice", "403", null},
                {"x-who: mallory", "403", null},
                {"x-unblock: mallory", "200", null},
                {"x-who: mallory", "200", null},
                {"x-q: k0", "200", "x-val: v0"},
                {"x-k: k1\r\nx-v: one", "200", null},
                {"x-q: k1", "200", "x-val: one"},
                {"x-k: k1\r\nx-v: two", "200", null},
                {"x-q: k1", "200", "x-val: two"},
                {"x-del: k1", "200", null},
                {"x-q: k1", "200", "x-val: none"},
        };
        try (Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                for (String[] step : steps) {
                    String answer = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n" + step[0] + "\r\nConnection: close\r\n\r\n", 5000);
                    assertEquals(Integer.parseInt(step[1]), RawHttp.status(answer), who + ", " + step[0] + ": " + answer);
                    if (step[2] != null) {
                        assertTrue(answer.toLowerCase().contains("\r\n" + step[2] + "\r\n"), who + ", " + step[0] + ": " + answer);
                    }
                }
                String moved = RawHttp.exchange(port, "GET /old/x?a=y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                assertTrue(moved.toLowerCase().contains("\r\nx-pathq: /new/y?b=x\r\n"), who + ": " + moved);
            }
        }
    }
}
