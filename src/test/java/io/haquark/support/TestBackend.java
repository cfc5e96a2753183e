package io.haquark.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real HTTP server on loopback playing one "server" of a backend. It answers with
 * {@code x-served-by: <name>} and echoes what it received, unless a test installs its own
 * handler. Counts requests, concurrent requests and connections.
 */
public final class TestBackend implements AutoCloseable {
    public final String name;
    public final int port;
    private final HttpServer server;
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();
    public final AtomicInteger connections = new AtomicInteger();
    public final CopyOnWriteArrayList<Map<String, String>> seenHeaders = new CopyOnWriteArrayList<>();
    private volatile Consumer<HttpServerRequest> handler;
    private final Map<String, String> extra = new ConcurrentHashMap<>();

    public TestBackend(Vertx vertx, String name) {
        this(vertx, name, FreePorts.next());
    }

    public TestBackend(Vertx vertx, String name, int port) {
        this.name = name;
        this.port = port;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
        server.connectionHandler(c -> connections.incrementAndGet());
        server.requestHandler(this::handle);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("backend " + name + " could not listen on " + port, e);
        }
    }

    public TestBackend handler(Consumer<HttpServerRequest> h) {
        this.handler = h;
        return this;
    }

    private void handle(HttpServerRequest req) {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Map<String, String> h = new ConcurrentHashMap<>();
        req.headers().forEach(e -> h.merge(e.getKey().toLowerCase(), e.getValue(), (a, b) -> a + "|" + b));
        h.put(":method", req.method().name());
        h.put(":uri", req.uri());
        h.put(":version", req.version().name());
        seenHeaders.add(h);
        req.response().endHandler(v -> inFlight.decrementAndGet());
        req.response().closeHandler(v -> { });
        Consumer<HttpServerRequest> custom = handler;
        if (custom != null) {
            req.response().putHeader("x-served-by", name);
            custom.accept(req);
            return;
        }
        req.body().onComplete(b -> {
            Buffer body = b.succeeded() ? b.result() : Buffer.buffer();
            req.response()
                    .putHeader("x-served-by", name)
                    .putHeader("x-body-length", Integer.toString(body.length()))
                    .end(name + " " + req.method().name() + " " + req.uri());
        });
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already closed
        }
    }
}
