package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.CheckRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** global crt-base / ca-base: relative crt and ca-file names are found there (haquark -c, as haproxy -c). */
class TlsBaseDirsTest {

    @Test
    void relativeNamesResolveUnderTheBases() throws Exception {
        Path certs = Files.createTempDirectory("certs");
        Path cas = Files.createTempDirectory("cas");
        Path cert = Path.of(System.getProperty("haquark.corpus", "src/test/resources/corpus")).resolve("files/cert.pem");
        Files.copy(cert, certs.resolve("site.pem"));
        Files.copy(cert, cas.resolve("clients.pem"));
        String body = """
                defaults
                  mode http
                  timeout client 1s
                  timeout server 1s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:0 ssl crt site.pem ca-file clients.pem verify optional
                """;
        Path ok = Files.writeString(Files.createTempFile("base", ".cfg"), "global\n  crt-base " + certs + "\n  ca-base " + cas + "\n" + body);
        CheckRun r = CheckRun.of("-c", "-f", ok.toString());
        assertEquals(0, r.exitCode, r.toString());
        Path missing = Files.writeString(Files.createTempFile("nobase", ".cfg"), body);
        CheckRun bad = CheckRun.of("-c", "-f", missing.toString());
        assertEquals(1, bad.exitCode, bad.toString());
        assertTrue(bad.err.contains("unable to read file 'site.pem'"), bad.toString());
    }
}
