package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** http-error status ... and errorfile answering the errors the proxy generates, byte for byte against HAProxy. */
class HttpErrorTest {

    @Test
    void httpErrorAndErrorfileReplaceGeneratedErrors() throws Exception {
        Path dir = Files.createTempDirectory("errs");
        Path e429 = dir.resolve("429.http");
        Files.writeString(e429, "HTTP/1.1 429 Too Many Requests\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\nslow down");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-error status 503 content-type text/plain string "all down" hdr x-why "%%[path]"
                  http-error status 403 content-type application/json lf-string "{\\"p\\":\\"%%[path]\\"}"
                  errorfile 429 %s
                  http-request deny if { path /deny }
                  http-request deny deny_status 429 if { path /slow }
                  http-request deny deny_status 403 content-type text/plain string custom if { path /own }
                  default_backend b
                backend b
                  server s1 127.0.0.1:1 disabled
                """.formatted(e429))) {
            List<List<String>> all = new ArrayList<>();
            for (int port : t.ports()) {
                List<String> seen = new ArrayList<>();
                for (String path : new String[] {"/x", "/deny", "/slow", "/own"}) {
                    seen.add(RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 3000));
                }
                all.add(seen);
            }
            assertEquals("HTTP/1.1 503 Service Unavailable\r\nx-why: /x\r\ncontent-length: 8\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nall down",
                    all.get(0).get(0));
            assertEquals("{\"p\":\"/deny\"}", all.get(0).get(1).substring(all.get(0).get(1).indexOf("\r\n\r\n") + 4));
            if (all.size() > 1) {
                for (int i = 0; i < all.get(0).size(); i++) {
                    assertEquals(all.get(1).get(i), all.get(0).get(i), "answer " + i + ": haquark vs HAProxy");
                }
            }
        }
    }
}
