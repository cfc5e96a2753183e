package io.haquark.stats;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.haquark.support.ProxyUnderTest;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTML stats page rendered by a real headless Chromium: the DOM has the proxy tables, and a screenshot is taken. */
class StatsBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("chromium")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    @Test
    void statsPageRendersInHeadlessChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("*** chromium is not installed: the stats page browser test is SKIPPED (apt-get install chromium) ***");
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed");
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        String cfg = TestConfigs.HTTP_DEFAULTS + """
                frontend main
                  bind 127.0.0.1:0
                  default_backend app
                backend app
                  server s1 %s check inter 500
                  server s2 127.0.0.1:1 check inter 500
                  server s3 %s backup
                listen stats
                  bind 127.0.0.1:0
                  stats enable
                  stats uri /stats
                  stats show-legends
                  stats admin if TRUE
                """.formatted(s1.address(), s1.address());
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            int port = p.engine.boundPort("stats", 0);
            Thread.sleep(1200);
            String url = "http://127.0.0.1:" + port + "/stats";
            String dom = run(List.of("--dump-dom", url));
            for (String table : List.of("px-main", "px-app", "px-stats")) {
                assertTrue(dom.contains("id=\"px-" + table.substring(3) + "\""), "table " + table + " in the rendered DOM");
            }
            assertTrue(dom.contains("class=\"active_up\""), "s1 row coloured as active UP");
            assertTrue(dom.contains("class=\"active_down\""), "s2 row coloured as active DOWN");
            assertTrue(dom.contains("class=\"backup_no_check\""), "s3 row coloured as backup not checked");
            Path shot = Path.of("target", "stats-page.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            run(List.of("--window-size=1400,900", "--screenshot=" + shot, url));
            assertTrue(Files.exists(shot), "screenshot written");
            byte[] png = Files.readAllBytes(shot);
            assertTrue(png.length > 10_000, "a real picture, " + png.length + " bytes");
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
        } finally {
            s1.close();
        }
    }
}
