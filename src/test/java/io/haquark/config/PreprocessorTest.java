package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.model.KeywordError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conditional blocks and their predicates (configuration.txt §2.4). */
class PreprocessorTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/root", "A", "x");

    private static List<String> keywords(String text, Diagnostics d) {
        List<ConfigLine> lines = new ConfigReader(ENV::get).read("t.cfg", text, d);
        return new Preprocessor(ENV::get).apply(lines, d).stream().map(ConfigLine::keyword).toList();
    }

    @Test
    void ifElifElse() {
        Diagnostics d = new Diagnostics();
        String cfg = """
                .if 0
                a
                .elif defined(HOME) && streq("$A",x)
                b
                .elif 1
                c
                .else
                d
                .endif
                .if !defined(NOPE)
                e
                .else
                f
                .endif
                """;
        assertEquals(List.of("b", "e"), keywords(cfg, d));
        assertTrue(d.messages().isEmpty(), d.messages().toString());
    }

    @Test
    void nestedBlocksInsideAFalseBranchStayFalse() {
        Diagnostics d = new Diagnostics();
        assertEquals(List.of("z"), keywords(".if 0\n.if 1\na\n.else\nb\n.endif\n.endif\nz\n", d));
    }

    @Test
    void predicates() {
        Preprocessor p = new Preprocessor(ENV::get);
        assertTrue(p.evaluate("defined(HOME)"));
        assertFalse(p.evaluate("defined(NOPE)"));
        assertTrue(p.evaluate("streq(a,a)"));
        assertTrue(p.evaluate("strneq(a,b)"));
        assertTrue(p.evaluate("version_atleast(2.4)"));
        assertTrue(p.evaluate("version_atleast(2.6.12)"));
        assertFalse(p.evaluate("version_atleast(2.7)"));
        assertTrue(p.evaluate("version_before(2.7-dev0)"));
        assertTrue(p.evaluate("feature(OPENSSL)"));
        assertFalse(p.evaluate("feature(QUIC)"));
        assertTrue(p.evaluate("defined(HOME)&&defined(A)"));
        assertTrue(p.evaluate("(defined(NOPE) || 1) && !0"));
        assertTrue(p.evaluate("2"));
        assertFalse(p.evaluate(""));
        assertThrows(KeywordError.class, () -> p.evaluate("bogus(x)"));
        assertThrows(KeywordError.class, () -> p.evaluate("defined(HOME) &&"));
        assertThrows(KeywordError.class, () -> p.evaluate("\"x\""));
    }

    @Test
    void messagesAreReportedWithTheirLevel() {
        Diagnostics d = new Diagnostics();
        keywords(".notice hello\n.warning \"be careful\"\n", d);
        assertEquals(Diagnostics.Level.NOTICE, d.messages().get(0).level());
        assertEquals("'hello'.", d.messages().get(0).text());
        assertEquals(Diagnostics.Level.WARNING, d.messages().get(1).level());
        assertEquals("'be careful'.", d.messages().get(1).text());
    }

    @Test
    void setenvInGlobalIsSeenByLaterLines() throws Exception {
        Diagnostics d = new Diagnostics();
        var cfg = new ConfigLoader(Map.of(), java.nio.file.Path.of("."))
                .loadText("t.cfg", "global\n  setenv PORTX 8123\n.if defined(PORTX)\n  node \"n$PORTX\"\n.endif\n", d);
        assertEquals("n8123", cfg.global().node());
    }
}
