package io.haquark.balance;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** JMH: pick a server and give the slot back, per balance algorithm, 10 servers. Run with bench/jmh.sh. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBench {
    @Param({"roundrobin", "static-rr", "leastconn", "first", "source", "uri"})
    public String algorithm;

    private LoadBalancer backend;
    private final io.haquark.acl.SampleSource request = new io.haquark.acl.AclTestAccess().request();
    private final ServerState[] out = new ServerState[1];
    private final LoadBalancer.Pending pending = s -> { };

    @Setup
    public void setup() throws Exception {
        StringBuilder sb = new StringBuilder("backend b\n  mode http\n  balance ").append(algorithm).append('\n');
        for (int i = 0; i < 10; i++) {
            sb.append("  server s").append(i).append(" 127.0.0.1:").append(8000 + i).append(" maxconn 100\n");
        }
        var config = new ConfigLoader(Map.of(), Path.of(".")).loadText("bench.cfg", sb.toString(), new Diagnostics());
        backend = new LoadBalancer(new BackendState(config.proxy("b").orElseThrow()));
    }

    @Benchmark
    public ServerState pickAndRelease() {
        backend.assign(request, null, pending, out);
        ServerState s = out[0];
        backend.release(s);
        return s;
    }
}
