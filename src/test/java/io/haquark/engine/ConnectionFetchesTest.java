package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * Fetches that used to answer a constant: http_first_req (configuration.txt §7.3.6) is true
 * only for a connection's first request, req.ssl_ver (§7.3.5) reads the ClientHello's version
 * and matches MAJOR.MINOR patterns. Each is compared with HAProxy 2.6 when it is installed.
 */
class ConnectionFetchesTest {

    @Test
    void httpFirstReqIsTrueOnlyForTheFirstRequestOfAConnection() throws Exception {
        TestBackend backend = new TestBackend(TestVertx.get(), "s1");
        try (Twin twin = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  http-response set-header x-first %%[http_first_req]
                  default_backend b
                backend b
                  server s1 %s
                """.formatted(backend.address()))) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    for (String expected : new String[] {"1", "0", "0"}) {
                        out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        String head = readResponse(in);
                        assertTrue(head.toLowerCase().contains("\r\nx-first: " + expected + "\r\n"), who + ": " + head);
                    }
                }
            }
        } finally {
            backend.close();
        }
    }

    @Test
    void reqSslVerReadsTheClientHelloVersionAndMatchesDottedPatterns() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Twin twin = Twin.start(TestConfigs.TCP_DEFAULTS + """
                     frontend tls12
                       bind 127.0.0.1:@FE@
                       tcp-request inspect-delay 2s
                       tcp-request content reject unless { req.ssl_ver 3.3 }
                       default_backend b
                     frontend tls10
                       bind 127.0.0.1:@OLD@
                       tcp-request inspect-delay 2s
                       tcp-request content reject unless { req.ssl_ver 3:3.1 }
                       default_backend b
                     backend b
                       server s1 127.0.0.1:%d
                     """.formatted(server.getLocalPort()))) {
            server.setSoTimeout(3000);
            byte[] hello = clientHello();
            assertEquals(0x16, hello[0], "a TLS handshake record");
            for (boolean haquark : twin.hasReference() ? new boolean[] {true, false} : new boolean[] {true}) {
                String who = haquark ? "haquark" : "haproxy";
                int modern = haquark ? twin.haquarkPort : twin.haproxyPort;
                int old = (haquark ? twin.haquarkExtra : twin.haproxyExtra).get("OLD");
                // A TLS 1.2/1.3 ClientHello announces 3.3: forwarded to the server.
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), modern)) {
                    c.getOutputStream().write(hello);
                    try (Socket accepted = server.accept()) {
                        accepted.setSoTimeout(3000);
                        assertEquals(0x16, accepted.getInputStream().read(), who + ": the server gets the ClientHello");
                    }
                }
                // The same hello where only SSLv3/TLS 1.0 may pass: rejected, the client sees the close.
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), old)) {
                    c.setSoTimeout(3000);
                    c.getOutputStream().write(hello);
                    int r;
                    try {
                        r = c.getInputStream().read();
                    } catch (java.net.SocketException reset) {
                        r = -1;
                    }
                    assertEquals(-1, r, who + ": rejected");
                }
            }
        }
    }

    /** The first flight of a JDK TLS client: one handshake record holding a ClientHello. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Reads one response with a Content-Length body; returns its head. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException(head.toString());
            }
            head.append((char) c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        int len = m.find() ? Integer.parseInt(m.group(1)) : 0;
        in.readNBytes(len);
        return head.toString();
    }
}
