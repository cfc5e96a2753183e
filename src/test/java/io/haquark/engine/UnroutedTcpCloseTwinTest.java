package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A mode tcp frontend with no backend to send a stream to: HAProxy 2.6 ends the connection with
 * a FIN (the client reads the end of the stream), not a reset, even when the client had sent
 * bytes the proxy never forwarded. checks/ssl-hello-check relies on it ("empty response").
 */
class UnroutedTcpCloseTwinTest {

    @Test
    void aStreamWithNowhereToGoEndsWithEndOfStream() throws Exception {
        String cfg = TestConfigs.TCP_DEFAULTS + """
                frontend nowhere
                  bind 127.0.0.1:@FE@
                """;
        try (Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("end of stream", outcome(port), twin.name(port) + " round " + i);
                }
            }
        }
    }

    /** Sends a few bytes and reports how the connection ended: "end of stream", "reset" or data. */
    private static String outcome(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("\u0016\u0003\u0000 hello, anyone?\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                int b = in.read();
                return b < 0 ? "end of stream" : "data " + b;
            } catch (java.net.SocketException e) {
                return "reset: " + e.getMessage();
            }
        }
    }
}
