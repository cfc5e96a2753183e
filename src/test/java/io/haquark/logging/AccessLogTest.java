package io.haquark.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.FreePorts;
import io.haquark.support.Http;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** option httplog lines over UDP syslog, field by field against HAProxy's for the same request. */
class AccessLogTest {

    static String receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).trim();
    }

    /** The fields after "tag[pid]: ": client, date, frontend, backend/server, timers, status, bytes, ... */
    static String[] fields(String line) {
        String body = line.substring(line.indexOf("]: ") + 3);
        String request = body.substring(body.indexOf('"'));
        String[] head = body.substring(0, body.indexOf('"')).trim().split(" ");
        List<String> out = new ArrayList<>(List.of(head));
        out.add(request);
        return out.toArray(new String[0]);
    }

    /** Logs to a UDP syslog on the given port, option httplog, short timeouts. */
    static String httplogDefaults(int syslogPort) {
        return """
                global
                  log 127.0.0.1:%d local0
                defaults
                  mode http
                  log global
                  option httplog
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                """.formatted(syslogPort);
    }

    @Test
    void httplogLinesMatchHAProxy() throws Exception {
        int syslogPort = FreePorts.next();
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start(httplogDefaults(syslogPort) + """
                frontend main
                  bind 127.0.0.1:@FE@
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(app.address()))) {
            syslog.setSoTimeout(5000);
            List<String[]> lines = new ArrayList<>();
            for (int port : t.ports()) {
                assertEquals(200, Http.get(port, "/logged?x=1").statusCode());
                // HAProxy also logs the harness' readiness probe (a connection without a request): skip such lines.
                String line = receive(syslog);
                while (!line.contains("GET /logged?x=1")) {
                    line = receive(syslog);
                }
                assertTrue(line.startsWith("<134>"), "local0.info: " + line);
                lines.add(fields(line));
            }
            String[] ours = lines.get(0);
            assertEquals("127.0.0.1", ours[0].split(":")[0]);
            assertEquals("main", ours[2]);
            assertEquals("web/s1", ours[3]);
            assertTrue(ours[4].matches("\\d+/\\d+/\\d+/\\d+/\\d+"), ours[4]);
            assertEquals("200", ours[5]);
            assertEquals("\"GET /logged?x=1 HTTP/1.1\"", ours[ours.length - 1]);
            if (lines.size() > 1) {
                String[] theirs = lines.get(1);
                assertEquals(theirs.length, ours.length, String.join(" ", ours) + "\n" + String.join(" ", theirs));
                // frontend, backend/server, status, cookies, termination state, request: equal. %B is the bytes
                // sent to the client here; HAProxy 2.6 counts its internal (HTX) size, a few bytes more.
                assertTrue(Math.abs(Long.parseLong(theirs[6]) - Long.parseLong(ours[6])) < 16, ours[6] + " vs " + theirs[6]);
                for (int i : new int[] {2, 3, 5, 7, 8, 9, ours.length - 1}) {
                    assertEquals(theirs[i], ours[i], "field " + i + "\nours:   " + String.join(" ", ours)
                            + "\ntheirs: " + String.join(" ", theirs));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no syslog line received", e);
        } finally {
            app.close();
        }
    }

    @Test
    void capturedHeadersAndCookiesAppearLikeHAProxy() throws Exception {
        int syslogPort = FreePorts.next();
        TestBackend app = new TestBackend(TestVertx.get(), "app").handler(req -> req.response()
                .putHeader("Content-Type", "text/x-test").putHeader("Set-Cookie", "SID=abc123; path=/").end("ok"));
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start(httplogDefaults(syslogPort) + """
                frontend main
                  bind 127.0.0.1:@FE@
                  capture request header Host len 20
                  capture request header User-Agent len 5
                  capture cookie SID len 32
                  declare capture response len 8
                  capture response header Content-Type len 30
                  http-request capture req.hdr(x-id) len 4
                  http-response capture res.hdr(content-type) id 0
                  http-request set-header X-Seen %%[capture.req.hdr(2)]
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(app.address()))) {
            syslog.setSoTimeout(5000);
            List<String[]> lines = new ArrayList<>();
            for (int port : t.ports()) {
                String raw = io.haquark.support.RawHttp.exchange(port, "GET /cap HTTP/1.1\r\nHost: example.org\r\n"
                        + "User-Agent: curl/8.0|x\r\nCookie: A=1; SID=zz9\r\nX-Id: 123456\r\nConnection: close\r\n\r\n", 5000);
                assertEquals(200, io.haquark.support.RawHttp.status(raw));
                String line = receive(syslog);
                while (!line.contains("GET /cap")) {
                    line = receive(syslog);
                }
                lines.add(fields(line));
            }
            String[] ours = lines.get(0);
            String joined = String.join(" ", ours);
            assertTrue(joined.contains(" SID=zz9 SID=abc123 "), joined);
            assertTrue(joined.contains(" {example.org|curl/|1234} {text/x-t|text/x-test} "), joined);
            assertEquals("1234", app.seenHeaders.get(0).get("x-seen"));
            if (lines.size() > 1) {
                String[] theirs = lines.get(1);
                assertEquals(theirs.length, ours.length, joined + "\n" + String.join(" ", theirs));
                for (int i : new int[] {2, 3, 5, 7, 8, 9, ours.length - 3, ours.length - 2, ours.length - 1}) {
                    assertEquals(theirs[i], ours[i], "field " + i + "\nours:   " + joined + "\ntheirs: " + String.join(" ", theirs));
                }
            }
        } finally {
            app.close();
        }
    }

    @Test
    void setLogLevelSilentDropsTheLine() throws Exception {
        int syslogPort = FreePorts.next();
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start(httplogDefaults(syslogPort) + """
                frontend main
                  bind 127.0.0.1:@FE@
                  http-request set-log-level silent if { path /quiet }
                  default_backend web
                backend web
                  server s1 %s
                """.formatted(app.address()))) {
            syslog.setSoTimeout(5000);
            for (int port : t.ports()) {
                assertEquals(200, Http.get(port, "/quiet").statusCode());
                assertEquals(200, Http.get(port, "/loud").statusCode());
                String line = receive(syslog);
                while (!line.contains("\"GET /")) {
                    line = receive(syslog);   // the harness' readiness probe, logged by HAProxy
                }
                assertTrue(line.contains("GET /loud"), "port " + port + ": the /quiet request was not logged: " + line);
            }
        } finally {
            app.close();
        }
    }

    @Test
    void tcplogLinesForModeTcp() throws Exception {
        int syslogPort = FreePorts.next();
        var echo = TestVertx.get().createNetServer().connectHandler(so -> so.handler(so::write));
        // Port 0: the kernel picks a free one (a port probed free earlier can be taken meanwhile).
        int echoPort = echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", syslogPort));
             Twin t = Twin.start("""
                global
                  log 127.0.0.1:%d local0
                defaults
                  mode tcp
                  log global
                  option tcplog
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend ft
                  bind 127.0.0.1:@FE@
                  default_backend echo
                backend echo
                  server e 127.0.0.1:%d
                """.formatted(syslogPort, echoPort))) {
            syslog.setSoTimeout(5000);
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", t.haquarkPort)) {
                s.getOutputStream().write("hello".getBytes());
                s.getInputStream().readNBytes(5);
            }
            // HAProxy logs the harness' readiness probe too (0 bytes): look for our 5-byte session.
            String body;
            String[] f;
            do {
                String line = receive(syslog);
                body = line.substring(line.indexOf("]: ") + 3);
                f = body.split(" ");
            } while (!f[5].equals("5"));
            assertEquals("ft", f[2], body);
            assertEquals("echo/e", f[3], body);
            assertTrue(f[4].matches("0/\\d+/\\d+"), body);
            assertEquals("5", f[5], body);
            assertEquals("--", f[6], body);
        } finally {
            echo.close();
        }
    }

    @Test
    void unixDatagramTargetLikeDevLog() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "needs epoll");
        java.nio.file.Path sock = java.nio.file.Files.createTempDirectory("devlog").resolve("log.sock");
        java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        var group = new io.netty.channel.epoll.EpollEventLoopGroup(1);
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try {
            new io.netty.bootstrap.Bootstrap().group(group).channel(io.netty.channel.epoll.EpollDomainDatagramChannel.class)
                    .handler(new io.netty.channel.SimpleChannelInboundHandler<io.netty.channel.unix.DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx, io.netty.channel.unix.DomainDatagramPacket p) {
                            got.add(p.content().toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new io.netty.channel.unix.DomainSocketAddress(sock.toString())).sync();
            try (io.haquark.support.ProxyUnderTest p = io.haquark.support.ProxyUnderTest.start("""
                    global
                      log %s local3
                    defaults
                      mode http
                      log global
                      option httplog
                      timeout client 5s
                      timeout server 5s
                      timeout connect 1s
                    frontend main
                      bind 127.0.0.1:0
                      default_backend web
                    backend web
                      server s1 %s
                    """.formatted(sock, app.address()))) {
                assertEquals(200, Http.get(p.engine.boundPort("main", 0), "/via-unix").statusCode());
                String line = got.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(line != null && line.startsWith("<158>") && line.contains("main web/s1 ") && line.contains("\"GET /via-unix HTTP/1.1\""),
                        "local3.info line over the Unix socket: " + line);
            }
        } finally {
            app.close();
            group.shutdownGracefully();
        }
    }

    @Test
    void logTargetsHaquarkCannotServeAreWarnedAbout() {
        io.haquark.support.CheckRun r = io.haquark.support.CheckRun.of("-c", "-f", writeCfg("""
                global
                  log fd@3 local0
                defaults
                  mode http
                  timeout client 1s
                  timeout server 1s
                  timeout connect 1s
                frontend f
                  log tcp@127.0.0.1:514 local0
                  bind 127.0.0.1:0
                """));
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("log target 'fd@3' is not supported by haquark yet, ignored"), r.toString());
        assertTrue(r.err.contains("tcp@127.0.0.1:514"), r.toString());
    }

    private static String writeCfg(String text) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("log", ".cfg");
            java.nio.file.Files.writeString(f, text);
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
