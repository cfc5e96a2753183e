package io.haquark.cli;

import io.haquark.engine.Engine;
import io.haquark.model.Config;
import io.haquark.runtime.RuntimeSocket;
import io.haquark.stats.StatsPage;
import io.vertx.core.Vertx;

/**
 * Puts together what runs around the engine, which knows none of it: the stats page (an
 * applet the engine calls for "stats uri") and the runtime API sockets ("stats socket"),
 * closed when the engine stops. The process (ProxyService) and the tests wire it the same way.
 */
public final class EngineWiring {
    private EngineWiring() {
    }

    /** An engine for this configuration that serves the stats page; not started yet. */
    public static Engine create(Vertx vertx, Config config) {
        return new Engine(vertx, config).serveStats(StatsPage.APPLET);
    }

    /** Opens the global section's "stats socket" lines (on the runtime API's own thread), once the engine has started. */
    public static void openRuntimeApi(Engine engine, Config config) {
        RuntimeSocket sockets = new RuntimeSocket();
        engine.onStop(sockets::close);
        sockets.open(config.global().statsSockets(), engine);
    }
}
