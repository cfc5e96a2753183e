package io.haquark.config;

import io.haquark.config.grammar.HAProxyConfigBaseVisitor;
import io.haquark.config.grammar.HAProxyConfigLexer;
import io.haquark.config.grammar.HAProxyConfigParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

/**
 * Turns the text of one config file into lines of words (configuration.txt §2.2-2.3): runs the
 * ANTLR grammar, then resolves escapes, quotes and environment variables part by part.
 */
public final class ConfigReader {

    private Function<String, String> env;

    /**
     * A line as the grammar saw it, not yet expanded: HAProxy expands environment variables
     * line by line, so a {@code setenv} in global is visible to the lines after it.
     */
    public record RawLine(String file, int number, List<HAProxyConfigParser.WordContext> words) {
    }

    public ConfigReader(Function<String, String> env) {
        this.env = env;
    }

    /** Reads and expands every line with one fixed environment (tests, -cc). */
    public List<ConfigLine> read(String file, String text, Diagnostics diag) {
        List<ConfigLine> out = new ArrayList<>();
        for (RawLine raw : parse(file, text, diag)) {
            ConfigLine line = expand(raw, env, diag);
            if (line != null) {
                out.add(line);
            }
        }
        return out;
    }

    /** Expands one line with the environment in force when the loader reaches it; null if it has no words. */
    public ConfigLine expand(RawLine raw, Function<String, String> environment, Diagnostics diag) {
        Function<String, String> saved = env;
        env = environment;
        try {
            List<String> words = new ArrayList<>(raw.words().size());
            WordBuilder wb = new WordBuilder(raw.file(), raw.number(), diag);
            for (HAProxyConfigParser.WordContext wc : raw.words()) {
                words.addAll(wb.build(wc));
            }
            return words.isEmpty() ? null : new ConfigLine(raw.file(), raw.number(), words);
        } finally {
            env = saved;
        }
    }

