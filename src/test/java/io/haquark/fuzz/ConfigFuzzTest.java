package io.haquark.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigException;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.engine.ConfigCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutated corpus configurations through the loader and compiler, as "haquark -c" runs them:
 * every input ends in a valid model or a ConfigException whose alerts name a line; nothing
 * else may escape and nothing may hang. Bounded here (haquark.fuzz.count, default 1500 inputs);
 * the longer run is documented in docs/reliability.md.
 */
class ConfigFuzzTest {
    private static final String[] WORDS = {"frontend", "backend", "listen", "defaults", "global", "bind", "server",
        "acl", "use_backend", "default_backend", "http-request", "if", "unless", "{", "}", "!", "||", "or", "\"", "'",
        "\\", "${X}", "\"$HOME\"", "#", "0", "-1", "99999999999999999999", "1s", "100k", ":", "127.0.0.1:", "[::1]:80",
        "path_beg", "hdr(host)", "-i", "-m", "reg", "(", ")", ",", "lower,", "%[src]", "track-sc0", "table", "stick",
        "cookie", "insert", "check", "inter", "rise", "fall", "maxconn", "weight", "balance", "mode", "tcp", "http",
        ".if", ".endif", ".else", ".elif", "ssl", "crt", "timeout", "option", "no", "errorfile", "deny_status",
        "return", "status", "lf-string", "capture", "len", "id", "stats", "uri", "auth", "u:p", "\t", "\u00e9", "\0"};

    @Test
    void mutatedCorpusNeverCrashesNorHangs() throws Exception {
        int count = Integer.getInteger("haquark.fuzz.count", 1500);
        long seed = Long.getLong("haquark.fuzz.seed", 20261128L);
        Random rnd = new Random(seed);
        List<String> corpus = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/corpus/configs"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                corpus.add(Files.readString(p));
            }
        }
        assertTrue(corpus.size() > 40, "corpus found");
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "config-fuzz");
            t.setDaemon(true);
            return t;
        });
        int valid = 0;
        int rejected = 0;
        try {
            for (int i = 0; i < count; i++) {
                String input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
                Future<Boolean> f = exec.submit(() -> check(input));
                boolean ok;
                try {
                    ok = f.get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("input " + i + " (seed " + seed + ") hangs:\n" + input);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("input " + i + " (seed " + seed + ") threw " + e.getCause() + ":\n" + input, e.getCause());
                }
                if (ok) {
                    valid++;
                } else {
                    rejected++;
                }
            }
        } finally {
            exec.shutdownNow();
        }
        System.out.printf("config fuzz: %d inputs (seed %d): %d valid, %d rejected with a located alert%n", count, seed, valid, rejected);
        assertTrue(rejected > 0 && valid > 0, "the mutations exercise both outcomes");
    }

    /** True for a valid config; false for a clean rejection. Anything else is thrown. */
    private static boolean check(String text) {
        Diagnostics diag = new Diagnostics();
        try {
            var config = new ConfigLoader(Map.of("X", "x"), Path.of("src/test/resources/corpus/configs")).loadText("fuzz.cfg", text, diag);
            ConfigCompiler.check(config, diag, Path.of("src/test/resources/corpus/configs"));
            return true;
        } catch (ConfigException e) {
            boolean located = e.diagnostics().messages().stream()
                    .anyMatch(m -> m.level() == Diagnostics.Level.ALERT);
            if (!located) {
                throw new AssertionError("rejected without an alert:\n" + text);
            }
            return false;
        }
    }

    static String mutate(String text, Random rnd) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && !lines.isEmpty(); e++) {
            int at = rnd.nextInt(lines.size());
            String line = lines.get(at);
            switch (rnd.nextInt(8)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.set(at, line + " " + WORDS[rnd.nextInt(WORDS.length)]);
                case 3 -> {
                    String[] w = line.trim().split("\\s+");
                    if (w.length > 1) {
                        w[rnd.nextInt(w.length)] = WORDS[rnd.nextInt(WORDS.length)];
                        lines.set(at, "  " + String.join(" ", w));
                    }
                }
                case 4 -> lines.set(at, line.isEmpty() ? line : line.substring(0, rnd.nextInt(line.length())));
                case 5 -> {
                    if (!line.isEmpty()) {
                        char[] c = line.toCharArray();
                        c[rnd.nextInt(c.length)] = (char) (rnd.nextInt(2) == 0 ? rnd.nextInt(128) : rnd.nextInt(0x3000));
                        lines.set(at, new String(c));
                    }
                }
                case 6 -> lines.add(at, WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)]);
                default -> lines.set(at, lines.get(rnd.nextInt(lines.size())));
            }
        }
        return String.join("\n", lines);
    }
}
