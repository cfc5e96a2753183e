package io.haquark.logging;

import static io.haquark.runtime.RuntimeApiTestAccess.unix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "log ring@name" with a ring section: lines kept in memory ("show events name", in the layout
 * HAProxy 2.6 prints) and forwarded to a TCP syslog server with octet counting (RFC 6587).
 */
class RingLogTest {

    @Test
    void ringKeepsLinesAndForwardsThemOverTcp() throws Exception {
        Path sock = Files.createTempDirectory("ring").resolve("admin.sock");
        try (ServerSocket syslog = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ProxyUnderTest p = ProxyUnderTest.start("""
                global
                  stats socket %s level admin
                  log ring@myring local0
                ring myring
                  description "My local buffer"
                  format rfc3164
                  maxlen 1200
                  size 32764
                  timeout connect 5s
                  timeout server 10s
                  server mysyslogsrv 127.0.0.1:%d log-proto octet-count
                defaults
                  mode http
                  log global
                  option httplog
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend f
                  bind 127.0.0.1:0
                  http-request return status 200
                """.formatted(sock, syslog.getLocalPort()))) {
            int port = p.engine.boundPort("f", 0);
            assertEquals(200, Http.get(port, "/r1").statusCode());
            assertEquals(200, Http.get(port, "/r2").statusCode());
            syslog.setSoTimeout(5000);
            String forwarded;
            try (Socket s = syslog.accept()) {
                s.setSoTimeout(5000);
                forwarded = readFrames(s.getInputStream(), 2);
            }
            String events = "";
            long end = System.currentTimeMillis() + 5000;
            while (!events.contains("/r2") && System.currentTimeMillis() < end) {
                events = unix(sock, "show events myring");
                Thread.sleep(20);
            }
            List<String> lines = events.lines().filter(l -> !l.isEmpty()).toList();
            assertEquals(2, lines.size(), events);
            // As HAProxy 2.6 shows them: <134>Nov 28 09:06:54 localhost haproxy[3477]: 127.0.0.1:42182 [...] f f/<NOSRV> ... "GET /r1 HTTP/1.1"
            String shape = "<134>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d localhost haquark\\[\\d+\\]: 127\\.0\\.0\\.1:\\d+ \\[[^]]+\\] f f/<NOSRV> "
                    + "\\S+ 200 \\d+ - - LR-- \\S+ 0/0 \"GET /r%d HTTP/1\\.1\"";
            assertTrue(lines.get(0).matches(shape.formatted(1)), lines.get(0));
            assertTrue(lines.get(1).matches(shape.formatted(2)), lines.get(1));
            assertEquals(lines.get(0).length() + " " + lines.get(0) + lines.get(1).length() + " " + lines.get(1), forwarded,
                    "octet-counted frames");
            String sinks = unix(sock, "show events");
            assertTrue(sinks.startsWith("Supported events sinks are listed below. Add -w(wait), -n(new). Any key to stop\n"), sinks);
            assertTrue(sinks.contains("    myring     : type=buffer, 0 dropped, My local buffer\n"), sinks);
            assertEquals("No such event sink\n", unix(sock, "show events nope"));
        }
    }

    private static String readFrames(InputStream in, int frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int f = 0; f < frames; f++) {
            StringBuilder len = new StringBuilder();
            int c;
            while ((c = in.read()) != ' ') {
                len.append((char) c);
            }
            byte[] msg = in.readNBytes(Integer.parseInt(len.toString()));
            out.write((len + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
