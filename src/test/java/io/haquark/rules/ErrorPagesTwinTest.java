package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Answers the proxy makes itself, byte for byte as HAProxy 2.6 makes them (issue 16): a return
 * with a content type and no payload sends no Content-Type, a per-rule errorfile and the proxy's
 * errorfile (default-errorfiles) are sent with lower-case header names, http-error shapes a deny's
 * status, a return without payload is empty.
 */
class ErrorPagesTwinTest {

    @Test
    void localAnswersMatchHaproxys() throws Exception {
        Path dir = Files.createTempDirectory("errpages");
        Path e403 = dir.resolve("e403.http");
        Path e503 = dir.resolve("e503.http");
        Files.writeString(e403, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nX-From: file\r\n\r\nfrom file");
        Files.writeString(e503, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 8\r\nX-From: pxy\r\n\r\nproxy503");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  errorfile 503 %s
                  http-error status 429 content-type text/plain string "slow down" hdr x-err yes
                  http-request return status 200 content-type text/plain if { path /r1 }
                  http-request deny errorfile %s if { path /r2 }
                  http-request return status 503 default-errorfiles if { path /r3 }
                  http-request deny deny_status 429 if { path /r4 }
                  http-request return status 404 if { path /r5 }
                  default_backend b
                backend b
                  server s 127.0.0.1:9
                """.formatted(e503, e403);
        String[] paths = {"/r1", "/r2", "/r3", "/r4", "/r5"};
        try (Twin twin = Twin.start(cfg)) {
            String[] ours = new String[paths.length];
            for (int i = 0; i < paths.length; i++) {
                ours[i] = RawHttp.exchange(twin.haquarkPort, "GET " + paths[i] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            }
            assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", ours[0]);
            if (twin.hasReference()) {
                for (int i = 0; i < paths.length; i++) {
                    String theirs = RawHttp.exchange(twin.haproxyPort, "GET " + paths[i] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                    assertEquals(theirs, ours[i], paths[i]);
                }
            }
        }
    }
}
