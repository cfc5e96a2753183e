package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigException;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.model.Config;
import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reloading under load: 20 reloads (servers, ACLs, an extra bind) and not one failed request. */
class ReloadTest {
    static final int PORT = FreePorts.next();
    static final int EXTRA = FreePorts.next();

    static String cfg(int variant, TestBackend a, TestBackend b) {
        String servers = variant % 2 == 0 ? "  server a " + a.address() + "\n"
                : "  server a " + a.address() + "\n  server b " + b.address() + "\n";
        String extraBind = variant % 3 == 0 ? "  bind 127.0.0.1:" + EXTRA + "\n" : "";
        String acl = variant % 2 == 0 ? "path_beg /api" : "path_beg /v" + variant;
        return TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:%d
                %s  acl special %s
                  use_backend other if special
                  default_backend web
                backend web
                %sbackend other
                  server b %s
                """.formatted(PORT, extraBind, acl, servers, b.address());
    }

    static Config parse(String text) throws ConfigException {
        return new ConfigLoader(Map.of(), Path.of(".")).loadText("reload.cfg", text, new Diagnostics());
    }

    @Test
    void twentyReloadsUnderLoadLoseNoRequest() throws Exception {
        TestBackend a = new TestBackend(TestVertx.get(), "a");
        TestBackend b = new TestBackend(TestVertx.get(), "b");
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(1, a, b))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    int i = 0;
                    // bounded: at most 20 000 requests per client, and only while reloads run
                    while (!stop.get() && i++ < 20_000) {
                        try {
                            int code = Http.get(PORT, "/r" + i).statusCode();
                            if (code == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.computeIfAbsent("status " + code, k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.computeIfAbsent(e.toString(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            for (int r = 0; r < 20; r++) {
                Thread.sleep(100);
                p.engine.reload(parse(cfg(r, a, b)), Path.of("."), new Diagnostics());
                if (r % 3 == 0) {
                    assertEquals(200, Http.get(EXTRA, "/extra").statusCode(), "the added bind serves");
                }
            }
            // An invalid configuration is refused and the running one keeps serving.
            assertThrows(ConfigException.class, () -> p.engine.reload(parse(cfg(1, a, b).replace("default_backend web",
                    "default_backend nowhere")), Path.of("."), new Diagnostics()));
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            System.out.printf("reload under load: %d requests served, failures %s%n", ok.get(), failures);
            assertTrue(ok.get() > 200, "load ran: " + ok.get());
            assertEquals(Map.of(), Map.copyOf(failures), "no failed request");
            // counters survived the reloads
            assertTrue(p.engine.routing().frontends.get("f").state.counters.requestsTotal.sum() >= ok.get());
        } finally {
            a.close();
            b.close();
        }
    }
}
