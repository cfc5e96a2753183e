package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.state.ServerState;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server's maxconn holds across connect retries (configuration.txt §5.2 "maxconn"): a
 * transaction retrying on the same server keeps its slot, so a queued transaction does not
 * get the slot in between and both never hold it at once.
 */
class ServerMaxconnRetryTest {

    @Test
    void retryOnTheSameServerKeepsItsSlotWhileAnotherRequestWaitsInTheQueue() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        // A listener whose accept queue is full: the kernel drops further SYNs, so every
        // connect to it hangs until "timeout connect" (a server that does not answer).
        try (ServerSocket blackhole = new ServerSocket(0, 1, lo)) {
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket f = new Socket();
                try {
                    f.connect(new InetSocketAddress(lo, blackhole.getLocalPort()), 200);
                    fillers.add(f);
                } catch (java.io.IOException full) {
                    f.close();
                    break;
                }
            }
            try (ProxyUnderTest p = ProxyUnderTest.start("""
                    defaults
                      mode http
                      timeout client 5s
                      timeout server 5s
                      timeout connect 300ms
                      timeout queue 5s
                      retries 2
                    frontend f
                      bind 127.0.0.1:0
                      default_backend b
                    backend b
                      server s 127.0.0.1:%d maxconn 1
                    """.formatted(blackhole.getLocalPort()))) {
                int port = p.engine.boundPort("f", 0);
                ServerState s = p.engine.routing().backend("b").state.server("s");
                CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> get(port, "/a"));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (s.active.get() == 0 && System.nanoTime() < until) {
                    Thread.sleep(2);
                }
                CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> get(port, "/b"));
                int most = 0;
                // The first request's three attempts take ~900 ms; watch the slot count meanwhile.
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
                while (System.nanoTime() < end) {
                    most = Math.max(most, s.active.get());
                    Thread.sleep(1);
                }
                assertEquals(1, most, "connections assigned to a server with maxconn 1");
                assertEquals(503, RawHttp.status(first.get(5, TimeUnit.SECONDS)));
                assertEquals(503, RawHttp.status(second.get(5, TimeUnit.SECONDS)));
                assertTrue(s.active.get() == 0, "every slot given back");
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    private static String get(int port, String path) {
        try {
            return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 8000);
        } catch (Exception e) {
            return "";
        }
    }
}
