package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import org.junit.jupiter.api.Test;

/**
 * The hdr() sample fetch reads the response's headers in an http-response rule's value
 * (configuration.txt "hdr"), while the ACL keyword hdr still reads the request's; checked
 * against HAProxy 2.6.
 */
class HdrDirectionTest {

    @Test
    void hdrInAResponseRuleReadsTheResponse() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1").handler(req ->
                req.response().putHeader("foo", "from-response").end("ok"));
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-request set-header X-Req %%[hdr(foo)]
                  http-response set-header X-Fmt %%[hdr(foo)]
                  http-response set-header X-Acl yes if { hdr(foo) from-response }
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                String r = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nfoo: from-request\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(r), who);
                String head = r.toLowerCase();
                assertTrue(head.contains("\r\nx-fmt: from-response\r\n"), who + ": " + r);
                assertTrue(!head.contains("\r\nx-acl:"), who + ": the ACL keyword reads the request: " + r);
                assertEquals("from-request", backend.seenHeaders.get(backend.seenHeaders.size() - 1).get("x-req"), who);
            }
        } finally {
            backend.close();
        }
    }
}
