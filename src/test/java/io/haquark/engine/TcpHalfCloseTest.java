package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * mode tcp relays a half-close (issue 16): the client shuts its sending side, the server reads
 * the end of the stream, answers, and its answer reaches the client before the end of stream.
 * HAProxy 2.6 does the same with the same config.
 */
class TcpHalfCloseTest {

    @Test
    void theServersAnswerAfterTheClientsEndOfStreamStillArrives() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Twin twin = Twin.start(TestConfigs.TCP_DEFAULTS + """
                     frontend f
                       bind 127.0.0.1:@FE@
                       default_backend b
                     backend b
                       server s 127.0.0.1:%d
                     """.formatted(server.getLocalPort()))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!server.isClosed()) {
                        try (Socket s = server.accept()) {
                            // Reads to the end of the stream, then answers and closes.
                            byte[] got = s.getInputStream().readAllBytes();
                            s.getOutputStream().write(("reply:" + new String(got, StandardCharsets.ISO_8859_1))
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                } catch (java.io.IOException e) {
                    // the server socket closed: the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            for (int port : twin.ports()) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    c.setSoTimeout(5000);
                    c.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
                    c.shutdownOutput();
                    InputStream in = c.getInputStream();
                    assertEquals("reply:hello", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), twin.name(port));
                }
            }
        }
    }
}
