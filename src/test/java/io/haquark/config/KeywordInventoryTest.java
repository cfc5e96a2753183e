package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.haquark.support.HAProxyBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HAProxy 2.6's own inventory ("haproxy -dKall": every registered fetch, converter, bind and
 * server keyword, option and rule action) against haquark's registries: a keyword HAProxy knows
 * must never be "unknown" to haquark, and a bind or server keyword haquark accepts must be one
 * HAProxy 2.6 knows (a config haquark takes, HAProxy must take too).
 */
class KeywordInventoryTest {
    private static List<String> lines;

    @BeforeAll
    static void dump() throws Exception {
        assumeTrue(HAProxyBinary.available(), "haproxy is not installed: SKIPPED");
        Path dir = Files.createTempDirectory("kw");
        HAProxyBinary.Result r = HAProxyBinary.run(dir, "-dKall", "-q", "-c", "-f", "/dev/null");
        lines = List.of(r.output().split("\n"));
    }

    /** The lines of one "# List of registered ..." block. */
    private static List<String> block(String title) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("# List of registered")) {
                in = l.contains(title);
                continue;
            }
            if (in && !l.startsWith("#") && !l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    private static final Map<String, String> FETCH_ARGS = Map.of("bin", "00", "bool", "1", "distcc_body", "ABCD",
            "distcc_param", "ABCD", "var", "txn.x");

    @Test
    void everyFetchHaproxyHasIsKnown() {
        Pattern p = Pattern.compile("\\[[Y. ]+\\] ([^:(]+)(\\((.*)\\))?: \\w+");
        List<String> unknown = new ArrayList<>();
        int n = 0;
        for (String l : block("sample fetch")) {
            Matcher m = p.matcher(l.trim());
            if (!m.matches() || m.group(1).startsWith("internal.htx")) {
                continue;
            }
            String name = m.group(1);
            String expr = name + args(m.group(3), FETCH_ARGS.get(name));
            n++;
            try {
                io.haquark.acl.SampleExpr.parse(expr, Path.of("."), null);
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("unknown fetch")) {
                    unknown.add(name);
                }
            }
        }
        assertEquals(true, n > 400, "HAProxy's fetch list was read (" + n + ")");
        assertEquals(List.of(), unknown, "fetches HAProxy 2.6 has and haquark does not know");
    }

    @Test
    void everyAclKeywordHaproxyHasIsKnown() {
        List<String> unknown = new ArrayList<>();
        int n = 0;
        for (String l : block("ACL keywords")) {
            String name = l.split("=")[0].trim();
            n++;
            if (io.haquark.acl.FetchRegistry.fetch(name) == null && io.haquark.acl.FetchRegistry.derived(name) == null) {
                unknown.add(name);
            }
        }
        assertEquals(true, n > 50, "HAProxy's ACL keywords were read (" + n + ")");
        assertEquals(List.of(), unknown, "ACL keywords HAProxy 2.6 has and haquark does not know");
    }

    private static final Map<String, String> CONVERTER_ARGS = Map.ofEntries(Map.entry("digest", "sha256"),
            Map.entry("hmac", "sha256,a2V5"), Map.entry("json_query", "$.a"), Map.entry("mqtt_field_value", "connect,1"),
            Map.entry("set-var", "txn.x"), Map.entry("unset-var", "txn.x"), Map.entry("url_enc", "query"),
            Map.entry("jwt_verify", "HS256,secret"), Map.entry("aes_gcm_dec", "128,AAAA,AAAAAAAAAAAAAAAAAAAAAA==,AAAA"));

    @Test
    void everyConverterHaproxyHasIsKnown() throws Exception {
        Pattern p = Pattern.compile("([^(:\\s]+)(\\((.*?)\\))?: .*");
        List<String> unknown = new ArrayList<>();
        Path dir = Files.createTempDirectory("conv");
        Files.writeString(dir.resolve("x"), "a b\n");
        int n = 0;
        for (String l : block("sample converter")) {
            Matcher m = p.matcher(l.trim());
            if (!m.matches()) {
                continue;
            }
            String name = m.group(1);
            n++;
            try {
                io.haquark.acl.SampleExpr.parse("str(1)," + name + args(m.group(3), CONVERTER_ARGS.get(name)), dir, null);
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("unknown converter")) {
                    unknown.add(name);
                }
            }
        }
        assertEquals(true, n > 100, "HAProxy's converter list was read (" + n + ")");
        assertEquals(List.of(), unknown, "converters HAProxy 2.6 has and haquark does not know");
    }

    /** The required arguments of a signature such as "integer,table" or "[string]", filled in. */
    private static String args(String signature, String override) {
        if (override != null) {
            return "(" + override + ")";
        }
        if (signature == null) {
            return "";
        }
        String required = signature.split("\\[")[0].replaceAll(",$", "");
        if (required.isBlank()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String t : required.split(",")) {
            String type = t.trim().split(" ")[0];
            out.add(switch (type) {
                case "integer" -> "1";
                case "table", "backend" -> "b";
                case "server" -> "b/s";
                case "frontend" -> "f";
                case "IPv4" -> "255.255.255.0";
                case "IPv6" -> "::1";
                default -> "x";
            });
        }
        return "(" + String.join(",", out) + ")";
    }

    private static TreeSet<String> lineKeywords(String prefix) {
        TreeSet<String> out = new TreeSet<>();
        Pattern p = Pattern.compile(Pattern.quote(prefix) + " (?:ssl )?([a-z0-9-]+).*");
        for (String l : block("configuration keywords")) {
            Matcher m = p.matcher(l.trim());
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void bindKeywordsAreHaproxys() {
        TreeSet<String> haproxy = lineKeywords("bind <addr>");
        TreeSet<String> ours = new TreeSet<>(BindKeywords.KEYWORDS.keySet());
        assertEquals(true, haproxy.size() > 50, "HAProxy's bind keywords were read");
        TreeSet<String> missing = new TreeSet<>(haproxy);
        missing.removeAll(ours);
        assertEquals(new TreeSet<>(), missing, "bind keywords HAProxy 2.6 has and haquark does not know");
        ours.removeAll(haproxy);
        ours.remove("ssl");              // "bind ... ssl" itself: the prefix of HAProxy's ssl keywords
        assertEquals(new TreeSet<>(), ours, "bind keywords haquark accepts and HAProxy 2.6 refuses");
    }

    @Test
    void serverKeywordsAreHaproxys() {
        TreeSet<String> haproxy = lineKeywords("server <name> <addr>");
        TreeSet<String> ours = new TreeSet<>(ServerKeywords.KEYWORDS.keySet());
        assertEquals(true, haproxy.size() > 90, "HAProxy's server keywords were read");
        TreeSet<String> missing = new TreeSet<>(haproxy);
        missing.removeAll(ours);
        assertEquals(new TreeSet<>(), missing, "server keywords HAProxy 2.6 has and haquark does not know");
        ours.removeAll(haproxy);
        assertEquals(new TreeSet<>(), ours, "server keywords haquark accepts and HAProxy 2.6 refuses");
    }

    @Test
    void globalProxyKeywordsAndOptionsAreKnown() {
        TreeSet<String> missing = new TreeSet<>();
        boolean global = false;
        boolean listen = false;
        for (String l : block("configuration keywords")) {
            if (!l.startsWith("\t") && !l.startsWith(" ")) {
                global = l.trim().equals("global");
                listen = l.trim().equals("listen");
                continue;
            }
            String kw = l.trim().split("\\s+")[0];
            if (global && !GlobalKeywords.KEYWORDS.containsKey(kw)) {
                missing.add("global " + kw);
            }
            if (listen && kw.equals("option")) {
                String opt = l.trim().split("\\s+")[1];
                if (!OptionKeywords.OPTIONS.containsKey(opt)) {
                    missing.add("option " + opt);
                }
            } else if (listen && !kw.equals("bind") && !kw.equals("server") && !kw.contains("-request") && !kw.contains("-response")
                    && !ProxyKeywords.KEYWORDS.containsKey(kw)) {
                missing.add(kw);
            }
        }
        assertEquals(new TreeSet<>(), missing, "keywords HAProxy 2.6 has and haquark does not know");
    }

    @Test
    void everyRuleActionHaproxyHasIsKnown() {
        TreeSet<String> missing = new TreeSet<>();
        Pattern p = Pattern.compile("(http-request|http-response|http-after-response|tcp-request connection|tcp-request session"
                + "|tcp-request content|tcp-response content) ([a-z0-9-]+)\\*?");
        java.util.Set<String> http = new java.util.HashSet<>();
        for (io.haquark.rules.HttpActions.Entry e : io.haquark.rules.HttpActions.all()) {
            http.add(e.ruleKeyword() + " " + e.action());
        }
        for (String l : block("configuration keywords")) {
            Matcher m = p.matcher(l.trim());
            if (!m.matches()) {
                continue;
            }
            String set = m.group(1);
            String action = m.group(2);
            // "track-sc*" stands for track-sc0 ... track-sc2.
            String name = action.equals("track-sc") ? "track-sc0" : action;
            boolean known = set.startsWith("tcp-") ? io.haquark.rules.TcpActions.known(set, name) : http.contains(set + " " + name);
            if (!known) {
                missing.add(set + " " + action);
            }
        }
        assertEquals(new TreeSet<>(), missing, "actions HAProxy 2.6 has and haquark does not know");
    }
}
