package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bind "curves", "ecdhe" and global "ssl-default-bind-curves" (configuration.txt §5.1, §3.1):
 * a client offering only a group the bind does not take fails its handshake, one offering a
 * listed group connects; a global curves list overrides a bind's ecdhe, as in HAProxy 2.6.
 * openssl s_client against both proxies, the same outcomes.
 */
class TlsCurvesTwinTest {
    private static String handshake(int port, String group) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-groups", group, "-brief")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return group + ":" + (out.contains("CONNECTION ESTABLISHED") ? "ok" : "refused");
    }

    @Test
    void groupsAsHaproxyOffersThem() throws Exception {
        Assumptions.assumeTrue(TlsClientCertTest.openssl(), "SKIPPED: needs openssl");
        try (Twin t = Twin.start("""
                global
                  ssl-default-bind-curves X25519
                """ + TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend tls
                  bind 127.0.0.1:@P384@ ssl crt %1$s curves P-384:P-521
                  bind 127.0.0.1:@ECDHE@ ssl crt %1$s ecdhe secp384r1
                  bind 127.0.0.1:@DEF@ ssl crt %1$s
                  http-request return status 200
                """.formatted(TlsTest.CERT))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                List<String> r = new ArrayList<>();
                for (String bind : new String[] {"P384", "ECDHE", "DEF"}) {
                    for (String g : new String[] {"P-256", "P-384", "X25519"}) {
                        r.add(bind + " " + handshake(p.get(bind), g));
                    }
                }
                seen.add(r);
            }
            List<String> ours = seen.get(0);
            assertEquals(List.of("P384 P-256:refused", "P384 P-384:ok", "P384 X25519:refused", "ECDHE P-256:refused", "ECDHE P-384:refused",
                    "ECDHE X25519:ok", "DEF P-256:refused", "DEF P-384:refused", "DEF X25519:ok"), ours);
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }
}
