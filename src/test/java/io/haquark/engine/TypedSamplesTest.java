package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import org.junit.jupiter.api.Test;

/**
 * An ACL without "-m" matches as the type of its sample after the last converter
 * (configuration.txt §7.1, §7.3.1): "hdr(a),length gt 3" compares integers, "hdr(b),even" is a
 * boolean. Compared with HAProxy 2.6 when it is installed.
 */
class TypedSamplesTest {

    @Test
    void aclsMatchTheTypeTheLastConverterGives() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  acl long_a req.hdr(a),length gt 3
                  http-request deny deny_status 403 if long_a
                  http-request deny deny_status 401 if { req.hdr(b),even }
                  http-request deny deny_status 429 if { req.hdr(c),mul(2) 8:10 }
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                assertEquals(403, get(port, "a: abcdef"), who);
                assertEquals(200, get(port, "a: abc"), who);
                assertEquals(401, get(port, "b: 4"), who);
                assertEquals(200, get(port, "b: 3"), who);
                assertEquals(429, get(port, "c: 5"), who);
                assertEquals(200, get(port, "c: 6"), who);
            }
        } finally {
            backend.close();
        }
    }

    private static int get(int port, String header) throws Exception {
        return RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n" + header + "\r\nConnection: close\r\n\r\n", 5000));
    }
}
