package io.haquark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.CheckRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HAProxy's command-line flags. */
class CommandLineTest {

    @Test
    void parsesHAProxyFlags() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"-f", "a.cfg", "-f", "conf.d", "-db", "-p", "/run/h.pid",
                "-sf", "12", "34", "-L", "peer1", "-q", "-N", "100"});
        assertEquals(List.of(Path.of("a.cfg"), Path.of("conf.d")), o.configFiles());
        assertTrue(o.foreground());
        assertEquals("/run/h.pid", o.pidFile());
        assertEquals(List.of(12L, 34L), o.finishPids());
        assertEquals("peer1", o.localPeer());
        assertTrue(o.quiet());
        LaunchOptions st = LaunchOptions.parse(new String[] {"-st", "9", "-f", "x.cfg", "-D"});
        assertEquals(List.of(9L), st.terminatePids());
        assertTrue(st.daemon());
    }

    @Test
    void unknownFlagPrintsUsageAndExits1() {
        CheckRun r = CheckRun.of("-Z");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("unknown option '-Z'"), r.toString());
        assertTrue(r.err.contains("Usage : haquark"), r.toString());
        assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse(new String[] {"-f"}));
    }

    @Test
    void noConfigIsAnError() {
        CheckRun r = CheckRun.of("-c");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("No configuration file specified"), r.toString());
    }

    @Test
    void versionFlag() {
        CheckRun r = CheckRun.of("-v");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.startsWith("HAProxy version 2.6.12-haquark-"), r.toString());
    }

    /** -vv: the lines tools grep (HAProxy's run-regtests.sh reads version, features, services), true of haquark. */
    @Test
    void verboseVersionListsFeaturesLikeHAProxy() {
        CheckRun r = CheckRun.of("-vv");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.contains("\nFeature list : "), r.toString());
        assertTrue(r.out.contains(" +OPENSSL ") && r.out.contains(" -LUA ") && r.out.contains(" -ZLIB"), r.toString());
        assertTrue(r.out.contains("Available services : prometheus-exporter"), r.toString());
        assertTrue(r.out.contains("Available polling systems :"), r.toString());
        // What the feature list says is what .if feature() and -cc answer.
        assertEquals(0, CheckRun.of("-cc", "feature(OPENSSL)").exitCode);
        assertEquals(1, CheckRun.of("-cc", "feature(LUA)").exitCode);
    }

    @Test
    void checkConditionFlag() {
        assertEquals(0, CheckRun.of("-cc", "version_atleast(2.4)").exitCode);
        assertEquals(1, CheckRun.of("-cc", "defined(SURELY_NOT_DEFINED_VAR)").exitCode);
        assertEquals(2, CheckRun.of("-cc", "nonsense(x)").exitCode);
    }

    @Test
    void missingFileIsAnAlert() {
        CheckRun r = CheckRun.of("-c", "-f", "/nonexistent/haproxy.cfg");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("Could not open configuration file /nonexistent/haproxy.cfg : No such file or directory"), r.toString());
    }

    @Test
    void quietCheckPrintsNothingOnSuccess() {
        CheckRun r = CheckRun.of("-c", "-q", "-f", "docs/examples/seed.cfg");
        assertEquals(0, r.exitCode);
        assertEquals("", r.out);
    }

    @Test
    void validConfigWithoutListenerExits2LikeHAProxy() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("nolistener", ".cfg");
        java.nio.file.Files.writeString(f, "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n"
                + "  timeout connect 1s\nbackend b\n  server s 127.0.0.1:1\n");
        CheckRun r = CheckRun.of("-c", "-f", f.toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.out.contains("Configuration file has no error but will not start (no listener) => exit(2)."), r.toString());
        if (io.haquark.support.HAProxyBinary.available()) {
            Process p = new ProcessBuilder(io.haquark.support.HAProxyBinary.path().toString(), "-c", "-f", f.toString()).redirectErrorStream(true).start();
            assertEquals(2, p.waitFor(), "haproxy -c on the same file");
        }
    }
}
