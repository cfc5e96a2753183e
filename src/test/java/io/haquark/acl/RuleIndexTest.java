package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.model.Proxy;
import io.haquark.model.SwitchingRule;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RuleIndex must pick exactly the rule a walk from the top picks: random rule lists (indexable
 * kinds mixed with negations, AND/OR, regexes, counters) against random requests.
 */
class RuleIndexTest {

    /** A request whose path, query, Host, User-Agent and source are set by the test. */
    static final class Req implements SampleSource {
        String path = "/";
        String query;
        String host;
        String agent;
        String src = "10.0.0.1";

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String uri() {
            return query == null ? path : path + "?" + query;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String query() {
            return query;
        }

        @Override
        public List<String> headerValues(String name) {
            String v = name.equalsIgnoreCase("host") ? host : name.equalsIgnoreCase("user-agent") ? agent : null;
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String p : v.split(",")) {
                out.add(p.trim());
            }
            return out;
        }

        @Override
        public List<String> fullHeaderValues(String name) {
            String v = name.equalsIgnoreCase("host") ? host : name.equalsIgnoreCase("user-agent") ? agent : null;
            return v == null ? List.of() : List.of(v);
        }

        @Override
        public String version() {
            return "1.1";
        }

        @Override
        public InetSocketAddress source() {
            return new InetSocketAddress(src, 40000);
        }

        @Override
        public InetSocketAddress destination() {
            return new InetSocketAddress("127.0.0.1", 80);
        }

        @Override
        public int usableServers(String backend) {
            return 1;
        }

        @Override
        public String frontendName() {
            return "fe";
        }

        @Override
        public String backendName() {
            return null;
        }
    }

    private static final String[] WORDS = {"a", "ab", "abc", "B", "api", "v1", "x.js", "Y.CSS", ""};

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String acl(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> "path_beg /" + word(r) + "/" + word(r);
            case 1 -> "path_beg -i /" + word(r) + " /" + word(r);
            case 2 -> "path_end " + word(r) + " ." + word(r);
            case 3 -> "path_end -i ." + word(r);
            case 4 -> "path /" + word(r) + "/" + word(r);
            case 5 -> "hdr(host) -i " + word(r) + ".example.com " + word(r) + ".test";
            case 6 -> "hdr(Host) " + word(r) + ".example.com";
            case 7 -> "hdr_beg(user-agent) " + word(r);
            case 8 -> "src 10." + r.nextInt(3) + ".0.0/16 192.168." + r.nextInt(3) + ".7";
            case 9 -> "url_param(" + word(r) + "k) -m found";
            case 10 -> "path_reg ^/" + word(r);
            case 11 -> "hdr_sub(user-agent) -i " + word(r);
            case 12 -> "path_len gt " + (6 + r.nextInt(8));
            default -> "url_param(k) " + word(r);
        };
    }

    private static String condition(Random r, int acls) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextBoolean() ? "!a" + r.nextInt(acls) : "a" + r.nextInt(acls);
            case 1 -> "a" + r.nextInt(acls) + " a" + r.nextInt(acls);
            case 2 -> "a" + r.nextInt(acls) + " || a" + r.nextInt(acls);
            case 3 -> "{ " + acl(r) + " }";
            default -> "a" + r.nextInt(acls);
        };
    }

    private static void randomize(Req q, Random r) {
        q.path = "/" + word(r) + (r.nextBoolean() ? "/" + word(r) : "") + (r.nextBoolean() ? "." + word(r) : "");
        q.query = r.nextInt(3) == 0 ? null : word(r) + "k=" + word(r) + "&k=" + word(r);
        q.host = r.nextInt(4) == 0 ? null : word(r) + (r.nextBoolean() ? ".example.com" : ".TEST")
                + (r.nextInt(5) == 0 ? ", " + word(r) + ".test" : "");
        q.agent = r.nextInt(4) == 0 ? null : word(r) + "/" + word(r);
        q.src = r.nextBoolean() ? "10." + r.nextInt(3) + ".5.5" : "192.168." + r.nextInt(3) + ".7";
    }

    @Test
    void firstMatchEqualsTheWalkOnRandomRuleLists() throws Exception {
        Random r = new Random(Long.getLong("haquark.fuzz.seed", 7));
        int lists = 300;
        int requests = 200;
        long indexedLists = 0;
        long matched = 0;
        long deep = 0;
        for (int l = 0; l < lists; l++) {
            int acls = 4 + r.nextInt(30);
            StringBuilder cfg = new StringBuilder("frontend fe\n  mode http\n  bind :80\n");
            for (int i = 0; i < acls; i++) {
                cfg.append("  acl a").append(i).append(' ').append(acl(r)).append('\n');
                if (r.nextInt(6) == 0) {
                    cfg.append("  acl a").append(i).append(' ').append(acl(r)).append('\n'); // OR'ed second declaration
                }
            }
            int rules = 1 + r.nextInt(40);
            for (int i = 0; i < rules; i++) {
                cfg.append("  use_backend b").append(i).append(" if ").append(condition(r, acls)).append('\n');
            }
            for (int i = 0; i < rules; i++) {
                cfg.append("backend b").append(i).append("\n  mode http\n");
            }
            var config = new ConfigLoader(Map.of(), Path.of(".")).loadText("r.cfg", cfg.toString(), new Diagnostics());
            Proxy p = config.proxy("fe").orElseThrow();
            AclCompiler c = new AclCompiler(p, Path.of("."), (w, m) -> { });
            List<SwitchingRule> sr = p.switchingRules();
            Cond[] conds = new Cond[sr.size()];
            AclCompiler.Parsed[] single = new AclCompiler.Parsed[sr.size()];
            for (int i = 0; i < conds.length; i++) {
                conds[i] = c.compile(sr.get(i).condition());
                single[i] = c.single(sr.get(i).condition());
            }
            RuleIndex index = RuleIndex.of(conds, single);
            indexedLists += index.indexedGroups() > 0 ? 1 : 0;
            Req q = new Req();
            for (int k = 0; k < requests; k++) {
                randomize(q, r);
                int walk = -1;
                for (int i = 0; i < conds.length; i++) {
                    if (conds[i].test(q)) {
                        walk = i;
                        break;
                    }
                }
                matched += walk >= 0 ? 1 : 0;
                deep += walk >= 3 ? 1 : 0;
                assertEquals(walk, index.first(q), () -> "list:\n" + cfg + "request " + q.uri() + " host=" + q.host
                        + " ua=" + q.agent + " src=" + q.src);
            }
        }
        // The property means something only if many lists were indexed and requests both hit and missed.
        assertTrue(indexedLists > lists / 2, "indexed lists: " + indexedLists);
        assertTrue(matched > lists * requests / 10 && matched < lists * requests * 95L / 100, "matched: " + matched);
        assertTrue(deep > lists * requests / 10, "matches at rule 3 or later: " + deep);
    }
}
