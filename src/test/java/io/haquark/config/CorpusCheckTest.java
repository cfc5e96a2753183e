package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.CheckRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every real-world config of the corpus passes check mode, run from the corpus folder as its README says. */
class CorpusCheckTest {
    static final Path CORPUS = Path.of(System.getProperty("haquark.corpus", "src/test/resources/corpus")).toAbsolutePath();

    static List<Path> configs() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS.resolve("configs"))) {
            return s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    @Test
    void corpusHasAllFiles() throws IOException {
        assertEquals(51, configs().size());
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusConfigIsValid() throws IOException {
        return configs().stream().map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> {
            CheckRun r = CheckRun.of("-c", "-C", CORPUS.toString(), "-f", "configs/" + cfg.getFileName());
            assertEquals(0, r.exitCode, r.toString());
            assertTrue(r.out.contains("Configuration file is valid"), r.toString());
            assertFalse(r.err.contains("[ALERT]"), r.toString());
        }));
    }

    @Test
    void seedConfigIsValid() {
        CheckRun r = CheckRun.of("-c", "-f", "docs/examples/seed.cfg");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("Configuration file is valid"), r.toString());
    }

    @Test
    void aDirectoryLoadsItsCfgFilesInOrder() throws IOException {
        Path dir = Files.createTempDirectory("cfgdir");
        Files.writeString(dir.resolve("10-defaults.cfg"), "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n");
        Files.writeString(dir.resolve("20-front.cfg"), "frontend f\n  bind 127.0.0.1:0\n  default_backend b\n");
        Files.writeString(dir.resolve("30-back.cfg"), "backend b\n  server s 127.0.0.1:80\n");
        Files.writeString(dir.resolve("ignored.txt"), "this is not a config\n");
        CheckRun r = CheckRun.of("-c", "-f", dir.toString());
        assertEquals(0, r.exitCode, r.toString());
    }
}
