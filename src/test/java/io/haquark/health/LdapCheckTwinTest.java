package io.haquark.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.SocketServer;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * option ldap-check (configuration.txt §4.2): an anonymous LDAPv3 bind is sent, and the bind
 * response's resultCode decides; a server answering success, one refusing the bind (49) and one
 * that is no LDAP server get the states and check fields HAProxy 2.6 gives them ("show stat").
 */
class LdapCheckTwinTest {
    private static SocketServer ldap(byte[] answer) throws Exception {
        return new SocketServer((c, n) -> {
            byte[] req = new byte[14];
            c.getInputStream().readNBytes(req, 0, req.length);
            c.getOutputStream().write(answer);
            c.getOutputStream().flush();
            Thread.sleep(200);
        });
    }

    @Test
    void bindResponsesAreJudgedAsHaproxyJudgesThem() throws Exception {
        byte[] ok = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
        byte[] refused = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x31, 0x04, 0x00, 0x04, 0x00};
        byte[] http = "HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (SocketServer good = ldap(ok); SocketServer bad = ldap(refused); SocketServer other = ldap(http);
             Twin t = Twin.start("""
                     global
                       stats socket ipv4@127.0.0.1:@CLI@ level admin
                     defaults
                       mode tcp
                       timeout connect 1s
                       timeout client 5s
                       timeout server 5s
                       timeout check 2s
                     listen probed
                       bind 127.0.0.1:@FE@
                       server p 127.0.0.1:%1$d
                     backend ldap
                       option ldap-check
                       server good 127.0.0.1:%1$d check inter 300 rise 1 fall 1
                       server bad 127.0.0.1:%2$d check inter 300 rise 1 fall 1
                       server other 127.0.0.1:%3$d check inter 300 rise 1 fall 1
                     """.formatted(good.port(), bad.port(), other.port()))) {
            Thread.sleep(1500);                          // a few checks have run on both
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                String csv = io.haquark.runtime.RuntimeApiTestAccess.tcp(p.get("CLI"), "show stat");
                String[] header = csv.substring(2, csv.indexOf('\n')).split(",");
                List<String> cols = List.of(header);
                Map<String, String> by = new TreeMap<>();
                for (String line : csv.split("\n")) {
                    String[] f = line.split(",", -1);
                    if (f.length > 3 && f[0].equals("ldap") && !f[1].equals("BACKEND")) {
                        // "* " before the check status marks a check in progress at that instant on HAProxy: timing, not outcome.
                        by.put(f[1], f[cols.indexOf("status")] + " " + f[cols.indexOf("check_status")].replace("* ", "") + " code="
                                + f[cols.indexOf("check_code")] + " " + f[cols.indexOf("last_chk")]);
                    }
                }
                seen.add(by.toString());
            }
            String ours = seen.get(0);
            assertTrue(ours.contains("L7STS code=49 See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9")
                    && ours.contains("Not LDAPv3 protocol") && ours.contains("good=UP L7OK"), ours);
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "haquark vs HAProxy");
            }
        }
    }
}
