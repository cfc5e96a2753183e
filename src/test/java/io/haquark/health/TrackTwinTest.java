package io.haquark.health;

import static io.haquark.runtime.RuntimeApiTestAccess.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.support.RawHttp;
import io.haquark.support.Syslog;
import io.haquark.support.TestBackend;
import io.haquark.support.TestConfigs;
import io.haquark.support.TestVertx;
import io.haquark.support.Twin;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "track" (configuration.txt §5.2) and maintenance: a tracking server follows the maintenance
 * of the server it tracks, in its own backend or another, with HAProxy's log lines, "show
 * servers state" admin bits and routing; the same steps on HAProxy 2.6 give the same results.
 */
class TrackTwinTest {

    /** name, op state and admin state of each server of a backend in "show servers state". */
    private static String states(int cli, String backend) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String l : tcp(cli, "show servers state " + backend).split("\n")) {
            String[] f = l.split(" ");
            if (f.length > 6 && !l.startsWith("#")) {
                sb.append(f[3]).append(':').append(f[5]).append('/').append(f[6]).append(' ');
            }
        }
        return sb.toString().trim();
    }

    @Test
    void trackingServersFollowMaintenanceLikeHAProxy() throws Exception {
        TestBackend app = new TestBackend(TestVertx.get(), "app");
        try (Twin t = Twin.start("""
                global
                  stats socket ipv4@127.0.0.1:@CLI@ level admin
                """ + TestConfigs.HTTP_DEFAULTS + """
                frontend f
                  bind 127.0.0.1:@FE@
                  default_backend be1
                backend be_check
                  server srv %1$s check inter 200
                backend be1
                  log 127.0.0.1:@LOG@ daemon
                  server srv %1$s check inter 200
                  server t1 %1$s track srv
                  server t2 %1$s track be_check/srv
                """.formatted(app.address()))) {
            List<List<String>> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                Map<String, Integer> extra = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                int cli = extra.get("CLI");
                int fe = t.ports().get(i);
                List<String> out = new ArrayList<>();
                try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                    Thread.sleep(1500);   // the first checks
                    Syslog.drain(log);
                    out.add(states(cli, "be1"));
                    tcp(cli, "disable server be1/srv");
                    out.addAll(Syslog.drain(log));
                    out.add(states(cli, "be1"));
                    out.add("status " + RawHttp.status(RawHttp.exchange(fe, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000)));
                    tcp(cli, "disable server be_check/srv");
                    out.addAll(Syslog.drain(log));
                    out.add(states(cli, "be1"));
                    out.add("status " + RawHttp.status(RawHttp.exchange(fe, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000)));
                    tcp(cli, "enable server be1/srv");
                    tcp(cli, "enable server be_check/srv");
                    out.addAll(Syslog.drain(log));
                    out.add(states(cli, "be1"));
                }
                seen.add(out);
            }
            List<String> ours = seen.get(0);
            String report = String.join("\n", ours);
            assertTrue(report.contains("<25> Server be1/t1 is going DOWN for maintenance via be1/srv."), report);
            assertTrue(report.contains("status 503"), report);
            if (seen.size() > 1) {
                assertEquals(String.join("\n", seen.get(1)), report, "haquark vs HAProxy");
            }
        } finally {
            app.close();
        }
    }
}
