package io.haquark.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * log-format and unique-id-format: the same request through haquark and HAProxy, the log
 * lines compared variable by variable (all but the ones that differ by nature: ports, times).
 */
class LogFormatTest {

    private static final String HTTP_FORMAT = "%ci|%f|%ft|%b|%s|%ST|%{+Q}r|%HM|%HP|%HQ|%HU|%HV|%tsc|%ts|%rc|%{+Q}ID|%ID"
            + "|%[src,ipmask(8)]|%{+Q}[var(txn.none)]|%[var(txn.none)]|%hr|%CC|%U|%bq|%{+X}o %ci %fi|%{-X}o %fi";

    @Test
    void httpLogFormatAndUniqueIdLikeHAProxy() throws Exception {
        int syslogPort = FreePorts.next();
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start(AccessLogTest.httplogDefaults(syslogPort) + """
                frontend main
                  bind 127.0.0.1:@FE@
                  log-format "%s"
                  unique-id-format %%{+X}o\\ %%ci-%%fi_req
                  unique-id-header X-Unique-ID
                  capture request header Host len 20
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(HTTP_FORMAT, app.address()))) {
            syslog.setSoTimeout(5000);
            List<String[]> lines = new ArrayList<>();
            for (int port : t.ports()) {
                String raw = RawHttp.exchange(port, "GET /a/b.txt?x=1 HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, RawHttp.status(raw));
                String line = AccessLogTest.receive(syslog);
                while (!line.contains("GET /a/b.txt")) {
                    System.out.println("skipped log line: " + line);
                    line = AccessLogTest.receive(syslog);
                }
                lines.add(line.substring(line.indexOf("]: ") + 3).split("\\|", -1));
            }
            String[] ours = lines.get(0);
            String joined = String.join("|", ours);
            assertEquals("127.0.0.1|main|main|web|s1|200|\"GET /a/b.txt?x=1 HTTP/1.1\"|GET|/a/b.txt|?x=1|/a/b.txt?x=1|HTTP/1.1|----|--|0"
                    + "|\"7F000001-7F000001_req\"|7F000001-7F000001_req|127.0.0.0|\"\"|-|{example.org}|-|67|0| 7F000001 7F000001| 127.0.0.1",
                    joined);
            assertEquals("7F000001-7F000001_req", app.seenHeaders.get(0).get("x-unique-id"));
            if (lines.size() > 1) {
                String[] theirs = lines.get(1);
                // %U: haquark counts the bytes on the wire (67); HAProxy 2.6 its internal (HTX) size, a few less.
                int u = 22;
                assertTrue(Math.abs(Long.parseLong(theirs[u]) - Long.parseLong(ours[u])) < 16, ours[u] + " vs " + theirs[u]);
                theirs[u] = ours[u];
                assertEquals(String.join("|", theirs), joined, "haquark vs HAProxy");
                assertEquals("7F000001-7F000001_req", app.seenHeaders.get(1).get("x-unique-id"));
            }
        } finally {
            app.close();
        }
    }

    @Test
    void tcpLogFormatCountsBytesBothWaysLikeHAProxy() throws Exception {
        int syslogPort = FreePorts.next();
        var echo = TestVertx.get().createNetServer().connectHandler(so -> so.handler(b -> so.write(b.appendString("!"))));
        // Port 0: the kernel picks a free one (a port probed free earlier can be taken meanwhile).
        int echoPort = echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start("""
                global
                  log 127.0.0.1:%d local0
                defaults
                  mode tcp
                  log global
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend ft
                  bind 127.0.0.1:@FE@
                  log-format "tcp %%ci %%ft %%b/%%s B=%%B U=%%U %%ts %%ST %%{+Q}[dst]"
                  default_backend echo
                backend echo
                  server e 127.0.0.1:%d
                """.formatted(syslogPort, echoPort))) {
            syslog.setSoTimeout(5000);
            List<String> lines = new ArrayList<>();
            for (int port : t.ports()) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("hello".getBytes());
                    s.getInputStream().readNBytes(6);
                }
                String line;
                do {
                    line = AccessLogTest.receive(syslog);
                } while (!line.contains("U=5"));   // HAProxy also logs the harness' empty readiness probe
                lines.add(line.substring(line.indexOf("]: ") + 3));
            }
            assertEquals("tcp 127.0.0.1 ft echo/e B=6 U=5 -- 0 \"127.0.0.1\"", lines.get(0));
            if (lines.size() > 1) {
                assertEquals(lines.get(1), lines.get(0), "haquark vs HAProxy");
            }
        } finally {
            echo.close();
        }
    }

    @Test
    void unknownVariableIsAnAlertWithItsLine() throws Exception {
        var diag = new io.haquark.config.Diagnostics();
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.haquark.config.ConfigException.class,
                () -> new io.haquark.config.ConfigLoader(java.util.Map.of(), java.nio.file.Path.of("."))
                        .loadText("lf.cfg", "frontend f\n  mode http\n  bind :80\n  log-format \"%ci %Zz\"\n", diag));
        assertTrue(e.getMessage().contains("[lf.cfg:4]") && e.getMessage().contains("Zz"), e.getMessage());
    }
}
