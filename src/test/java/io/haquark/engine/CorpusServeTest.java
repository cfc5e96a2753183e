package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.model.Bind;
import io.haquark.model.Config;
import io.haquark.model.ListenAddress;
import io.haquark.model.Mode;
import io.haquark.support.RawHttp;
import io.haquark.support.TestVertx;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every corpus config starts and serves: each bind is opened (moved to a free loopback port,
 * since tests never use fixed ports) and accepts a connection, and every plain HTTP listener
 * answers an HTTP request with a status line (TLS ones are covered by TlsTest).
 */
class CorpusServeTest {
    static final Path CORPUS = Path.of(System.getProperty("haquark.corpus", "src/test/resources/corpus")).toAbsolutePath();

    record Outcome(String file, int listeners, int httpAnswers, String problem) {
    }

    static Outcome serve(Path cfgFile) {
        String name = cfgFile.getFileName().toString();
        Diagnostics diag = new Diagnostics();
        try {
            Config config = new ConfigLoader(Map.of(), CORPUS).load(List.of(cfgFile), diag);
            Engine e = io.haquark.cli.EngineWiring.create(TestVertx.get(), config).rewriteBinds(a -> a.isInet() || a.family() == ListenAddress.Family.FD
                    ? ListenAddress.ip(ListenAddress.Family.IPV4, "127.0.0.1", 0, 0)
                    : new ListenAddress(a.family(), null, 0, 0, tempSocket(), -1));
            e.start(config, CORPUS, diag);
            try {
                int expected = 0;
                for (var p : config.proxies()) {
                    if (p.type().hasFrontend() && !p.disabled() && p.mode() != Mode.LOG) {
                        for (Bind b : p.binds()) {
                            expected += b.addresses().size();
                        }
                    }
                }
                int answers = 0;
                for (Listener l : e.listeners()) {
                    if (!(l.bound() instanceof InetSocketAddress isa)) {
                        continue;
                    }
                    if (l.frontend().proxy.mode() == Mode.HTTP && !l.bind().ssl()) {
                        String raw = RawHttp.exchange(isa.getPort(), "GET / HTTP/1.1\r\nHost: corpus\r\nConnection: close\r\n\r\n", 15000);
                        if (RawHttp.status(raw) < 100) {
                            return new Outcome(name, e.listeners().size(), answers, l.describe() + " answered: " + raw);
                        }
                        answers++;
                    } else {
                        try (Socket s = new Socket()) {
                            s.connect(isa, 2000);
                        }
                    }
                }
                if (e.listeners().size() != expected) {
                    return new Outcome(name, e.listeners().size(), answers, "expected " + expected + " listeners");
                }
                return new Outcome(name, e.listeners().size(), answers, null);
            } finally {
                e.stop();
            }
        } catch (Exception ex) {
            return new Outcome(name, 0, 0, ex + " " + diag.alerts());
        }
    }

    static String tempSocket() {
        try {
            return Files.createTempDirectory("sock").resolve("s").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyCorpusConfigStartsAndServes() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS.resolve("configs"))) {
            files = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Path f : files) {
            futures.add(pool.submit(() -> serve(f)));
        }
        List<String> problems = new ArrayList<>();
        int listeners = 0;
        int answers = 0;
        for (Future<Outcome> f : futures) {
            Outcome o = f.get();
            listeners += o.listeners();
            answers += o.httpAnswers();
            if (o.problem() != null) {
                problems.add(o.file() + ": " + o.problem());
            }
        }
        pool.shutdown();
        System.out.printf("corpus: %d configs served, %d listeners opened, %d HTTP frontends answered%n",
                files.size(), listeners, answers);
        assertEquals(51, files.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
