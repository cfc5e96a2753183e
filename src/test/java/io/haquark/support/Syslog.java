package io.haquark.support;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A UDP syslog receiver's lines, for tests comparing what haquark and HAProxy log. */
public final class Syslog {
    private Syslog() {
    }

    /**
     * The lines received until none came for 400 ms, each as "<priority> text" (the date, host and
     * pid of the syslog header left out), in arrival order.
     */
    public static List<String> drain(DatagramSocket log) throws Exception {
        return drain(log, 0);
    }

    /**
     * As {@link #drain(DatagramSocket)}, but once {@code expected} lines are in, only 50 ms of
     * quiet end it (up to 3 s for the first ones), so a test that knows its count runs fast.
     */
    public static List<String> drain(DatagramSocket log, int expected) throws Exception {
        List<String> lines = new ArrayList<>();
        byte[] buf = new byte[4096];
        while (true) {
            log.setSoTimeout(expected <= 0 ? 400 : lines.size() < expected ? 3000 : 50);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                log.receive(p);
            } catch (SocketTimeoutException quiet) {
                return lines;
            }
            String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).trim();
            lines.add(line.substring(0, line.indexOf('>') + 1) + " " + line.substring(line.indexOf("]: ") + 3));
        }
    }
}