    public List<RawLine> parse(String file, String text, Diagnostics diag) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            int lastLine = (int) text.chars().filter(c -> c == '\n').count() + 1;
            int lastStart = text.lastIndexOf('\n') + 1;
            diag.alert(file + ":" + lastLine, "Missing LF on last line, file might have been truncated at position "
                    + (text.length() - lastStart + 1) + ".");
            text = text + "\n";
        }
        HAProxyConfigLexer lexer = new HAProxyConfigLexer(CharStreams.fromString(text, file));
        HAProxyConfigParser parser = new HAProxyConfigParser(new CommonTokenStream(lexer));
        BaseErrorListener errors = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                diag.alert(file + ":" + line, "syntax error at column " + (col + 1) + ": " + msg);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        HAProxyConfigParser.ConfigContext tree = parser.config();
        List<RawLine> lines = new ArrayList<>();
        for (HAProxyConfigParser.LineContext lc : tree.line()) {
            if (!lc.word().isEmpty()) {
                lines.add(new RawLine(file, lc.getStart().getLine(), lc.word()));
            }
        }
        return lines;
    }

    /** Resolves the parts of one word; a "${VAR[*]}" part may turn one word into several. */
    private final class WordBuilder extends HAProxyConfigBaseVisitor<Void> {
        private final String file;
        private final int number;
        private final Diagnostics diag;
        private StringBuilder current;
        private List<String> out;

        WordBuilder(String file, int number, Diagnostics diag) {
            this.file = file;
            this.number = number;
            this.diag = diag;
        }

        List<String> build(HAProxyConfigParser.WordContext wc) {
            out = new ArrayList<>(1);
            current = new StringBuilder();
            for (HAProxyConfigParser.PartContext p : wc.part()) {
                visit(p);
            }
            // HAProxy keeps an empty argument where an unset variable stood ("maxconn 1 $UNSET" is 3 words).
            out.add(current.toString());
            return out;
        }

        @Override
        public Void visitBare(HAProxyConfigParser.BareContext ctx) {
            current.append(ctx.getText());
            return null;
        }

        @Override
        public Void visitEscape(HAProxyConfigParser.EscapeContext ctx) {
            String e = ctx.getText();
            if (e.equals("\\x")) {
                badHex(ctx.getStart().getCharPositionInLine() + 1);
                return null;
            }
            // Outside quotes "\$" is not an escape: HAProxy keeps both characters.
            if (e.equals("\\$")) {
                current.append(e);
                return null;
            }
            appendEscape(e);
            return null;
        }

        private void badHex(int position) {
            diag.alert(file + ":" + number, "truncated or invalid hexadecimal sequence at position " + position + ":");
        }

        @Override
        public Void visitDollar(HAProxyConfigParser.DollarContext ctx) {
            current.append('$');
            return null;
        }

        @Override
        public Void visitStrongQuoted(HAProxyConfigParser.StrongQuotedContext ctx) {
            String t = ctx.getText();
            current.append(t, 1, t.length() - 1);
            return null;
        }

        /** HAProxy 2.6 expands variables only inside double quotes: unquoted, "$X" is literal text. */
        @Override
        public Void visitEnv(HAProxyConfigParser.EnvContext ctx) {
            current.append(ctx.getText());
            return null;
        }

        @Override
        public Void visitUnterminated(HAProxyConfigParser.UnterminatedContext ctx) {
            String t = ctx.getText();
            diag.alert(file + ":" + number, "unmatched quote at position "
                    + (ctx.getStart().getCharPositionInLine() + 1) + ":");
            current.append(t, 1, t.length());
            return null;
        }

        @Override
        public Void visitWeakQuoted(HAProxyConfigParser.WeakQuotedContext ctx) {
            String t = ctx.getText();
            String body = t.substring(1, t.length() - 1);
            // Column (1-based) of body[0] in the line, for HAProxy-style "at position N" messages.
            int col0 = ctx.getStart().getCharPositionInLine() + 2;
            int i = 0;
            while (i < body.length()) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length()) {
                    if (body.charAt(i + 1) == 'x') {
                        if (i + 3 >= body.length() || !isHex(body.charAt(i + 2)) || !isHex(body.charAt(i + 3))) {
                            badHex(col0 + i);
                            return null;
                        }
                        appendEscape(body.substring(i, i + 4));
                        i += 4;
                    } else {
                        appendEscape(body.substring(i, i + 2));
                        i += 2;
                    }
                } else if (c == '$') {
                    int next = i + 1;
                    if (next < body.length() && body.charAt(next) == '{') {
                        if (body.indexOf('}', next) < 0) {
                            diag.alert(file + ":" + number, "unmatched brace in environment variable name at position "
                                    + (col0 + next) + ":");
                            return null;
                        }
                    } else if (next >= body.length() || !(Character.isLetter(body.charAt(next)) || body.charAt(next) == '_')) {
                        diag.alert(file + ":" + number, "forbidden first char in environment variable name at position "
                                + (col0 + next) + ":");
                        return null;
                    }
                    int end = envEnd(body, i);
                    expandEnv(body.substring(i, end), true);
                    i = end;
                } else {
                    current.append(c);
                    i++;
                }
            }
            return null;
        }

        private int envEnd(String s, int dollar) {
            int i = dollar + 1;
            if (i < s.length() && s.charAt(i) == '{') {
                int close = s.indexOf('}', i);
                return close < 0 ? dollar + 1 : close + 1;
            }
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                if (i == dollar + 1 && Character.isDigit(s.charAt(i))) {
                    break;
                }
                i++;
            }
            return i;
        }

        private void expandEnv(String ref, boolean quoted) {
            String name;
            String fallback = null;
            boolean list = false;
            if (ref.startsWith("${")) {
                name = ref.substring(2, ref.length() - 1);
                int dash = name.indexOf('-');
                if (dash >= 0) {
                    fallback = name.substring(dash + 1);
                    name = name.substring(0, dash);
                }
                if (name.endsWith("[*]")) {
                    list = true;
                    name = name.substring(0, name.length() - 3);
                }
            } else {
                name = ref.substring(1);
            }
            String value = env.apply(name);
            if (value == null) {
                value = fallback == null ? "" : fallback;
            }
            if (quoted) {
                }
            if (list && quoted) {
                // "${VAR[*]}" makes one word per blank-separated element (§2.3).
                String[] items = value.trim().split("[ \t]+");
                boolean first = true;
                for (String item : items) {
                    if (item.isEmpty()) {
                        continue;
                    }
                    if (!first) {
                        out.add(current.toString());
                        current = new StringBuilder();
                    }
                    current.append(item);
                    first = false;
                }
                return;
            }
            current.append(value);
        }

        private void appendEscape(String e) {
            if (e.length() < 2) {
                current.append('\\');
                return;
            }
            char c = e.charAt(1);
            switch (c) {
                case 'r' -> current.append('\r');
                case 'n' -> current.append('\n');
                case 't' -> current.append('\t');
                case 'x' -> {
                    if (e.length() == 4) {
                        current.append((char) Integer.parseInt(e.substring(2), 16));
                    } else {
                        current.append("\\x");
                    }
                }
                case '\\', ' ', '#', '\'', '"', '$' -> current.append(c);
                default -> current.append('\\').append(c);
            }
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
