package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestBackend;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mode tcp frontend that becomes HTTP (configuration.txt §4 "tcp-request content switch-mode
 * http", and a TCP frontend whose backend is in HTTP mode): the HTTP rules then apply to every
 * request of the connection, and the variables the TCP rules set stay with the first request.
 * Two keep-alive requests per connection, compared with HAProxy 2.6 on the same config.
 */
class TcpToHttpUpgradeTwinTest {

    @Test
    void tcpStreamsUpgradeToHttpAsHAProxy() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        String cfg = """
                defaults
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend switching
                  mode tcp
                  bind 127.0.0.1:@FE@
                  tcp-request inspect-delay 1s
                  tcp-request content set-var(req.stream_mode) internal.strm.is_htx,iif(http,tcp)
                  tcp-request content switch-mode http if HTTP
                  tcp-request content reject
                  http-request set-header x-stream-mode %%[var(req.stream_mode)]
                  http-request set-header x-name %%[fe_name]
                  default_backend be
                frontend by_backend
                  mode tcp
                  bind 127.0.0.1:@BYBE@
                  default_backend be
                backend be
                  mode http
                  http-request set-header x-name %%[be_name] unless { req.fhdr(x-name) -m found }
                  http-response set-header x-resp %%[be_name]
                  server s1 %s
                """.formatted(app.address());
        try (app; Twin twin = Twin.start(cfg)) {
            List<String> seen = new ArrayList<>();
            for (int port : twin.ports()) {
                int byBackend = port == twin.haquarkPort ? twin.haquarkExtra.get("BYBE") : twin.haproxyExtra.get("BYBE");
                app.seenHeaders.clear();
                String switched = twoRequests(port);
                String first = describe(app.seenHeaders);
                app.seenHeaders.clear();
                String upgraded = twoRequests(byBackend);
                String second = describe(app.seenHeaders);
                seen.add(switched + " " + first + " | " + upgraded + " " + second);
            }
            assertEquals("200/x-resp=be 200/x-resp=be [mode=tcp name=fe1, mode=http name=fe1]".replace("fe1", "switching")
                    + " | 200/x-resp=be 200/x-resp=be [mode=null name=be, mode=null name=be]", seen.get(0));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "HAProxy vs haquark");
            }
        }
    }

    private static String describe(List<Map<String, String>> requests) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> h : requests) {
            out.add("mode=" + h.get("x-stream-mode") + " name=" + h.get("x-name"));
        }
        return out.toString();
    }

    /** Two requests on one connection; the status and x-resp header of each answer. */
    private static String twoRequests(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            StringBuilder result = new StringBuilder();
            for (int i = 0; i < 2; i++) {
                out.write(("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                result.append(i == 0 ? "" : " ").append(readResponse(in));
            }
            return result.toString();
        }
    }

    /** Reads one response with a Content-Length body: "status/x-resp=value". */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "closed";
            }
            head.append((char) b);
        }
        int length = 0;
        String resp = null;
        for (String line : head.toString().split("\r\n")) {
            String l = line.toLowerCase();
            if (l.startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            } else if (l.startsWith("x-resp:")) {
                resp = line.substring(7).trim();
            }
        }
        in.readNBytes(length);
        return head.substring(9, 12) + "/x-resp=" + resp;
    }
}
