package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.CheckRun;
import io.haquark.support.HAProxyBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A condition that can never hold where it is used (a response status in an http-request
 * rule, the request path in an http-response rule) is accepted with HAProxy's warning at the
 * rule's line; "-c" still succeeds. haproxy -c prints the same warnings for the same file.
 */
class PhaseWarningsTest {

    @Test
    void conditionsReadingAMessageThatIsNotThereAreWarnedAboutLikeHAProxy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("phase.cfg");
        Files.writeString(f, """
                defaults
                  mode http
                  timeout client 1s
                  timeout server 1s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:18999
                  acl ok status 200
                  http-request deny if { status 200 }
                  http-request deny if ok
                  http-response deny if { path_beg /x }
                  http-request deny if { path /x }
                  default_backend b
                backend b
                  http-request deny if { status 200 }
                  server s 127.0.0.1:1
                """, StandardCharsets.ISO_8859_1);
        String[] expected = {
            f + ":9] : anonymous acl will never match because it uses keyword 'status' which is incompatible with 'frontend http-request header rule'",
            f + ":10] : acl 'ok' will never match because it only involves keywords that are incompatible with 'frontend http-request header rule'",
            f + ":11] : anonymous acl will never match because it uses keyword 'path_beg' which is incompatible with 'frontend http-response header rule'",
            f + ":15] : anonymous acl will never match because it uses keyword 'status' which is incompatible with 'backend http-request header rule'",
        };
        CheckRun r = CheckRun.of("-c", "-f", f.toString());
        assertEquals(0, r.exitCode, r.toString());
        for (String w : expected) {
            assertTrue(r.err.contains(w), "expected: " + w + "\n" + r);
        }
        assertTrue(!r.err.contains(":12]"), "path in an http-request rule is fine\n" + r);
        if (HAProxyBinary.available()) {
            HAProxyBinary.Result h = HAProxyBinary.run(dir, "-c", "-f", f.toString());
            assertEquals(0, h.exitCode(), h.output());
            for (String w : expected) {
                assertTrue(h.output().contains(w), "HAProxy says: " + h.output());
            }
        }
    }
}
