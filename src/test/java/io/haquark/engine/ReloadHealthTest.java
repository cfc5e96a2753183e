package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.haquark.config.Diagnostics;
import io.haquark.state.ServerState;
import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A reload keeps health: a server the checks marked DOWN gets no request right after the reload. */
class ReloadHealthTest {

    @Test
    void downServerStaysDownAcrossAReload() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        int dead = FreePorts.next();
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:0
                  default_backend web
                backend web
                  server a %s check inter 200 fall 1 rise 2
                  server dead 127.0.0.1:%d check inter 5000 fall 1 rise 2
                """.formatted(a.address(), dead);
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            long end = System.currentTimeMillis() + 5000;
            while (p.engine.routing().backend("web").state.server("dead").isUp() && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertFalse(p.engine.routing().backend("web").state.server("dead").isUp(), "marked DOWN by its check");
            p.engine.reload(ReloadTest.parse(cfg), Path.of("."), new Diagnostics());
            ServerState after = p.engine.routing().backend("web").state.server("dead");
            // The next check of "dead" is up to 5 s away: only the carried-over state keeps it out.
            assertFalse(after.isUp(), "still DOWN right after the reload");
            int port = p.engine.boundPort("f", 0);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(Http.servedBy(Http.get(port, "/")));
            }
            assertEquals(Set.of("a"), seen);
        } finally {
            a.close();
        }
    }
}
