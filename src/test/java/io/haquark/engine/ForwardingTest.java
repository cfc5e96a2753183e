package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.Http;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What crosses the proxy: bodies both ways, methods, versions, and the headers it changes. */
class ForwardingTest {
    static TestBackend echo;
    static TestBackend big;
    static ProxyUnderTest proxy;
    static int port;
    static ProxyUnderTest closeProxy;
    static int closePort;
    static final int BIG = 8 * 1024 * 1024;

    @BeforeAll
    static void start() {
        var vx = TestVertx.get();
        echo = new TestBackend(vx, "echo");
        big = new TestBackend(vx, "big").handler(req -> {
            if (req.path().startsWith("/download")) {
                var resp = req.response().setChunked(true);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) (i % 251);
                }
                for (int i = 0; i < BIG / chunk.length; i++) {
                    resp.write(Buffer.buffer(chunk));
                }
                resp.end();
            } else if (req.path().startsWith("/upload")) {
                req.body().onSuccess(b -> req.response().end(sha(b.getBytes())));
            } else if (req.path().startsWith("/continue")) {
                req.response().writeContinue();
                req.body().onSuccess(b -> req.response().end("got " + b.length()));
            } else {
                req.response().end("big");
            }
        });
        String cfg = """
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  timeout connect 2s
                frontend f
                  bind 127.0.0.1:0
                  option forwardfor except 10.0.0.0/8 header X-Client-IP
                  use_backend big if { path_beg /download /upload /continue }
                  default_backend b
                backend b
                  server echo %s
                backend big
                  server big %s
                """.formatted(echo.address(), big.address());
        proxy = ProxyUnderTest.start(cfg);
        port = proxy.engine.boundPort("f", 0);
        closeProxy = ProxyUnderTest.start("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  timeout connect 2s
                  option http-server-close
                frontend g
                  bind 127.0.0.1:0
                  default_backend b
                backend b
                  server echo %s
                """.formatted(echo.address()));
        closePort = closeProxy.engine.boundPort("g", 0);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        closeProxy.close();
        echo.close();
        big.close();
    }

    static String sha(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> lastSeen(TestBackend b) {
        return b.seenHeaders.get(b.seenHeaders.size() - 1);
    }

    @Test
    void largeChunkedDownloadStreamsIntact() throws Exception {
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
                Http.request(port, "/download").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(BIG, r.body().length);
        for (int i = 0; i < 1000; i++) {
            assertEquals((byte) ((i % (64 * 1024)) % 251), r.body()[i]);
        }
    }

    @Test
    void largeUploadArrivesIntact() throws Exception {
        byte[] data = new byte[6 * 1024 * 1024];
        new java.util.Random(7).nextBytes(data);
        HttpResponse<String> r = Http.send(port, Http.request(port, "/upload").POST(HttpRequest.BodyPublishers.ofByteArray(data)));
        assertEquals(200, r.statusCode());
        assertEquals(sha(data), r.body());
    }

    @Test
    void chunkedUploadFromARawClient() throws Exception {
        String req = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        String raw = RawHttp.exchange(port, req, 5000);
        assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
        assertTrue(raw.endsWith(sha("hello world".getBytes())), raw);
    }

    @Test
    void headGetsHeadersOnly() throws Exception {
        String raw = RawHttp.exchange(port, "HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
        assertTrue(raw.endsWith("\r\n\r\n"), "no body after the headers: " + raw);
        assertEquals("HEAD", lastSeen(echo).get(":method"));
    }

    @Test
    void expectContinueIsRelayed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("POST /continue HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n".getBytes());
            byte[] buf = new byte[25];
            int n = in.readNBytes(buf, 0, 25);
            String interim = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim);
            out.write("abcde".getBytes());
            String rest = MalformedRequestTest.readResponse(in);
            assertTrue(rest.startsWith("HTTP/1.1 200"), rest);
            assertTrue(rest.endsWith("got 5"), rest);
        }
    }

    @Test
    void http10ClientIsServedAndClosed() throws Exception {
        // As HAProxy 2.6 (checked side by side): the request goes on as HTTP/1.0 asking the server
        // to keep the connection, the client gets the server's status line and an end of stream.
        String raw = RawHttp.exchange(port, "GET /ten HTTP/1.0\r\n\r\n", 5000);
        assertTrue(raw.startsWith("HTTP/1.0 200"), raw);
        assertTrue(raw.endsWith("echo GET /ten"), raw);
        assertEquals("HTTP_1_0", lastSeen(echo).get(":version"));
        assertEquals("keep-alive", lastSeen(echo).get("connection"));
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            for (int i = 0; i < 2; i++) {
                s.getOutputStream().write("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes());
                String r = MalformedRequestTest.readResponse(s.getInputStream());
                assertTrue(r.contains("\r\nconnection: keep-alive\r\n"), r);
            }
        }
    }

    @Test
    void forwardedForHonoursHeaderNameAndExcept() throws Exception {
        Http.get(port, "/xff");
        assertEquals("127.0.0.1", lastSeen(echo).get("x-client-ip"));
        assertNull(lastSeen(echo).get("x-forwarded-for"));
    }

    @Test
    void connectionAndWhatItListsAreRemoved() throws Exception {
        RawHttp.exchange(port, "GET /hop HTTP/1.1\r\nHost: x\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nX-Kept: yes\r\n\r\n", 5000);
        Map<String, String> h = lastSeen(echo);
        assertNull(h.get("x-secret"));
        assertNull(h.get("connection"));
        // HAProxy 2.6 passes Keep-Alive and Proxy-Connection on (HeaderCaseTwinTest compares it).
        assertEquals("timeout=5", h.get("keep-alive"));
        assertEquals("keep-alive", h.get("proxy-connection"));
        assertEquals("yes", h.get("x-kept"));
    }

    @Test
    void serverConnectionsAreReusedAcrossRequests() throws Exception {
        int before = echo.connections.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.get(port, "/reuse" + i).statusCode());
        }
        assertTrue(echo.connections.get() - before <= 2, "pooled keep-alive: " + (echo.connections.get() - before) + " new connections");
    }

    @Test
    void httpServerCloseOpensOneServerConnectionPerRequest() throws Exception {
        int before = echo.connections.get();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, Http.get(closePort, "/c" + i).statusCode());
        }
        assertEquals(5, echo.connections.get() - before);
        assertEquals("close", lastSeen(echo).get("connection"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String two = "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String raw = RawHttp.exchange(port, two, 5000);
        int first = raw.indexOf("echo GET /p1");
        int second = raw.indexOf("echo GET /p2");
        assertTrue(first > 0 && second > first, raw);
    }

    @Test
    void webSocketUpgradeIsTunnelled() throws Exception {
        var vx = TestVertx.get();
        // The WebSocket server is written by hand too (a NetServer), so only the proxy is under test.
        var wsServer = vx.createNetServer().connectHandler(so -> {
            Buffer[] acc = {Buffer.buffer()};
            boolean[] upgraded = {false};
            so.handler(data -> {
                acc[0].appendBuffer(data);
                if (!upgraded[0]) {
                    String text = acc[0].toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end < 0) {
                        return;
                    }
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(text);
                    m.find();
                    so.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + wsAccept(m.group(1)) + "\r\n\r\n");
                    upgraded[0] = true;
                    acc[0] = acc[0].getBuffer(end + 4, acc[0].length());
                }
                Buffer a = acc[0];
                if (a.length() < 2) {
                    return;
                }
                int len = a.getByte(1) & 0x7f;
                if (a.length() < 6 + len) {
                    return;
                }
                byte[] mask = a.getBytes(2, 6);
                byte[] payload = a.getBytes(6, 6 + len);
                for (int i = 0; i < len; i++) {
                    payload[i] ^= mask[i % 4];
                }
                byte[] reply = ("echo:" + new String(payload, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
                so.write(Buffer.buffer().appendByte((byte) 0x81).appendByte((byte) reply.length).appendBytes(reply));
                acc[0] = a.getBuffer(6 + len, a.length());
            });
        });
        int wsPort = io.haquark.support.FreePorts.next();
        wsServer.listen(wsPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (ProxyUnderTest p = ProxyUnderTest.start("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  timeout connect 2s
                frontend w
                  bind 127.0.0.1:0
                  default_backend ws
                frontend wt
                  bind 127.0.0.1:0
                  default_backend wst
                backend ws
                  server w 127.0.0.1:%d
                backend wst
                  timeout tunnel 400ms
                  server w 127.0.0.1:%d
                """.formatted(wsPort, wsPort))) {
            for (String fe : new String[] {"w", "wt"}) {
                webSocketEcho(p.engine.boundPort(fe, 0), fe.equals("wt"));
            }
        } finally {
            wsServer.close();
        }
    }

    /** A hand-written WebSocket client: handshake, one masked text frame, one frame back; then idle past timeout tunnel. */
    private static void webSocketEcho(int wport, boolean tunnelTimeout) throws Exception {
        {
            try (Socket sock = new Socket("127.0.0.1", wport)) {
                sock.setSoTimeout(5000);
                OutputStream out = sock.getOutputStream();
                InputStream in = sock.getInputStream();
                out.write(("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
                assertTrue(head.toString().toLowerCase().contains("s3pplmbitxaq9kygzzhzrbk+xoo="), head.toString());
                byte[] mask = {1, 2, 3, 4};
                byte[] payload = "hi".getBytes();
                byte[] frame = new byte[2 + 4 + payload.length];
                frame[0] = (byte) 0x81;
                frame[1] = (byte) (0x80 | payload.length);
                System.arraycopy(mask, 0, frame, 2, 4);
                for (int i = 0; i < payload.length; i++) {
                    frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
                }
                out.write(frame);
                int b0 = in.read();
                int len = in.read() & 0x7f;
                byte[] text = in.readNBytes(len);
                assertEquals(0x81, b0);
                assertEquals("echo:hi", new String(text));
                if (tunnelTimeout) {
                    // Nothing crosses the tunnel for longer than timeout tunnel: the proxy closes it.
                    long start = System.nanoTime();
                    assertEquals(-1, in.read(), "closed after timeout tunnel");
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(ms >= 300 && ms < 3000, "closed after " + ms + " ms");
                }
            }
        }
    }

    static String wsAccept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return java.util.Base64.getEncoder().encodeToString(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void responseHeaderNamesAreLowerCasedLikeHAProxy() throws Exception {
        String raw = RawHttp.exchange(port, "GET /case HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        assertTrue(raw.contains("\r\nx-served-by: echo\r\n"), raw);
        assertFalse(raw.contains("X-Served-By"), raw);
    }
}
