package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * mode tcp: tcp-request content rules on req.payload / req.payload_lv (matched with -m bin and
 * -m str), and stick-table persistence ("stick on src") choosing the server, compared with
 * HAProxy 2.6 on the same config (configuration.txt §7.3.5, §4.2 "stick on").
 */
class TcpPayloadStickTwinTest {

    @Test
    void payloadRulesAndStickinessAsHaproxy() throws Exception {
        TestBackend s1 = new TestBackend(TestVertx.get(), "s1");
        TestBackend s2 = new TestBackend(TestVertx.get(), "s2");
        String cfg = TestConfigs.TCP_DEFAULTS + """
                listen t
                  bind 127.0.0.1:@FE@
                  balance roundrobin
                  # A GET makes payload_lv wait for bytes that never come (its first byte reads as a
                  # length of 71): HAProxy and haquark both wait out the delay, kept short here.
                  tcp-request inspect-delay 500ms
                  tcp-request content reject if { req.payload(0,4) -m bin 48454144 }
                  tcp-request content reject if { req.payload_lv(0,1) -m str abc }
                  tcp-request content reject if { req.payload_lv(0,1,+1) -m str bc }
                  tcp-request content accept if { req.len gt 0 }
                  stick-table type ip size 1k expire 1m
                  stick on src
                  server s1 %s
                  server s2 %s
                listen plain
                  bind 127.0.0.1:@PLAIN@
                  balance roundrobin
                  server s1 %s
                  server s2 %s
                """.formatted(s1.address(), s2.address(), s1.address(), s2.address());
        try (s1; s2; Twin twin = Twin.start(cfg)) {
            for (int port : twin.ports()) {
                String who = twin.name(port);
                String first = servedBy(RawHttp.exchange(port, get(), 5000));
                assertTrue(first != null, who);
                for (int i = 0; i < 4; i++) {
                    assertEquals(first, servedBy(RawHttp.exchange(port, get(), 5000)), who + ": stick on src");
                }
                // Rejected: nothing comes back.
                assertEquals("", RawHttp.exchange(port, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", 5000), who + ": payload(0,4)");
                assertEquals("", RawHttp.exchange(port, bytes("\u0003abcGET / HTTP/1.1\r\n\r\n"), 5000), who + ": payload_lv");
                assertEquals("", RawHttp.exchange(port, bytes("\u0002xbcGET / HTTP/1.1\r\n\r\n"), 5000), who + ": payload_lv +1");
                // Accepted: the server gets the bytes and answers.
                String other = RawHttp.exchange(port, bytes("\u0003xyzGET / HTTP/1.1\r\nConnection: close\r\n\r\n"), 5000);
                assertTrue(other.startsWith("HTTP/1.1 "), who + ": " + other);
                // Without stickiness roundrobin alternates, so the test above can tell.
                int plain = port == twin.haquarkPort ? twin.haquarkExtra.get("PLAIN") : twin.haproxyExtra.get("PLAIN");
                String a = servedBy(RawHttp.exchange(plain, get(), 5000));
                String b = servedBy(RawHttp.exchange(plain, get(), 5000));
                assertTrue(a != null && b != null && !a.equals(b), who + ": " + a + " " + b);
            }
        }
    }

    private static String get() {
        return "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String servedBy(String answer) {
        for (String line : answer.split("\r\n")) {
            if (line.toLowerCase().startsWith("x-served-by:")) {
                return line.substring(12).trim();
            }
        }
        return null;
    }
}
