package io.haquark.engine;

import io.haquark.support.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.FreePorts;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** tcp-request rules and SNI routing without terminating TLS (req.ssl_sni), against HAProxy. */
class TcpRulesTest {

    static byte[] clientHello(String sni) throws Exception {
        SSLEngine e = SSLContext.getDefault().createSSLEngine(sni, 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        e.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    static String greetingFor(int port, byte[] first, String fromIp) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(fromIp), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(first);
            InputStream in = s.getInputStream();
            byte[] g = in.readNBytes(2);
            // A rejected connection ends with EOF or a reset, depending on timing.
            return g.length == 0 ? "closed" : new String(g);
        } catch (java.io.IOException e) {
            return "closed";
        }
    }

    static NetServer greeter(String name, int port) throws Exception {
        NetServer s = TestVertx.get().createNetServer().connectHandler(so -> so.handler(b -> so.write(name + ">")));
        s.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void sniRoutingAndConnectionRules() throws Exception {
        int pa = FreePorts.next();
        int pb = FreePorts.next();
        NetServer a = greeter("a", pa);
        NetServer b = greeter("b", pb);
        try (Twin t = Twin.start(TestConfigs.TCP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  tcp-request connection reject if { src 127.0.0.2 }
                  tcp-request inspect-delay 2s
                  tcp-request content accept if { req.ssl_hello_type 1 }
                  use_backend one if { req.ssl_sni -i one.test }
                  default_backend other
                backend one
                  server a 127.0.0.1:%d
                backend other
                  server b 127.0.0.1:%d
                """.formatted(pa, pb))) {
            for (int port : t.ports()) {
                assertEquals("a>", greetingFor(port, clientHello("one.test"), "127.0.0.1"), "port " + port);
                assertEquals("b>", greetingFor(port, clientHello("two.test"), "127.0.0.1"), "port " + port);
                assertEquals("b>", greetingFor(port, "plain text\n".getBytes(), "127.0.0.1"), "port " + port);
                assertEquals("closed", greetingFor(port, clientHello("one.test"), "127.0.0.2"), "port " + port);
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
