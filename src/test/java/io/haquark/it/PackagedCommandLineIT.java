package io.haquark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (fast-jar through bin/haquark, or the native executable under the
 * native profile) checks configurations as "haproxy -c" does: exit 0 for the README's example,
 * exit 1 with a located [ALERT] for a bad one.
 */
class PackagedCommandLineIT {

    private static String run(int expectedExit, String... args) throws Exception {
        Path log = Files.createTempFile("cli", ".log");
        Process p = ProcessReloadIT.start(log, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
        String out = Files.readString(log);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    @Test
    void checkModeOnTheExampleAndOnABadConfig() throws Exception {
        Path base = Path.of(System.getProperty("haquark.basedir", "."));
        assertTrue(run(0, "-c", "-f", base.resolve("docs/examples/seed.cfg").toString()).contains("Configuration file is valid"));
        Path bad = Files.writeString(Files.createTempFile("bad", ".cfg"), "frontend f\n  bind :80\n  bogus-keyword 1\n");
        String out = run(1, "-c", "-f", bad.toString());
        assertTrue(out.contains("[ALERT]") && out.contains(bad + ":3") && out.contains("bogus-keyword"), out);
    }
}
