package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The words HAProxy 2.6 makes of each quoting, escape and variable form (configuration.txt
 * §2.2-2.3). Every expectation here was read off "haproxy -c" with ".notice <form>".
 */
class ConfigReaderTest {
    private static final Map<String, String> ENV = Map.of("X", "81", "_A", "z", "Z", "p q");

    static List<String> words(String line) {
        Diagnostics d = new Diagnostics();
        List<ConfigLine> lines = new ConfigReader(ENV::get).read("t.cfg", line + "\n", d);
        assertTrue(d.alerts().isEmpty(), () -> "unexpected alerts " + d.alerts());
        return lines.get(0).words();
    }

    static String alert(String line) {
        Diagnostics d = new Diagnostics();
        new ConfigReader(ENV::get).read("t.cfg", line + "\n", d);
        assertEquals(1, d.alerts().size(), () -> "one alert expected for " + line + ": " + d.messages());
        return d.alerts().get(0).text();
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            plain              | plain
            "dq"               | dq
            'sq'               | sq
            a"b c"d            | ab cd
            a'b c'd            | ab cd
            "a"b'c'd           | abcd
            a\\ b              | a b
            a\\#b              | a#b
            a\\\\b             | a\\b
            a\\"b              | a"b
            a\\'b              | a'b
            \\x41\\x42         | AB
            "\\x41"            | A
            '\\x41'            | \\x41
            $X                 | $X
            ${X}               | ${X}
            "$X"               | 81
            "${X}"             | 81
            '$X'               | $X
            ${X-80}            | ${X-80}
            "${X-80}"          | 81
            "${NOPE-80}"       | 80
            "pre${X}post"      | pre81post
            pre$X.post         | pre$X.post
            $                  | $
            "a#b"              | a#b
            \\$X               | \\$X
            "\\$X"             | $X
            "$_A"              | z
            "a\\\\b"           | a\\b
            "a\\'b"            | a'b
            "a\\ b"            | a b
            "a\\#b"            | a#b
            a\\qb              | a\\qb
            "a\\qb"            | a\\qb
            """)
    void wordFormsMatchHAProxy(String input, String expected) {
        String in = input.replace("\\\\", "\\");
        String exp = expected.replace("\\\\", "\\");
        assertEquals(List.of(".notice", exp), words(".notice " + in));
    }

    @Test
    void controlEscapes() {
        assertEquals("a\tb", words("x a\\tb").get(1));
        assertEquals("a\tb", words("x \"a\\tb\"").get(1));
        assertEquals("a\\tb", words("x 'a\\tb'").get(1));
        assertEquals("a\rb", words("x a\\rb").get(1));
        assertEquals("a\nb", words("x a\\nb").get(1));
    }

    @Test
    void commentsEndTheLineOutsideQuotes() {
        assertEquals(List.of("x", "a"), words("x a#b"));
        assertEquals(List.of("x", "a"), words("x a # comment"));
        assertEquals(List.of("x", "a#b"), words("x 'a#b'"));
    }

    @Test
    void undefinedVariableInQuotesIsAnEmptyWord() {
        assertEquals(List.of("x", "", "y"), words("x \"${NOPE}\" y"));
    }

    @Test
    void listExpansionMakesOneWordPerElement() {
        assertEquals(List.of("x", "p", "q"), words("x \"${Z[*]}\""));
    }

    @Test
    void blanksAndCrlf() {
        Diagnostics d = new Diagnostics();
        List<ConfigLine> lines = new ConfigReader(ENV::get).read("t.cfg", "global\r\n\t maxconn   10 \r\n\r\n# c\r\n", d);
        assertEquals(2, lines.size());
        assertEquals(List.of("maxconn", "10"), lines.get(1).words());
        assertEquals(2, lines.get(1).number());
        assertTrue(d.messages().isEmpty());
    }

    @Test
    void missingFinalNewlineIsAnAlertWithItsPosition() {
        Diagnostics d = new Diagnostics();
        List<ConfigLine> lines = new ConfigReader(ENV::get).read("t.cfg", "global\n  daemon", d);
        assertEquals(2, lines.size());
        assertEquals("Missing LF on last line, file might have been truncated at position 9.", d.alerts().get(0).text());
        assertEquals("t.cfg:2", d.alerts().get(0).location());
    }

    @Test
    void errorsNameTheirPosition() {
        assertEquals("unmatched quote at position 9:", alert(".notice \"abc"));
        assertEquals("unmatched quote at position 9:", alert(".notice 'abc"));
        assertEquals("forbidden first char in environment variable name at position 11:", alert(".notice \"$1\""));
        assertEquals("forbidden first char in environment variable name at position 11:", alert(".notice \"$\""));
        assertEquals("unmatched brace in environment variable name at position 11:", alert(".notice \"${X\""));
        assertEquals("truncated or invalid hexadecimal sequence at position 11:", alert(".notice \"a\\x4\""));
        assertEquals("truncated or invalid hexadecimal sequence at position 10:", alert(".notice a\\x4g"));
    }
}
