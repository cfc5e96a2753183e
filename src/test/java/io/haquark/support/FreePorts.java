package io.haquark.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports, never handed out twice in one test run. */
public final class FreePorts {
    private static final Set<Integer> GIVEN = new HashSet<>();

    /**
     * A port free now and outside the kernel's ephemeral range: a port the kernel handed out
     * could be picked again as the source port of some outgoing connection before the test binds
     * it ("Address already in use"); ports below the range are never picked that way.
     */
    public static synchronized int next() {
        int low = ephemeralLow();
        int from = Math.max(1024, low - 12_000);
        int to = Math.max(from + 1000, low - 100);
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 500; attempt++) {
            int p = from + random.nextInt(to - from);
            if (GIVEN.contains(p)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", p));
                GIVEN.add(p);
                return p;
            } catch (IOException inUse) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port between " + from + " and " + to);
    }

    private static int ephemeralLow() {
        try {
            String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private FreePorts() {
    }
}
