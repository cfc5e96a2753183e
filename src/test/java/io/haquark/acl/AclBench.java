package io.haquark.acl;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.model.Proxy;
import io.haquark.model.SwitchingRule;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the cost of a routing decision. "seed" is the founding scenario's one ACL; "rules100"
 * walks 100 use_backend rules (path_beg, hdr, path_end -i, url_param, src, method) where only
 * the last matches, the worst case of a long list, on a request held as the engine holds it
 * (BenchRequest). The engine evaluates the list through {@link RuleIndex}; "walked" tests every
 * rule in turn for comparison. Run with bench/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AclBench {
    /** "mixed": the six kinds below in turn; one kind name: 99 rules of that kind only. */
    @org.openjdk.jmh.annotations.Param({"mixed", "path_beg", "hdr", "path_end", "url_param", "src", "hdr_beg"})
    public String kinds;

    private Cond[] seed;
    private Cond[] rules100;
    private RuleIndex seedIndex;
    private RuleIndex index100;
    private final BenchRequest request = new BenchRequest();

    static Cond[] compile(String cfg) throws Exception {
        return compiled(cfg).conds;
    }

    /** The use_backend list compiled as ConfigCompiler does: conditions, and the index the engine walks. */
    record Compiled(Cond[] conds, RuleIndex index) {
    }

    static Compiled compiled(String cfg) throws Exception {
        var config = new ConfigLoader(Map.of(), Path.of(".")).loadText("bench.cfg", cfg, new Diagnostics());
        Proxy p = config.proxy("fe").orElseThrow();
        AclCompiler c = new AclCompiler(p, Path.of("."), (w, m) -> { });
        Cond[] out = new Cond[p.switchingRules().size()];
        AclCompiler.Parsed[] single = new AclCompiler.Parsed[out.length];
        int i = 0;
        for (SwitchingRule r : p.switchingRules()) {
            single[i] = c.single(r.condition());
            out[i++] = c.compile(r.condition());
        }
        return new Compiled(out, RuleIndex.of(out, single));
    }

    @Setup
    public void setup() throws Exception {
        Compiled seedCompiled = compiled("""
                frontend fe
                  mode http
                  bind :80
                  acl url_static path_end -i .css .js .html
                  use_backend b if url_static
                backend b
                  mode http
                """);
        seed = seedCompiled.conds();
        seedIndex = seedCompiled.index();
        StringBuilder sb = new StringBuilder("frontend fe\n  mode http\n  bind :80\n");
        String[] kinds = {"path_beg /api/v%d/", "hdr(host) -i app%d.example.com", "path_end -i .x%d", "url_param(k%d) -m found",
            "src 10.9.%d.0/24", "hdr_beg(user-agent) bot%d"};
        for (int i = 0; i < 99; i++) {
            String k = this.kinds.equals("mixed") ? kinds[i % kinds.length]
                    : java.util.Arrays.stream(kinds).filter(x -> x.startsWith(this.kinds + " ") || x.startsWith(this.kinds + "(")).findFirst().orElseThrow();
            sb.append("  acl a").append(i).append(' ').append(k.formatted(i)).append('\n');
            sb.append("  use_backend b if a").append(i).append('\n');
        }
        sb.append("  acl last path_beg /static/\n  use_backend hit if last METH_GET\n");
        sb.append("backend b\n  mode http\nbackend hit\n  mode http\n");
        Compiled hundred = compiled(sb.toString());
        rules100 = hundred.conds();
        index100 = hundred.index();
        if (first(rules100) != 99 || first(seed) != -1 || index100.first(request) != 99 || seedIndex.first(request) != -1) {
            throw new IllegalStateException("benchmark request does not take the expected rule");
        }
    }

    private int first(Cond[] conds) {
        for (int i = 0; i < conds.length; i++) {
            if (conds[i].test(request)) {
                return i;
            }
        }
        return -1;
    }

    /** What the engine runs: RuleIndex over the seed's one rule. */
    @Benchmark
    public int seedDecision() {
        return seedIndex.first(request);
    }

    /** What the engine runs: RuleIndex over the 100 rules. */
    @Benchmark
    public int hundredRulesLastMatches() {
        return index100.first(request);
    }

    /** The same 100 rules tested one after the other, for comparison with the index. */
    @Benchmark
    public int hundredRulesWalked() {
        return first(rules100);
    }
}
