package io.haquark.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.FreePorts;
import io.haquark.support.HAProxyBinary;
import io.haquark.support.HAProxyProcess;
import io.haquark.support.ProxyUnderTest;
import io.haquark.support.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * agent-check (configuration.txt §5.2): agents on loopback answer fixed lines; the servers
 * must follow them as HAProxy 2.6 does (weight in percent of the configured one, maxconn,
 * maint, drain, up, down with a description, an unreachable agent changing nothing). The
 * values below were read off HAProxy 2.6.12 and are compared with it too when it is installed.
 */
class AgentCheckTwinTest {
    private static final String TEMPLATE = """
            defaults
              mode tcp
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            listen stats
              mode http
              bind 127.0.0.1:%1$d
              stats uri /st
            backend b1
              server s1 127.0.0.1:%2$d weight 100 agent-check agent-port %3$d agent-send "pouet" agent-inter 200
            backend b2
              server s2 127.0.0.1:%2$d weight 10 agent-check agent-port %4$d agent-send "ping" agent-inter 200
              server s2b 127.0.0.1:%2$d weight 10
            backend b3
              server s3 127.0.0.1:%2$d weight 8 agent-check agent-port %5$d agent-send "ping" agent-inter 200
            backend b4
              server s4 127.0.0.1:%2$d agent-check agent-port %6$d agent-send "ping" agent-inter 200
            backend b5
              server s5 127.0.0.1:%2$d agent-check agent-port %7$d agent-send "ping" agent-inter 200
            """;

    /** status | weight | slim | agent_status | agent_code | agent_desc, per server, as HAProxy 2.6.12 shows them. */
    private static final Map<String, String> EXPECTED = Map.of(
            "s1", "MAINT|*|30|L7STS|0|Layer7 wrong status",
            "s2", "DRAIN (agent)|5||CHECKED||No status change",
            "s2b", "no check|10||||",
            "s3", "no check|2||L7OK|0|Layer7 check passed",
            "s4", "no check|1||CHECKED||No status change",
            "s5", "no check|1||L4CON||Layer4 connection problem");

    @Test
    void serversFollowTheirAgentsAsHAProxy() throws Exception {
        List<Agent> agents = new ArrayList<>();
        try {
            // Every agent reads the check's agent-send before answering: HAProxy 2.6 times out now and then on
            // an agent that answers and closes before it reads (it still applies the answer, later).
            agents.add(new Agent("75%,maxconn:30,maint,down #my note\n"));
            agents.add(new Agent("50% drain\n"));
            agents.add(new Agent("up 25%\n"));
            agents.add(new Agent("garbage\n"));
            int refused = FreePorts.next();
            int unused = FreePorts.next();
            int ours = FreePorts.next();
            String cfg = TEMPLATE.formatted(ours, unused, agents.get(0).port(), agents.get(1).port(), agents.get(2).port(),
                    agents.get(3).port(), refused);
            Map<String, String> got;
            try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
                got = results(ours);
            }
            assertEquals(new TreeMap<>(EXPECTED), new TreeMap<>(got), "haquark");
            assertEquals("pouet", agents.get(0).firstReceived, "what the agent of s1 got");
            if (HAProxyBinary.available()) {
                int theirs = FreePorts.next();
                String refCfg = TEMPLATE.formatted(theirs, unused, agents.get(0).port(), agents.get(1).port(), agents.get(2).port(),
                        agents.get(3).port(), refused);
                try (HAProxyProcess h = HAProxyProcess.start(refCfg, theirs)) {
                    // The effects (status, weight, maxconn) must be HAProxy's. Its agent_status column is
                    // not compared: HAProxy 2.6 shows L7TOUT for an agent that answers and closes at once
                    // (it applied the answer all the same); the expected values above come from agents
                    // answering after 50 ms, where it shows CHECKED / L7OK as haquark does.
                    // HAProxy's first rounds right after start-up time out: wait (8 s at most) for its state.
                    Map<String, String> ref = effects(results(theirs));
                    for (long end = System.currentTimeMillis() + 8000; !ref.equals(effects(got)) && System.currentTimeMillis() < end; ) {
                        Thread.sleep(200);
                        ref = effects(results(theirs));
                    }
                    assertEquals(ref, effects(got), "HAProxy vs haquark");
                }
            }
        } finally {
            for (Agent a : agents) {
                a.close();
            }
        }
    }

    private static Map<String, String> effects(Map<String, String> rows) {
        Map<String, String> out = new TreeMap<>();
        rows.forEach((k, v) -> out.put(k, String.join("|", List.of(v.split("\\|", -1)).subList(0, 3))));
        return out;
    }

    /** Waits until every agent answered (or failed) once, then reads the servers' columns from the stats CSV. */
    private static Map<String, String> results(int statsPort) throws Exception {
        Map<String, String> out = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 8000;
        while (System.currentTimeMillis() < deadline) {
            String csv = RawHttp.body(RawHttp.exchange(statsPort, "GET /st;csv HTTP/1.0\r\n\r\n", 3000));
            String[] lines = csv.split("\n");
            List<String> head = List.of(lines[0].substring(2).split(","));
            out.clear();
            boolean settled = true;
            for (String line : lines) {
                String[] f = line.split(",", -1);
                if (f.length < head.size() || !f[1].matches("s[0-9]b?")) {
                    continue;
                }
                String agent = f[head.indexOf("agent_status")].replace("* ", "");
                settled &= f[1].equals("s2b") || !agent.isEmpty() && !agent.equals("INI");
                String status = f[head.indexOf("status")];
                // HAProxy's weight column of a server in maintenance is not the agent's weight; not compared.
                String weight = status.equals("MAINT") ? "*" : f[head.indexOf("weight")];
                out.put(f[1], status + "|" + weight + "|" + f[head.indexOf("slim")] + "|" + agent + "|"
                        + f[head.indexOf("agent_code")] + "|" + f[head.indexOf("agent_desc")]);
            }
            if (settled && out.size() == EXPECTED.size()) {
                Thread.sleep(300); // one more round, so that every agent answer applied
                return out;
            }
            Thread.sleep(100);
        }
        return out;
    }

    /** An agent: reads what the check sends (agent-send) and answers its line to every connection. */
    private static final class Agent implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread thread;
        volatile String firstReceived;

        Agent(String reply) throws IOException {
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        Thread one = new Thread(() -> answer(c, reply), "agent-conn");
                        one.setDaemon(true);
                        one.start();
                    } catch (IOException e) {
                        // closed: the loop ends
                    }
                }
            }, "agent");
            thread.setDaemon(true);
            thread.start();
        }

        private void answer(Socket c, String reply) {
            try (c) {
                c.setSoTimeout(1000);
                byte[] buf = new byte[256];
                int n = c.getInputStream().read(buf);
                if (n > 0 && firstReceived == null) {
                    firstReceived = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                }
                OutputStream out = c.getOutputStream();
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the check went away
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
