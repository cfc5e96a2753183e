package io.haquark.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** One Vert.x for the socket-level tests (native epoll when the platform has it), like Quarkus'. */
public final class TestVertx {
    private static Vertx vertx;

    public static synchronized Vertx get() {
        if (vertx == null) {
            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2));
        }
        return vertx;
    }

    private TestVertx() {
    }
}
