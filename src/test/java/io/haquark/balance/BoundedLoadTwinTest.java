package io.haquark.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.SocketServer;
import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * hash-balance-factor (configuration.txt §4.2): with consistent hashing, a server already holding
 * its share of the outstanding requests (times the factor) is passed over for the next point of
 * the ring. Requests for one key, held open by the servers, arrive one by one; the servers they
 * reach, in order, are HAProxy 2.6's.
 */
class BoundedLoadTwinTest {
    @Test
    void aFullServerIsPassedOverAsHaproxyPassesIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<SocketServer> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "s" + i;
            servers.add(new SocketServer((c, n) -> {
                String head = SocketServer.readHead(c.getInputStream());
                seen.add(name + head.substring(head.indexOf(' '), head.indexOf(' ', head.indexOf(' ') + 1)));
                Thread.sleep(1500);
                c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }));
        }
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend f
                  bind 127.0.0.1:@HB@
                  default_backend b
                backend b
                  balance uri
                  hash-type consistent
                  hash-balance-factor 150
                  server s1 127.0.0.1:%d weight 2
                  server s2 127.0.0.1:%d
                  server s3 127.0.0.1:%d
                """.formatted(servers.get(0).port(), servers.get(1).port(), servers.get(2).port()))) {
            List<List<String>> runs = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                int port = (i == 0 ? t.haquarkExtra : t.haproxyExtra).get("HB");
                seen.clear();
                List<Thread> clients = new ArrayList<>();
                for (int r = 0; r < 8; r++) {
                    String path = r < 6 ? "/same" : "/other-" + r;
                    Thread c = new Thread(() -> {
                        try {
                            RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
                        } catch (Exception ignored) {
                            // where each request went is what is compared
                        }
                    });
                    c.start();
                    clients.add(c);
                    Thread.sleep(120);
                }
                for (Thread c : clients) {
                    c.join(6000);
                }
                runs.add(new ArrayList<>(seen));
            }
            List<String> ours = runs.get(0);
            assertEquals(8, ours.size(), ours.toString());
            assertTrue(ours.stream().filter(s -> s.endsWith("/same")).map(s -> s.substring(0, 2)).distinct().count() > 1,
                    "one key spread over several servers under load: " + ours);
            if (runs.size() > 1) {
                assertEquals(runs.get(1), runs.get(0), "haquark vs HAProxy");
            }
        } finally {
            for (SocketServer s : servers) {
                s.close();
            }
        }
    }
}
