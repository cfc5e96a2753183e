package io.haquark.support;

import io.haquark.cli.EngineWiring;
import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import io.haquark.engine.Engine;
import io.haquark.model.Config;
import java.nio.file.Path;
import java.util.Map;

/** haquark's engine started in-process on the test Vert.x with a config text. */
public final class ProxyUnderTest implements AutoCloseable {
    public final Engine engine;
    public final Config config;

    private ProxyUnderTest(Engine engine, Config config) {
        this.engine = engine;
        this.config = config;
    }

    public static ProxyUnderTest start(String cfg) {
        return start(cfg, Path.of("").toAbsolutePath());
    }

    public static ProxyUnderTest start(String cfg, Path base) {
        Diagnostics diag = new Diagnostics();
        try {
            Config config = new ConfigLoader(Map.of(), base).loadText("test.cfg", cfg, diag);
            Engine e = EngineWiring.create(TestVertx.get(), config);
            e.start(config, base, diag);
            EngineWiring.openRuntimeApi(e, config);
            return new ProxyUnderTest(e, config);
        } catch (Exception ex) {
            throw new IllegalStateException("proxy did not start: " + ex.getMessage() + "\n" + diag.messages(), ex);
        }
    }

    @Override
    public void close() {
        engine.stop();
    }
}
