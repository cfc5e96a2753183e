package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.CheckRun;
import io.haquark.support.HAProxyBinary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration in bad-configs.txt must fail "-c" with exit 1, an alert naming the
 * file and line, and HAProxy's wording; HAProxy itself must reject it too.
 */
class BadConfigTest {

    record Case(String name, int line, String message, String text) {
    }

    static List<Case> cases() throws IOException {
        String all;
        try (InputStream in = BadConfigTest.class.getResourceAsStream("/bad-configs.txt")) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> out = new ArrayList<>();
        for (String chunk : all.split("(?m)^### ")) {
            if (chunk.startsWith("#") || chunk.isBlank()) {
                continue;
            }
            int nl = chunk.indexOf('\n');
            String[] head = chunk.substring(0, nl).split("\\|");
            String text = chunk.substring(nl + 1);
            String name = head[0].trim();
            if (name.contains("missing LF")) {
                text = text.stripTrailing();
            }
            out.add(new Case(name, Integer.parseInt(head[1].trim()), head[2].trim(), text));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> badConfigsAreRejectedLikeHAProxy(@TempDir Path dir) throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 60, "the table holds at least 60 bad configurations, has " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path f = dir.resolve("bad.cfg");
            Files.writeString(f, c.text(), StandardCharsets.ISO_8859_1);
            CheckRun r = CheckRun.of("-c", "-f", f.toString());
            assertEquals(1, r.exitCode, c.name() + "\n" + r);
            assertTrue(r.err.contains(c.message()), "message '" + c.message() + "' expected\n" + r);
            if (c.line() > 0) {
                assertTrue(r.err.contains(f + ":" + c.line() + "]"), "location " + f + ":" + c.line() + " expected\n" + r);
            }
            assertTrue(r.err.contains("[ALERT]"), r.toString());
            assertTrue(r.err.contains("Fatal errors found in configuration."), r.toString());
            if (HAProxyBinary.available()) {
                HAProxyBinary.Result h = HAProxyBinary.run(dir, "-c", "-f", f.toString());
                assertNotEquals(0, h.exitCode(), "HAProxy accepts it: " + h.output());
                assertNotEquals(2, h.exitCode(), "HAProxy accepts it: " + h.output());
            }
        }));
    }
}
