package io.haquark.logging;

import io.haquark.model.Ring;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring's memory: the latest log lines up to its size in bytes (the oldest leave first), and
 * its TCP syslog servers. Written only by the log writer thread; read by "show events".
 * A server that cannot be reached is tried again at most once a second; lines meanwhile are
 * kept in the ring and counted as dropped for that server.
 */
public final class RingBuffer {
    private volatile Ring spec;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private final List<Forwarder> forwarders = new ArrayList<>();

    RingBuffer(Ring spec) {
        configure(spec);
    }

    /** A reload with a ring of the same name: its lines stay, size and servers follow the new section. */
    synchronized void configure(Ring spec) {
        this.spec = spec;
        forwarders.forEach(Forwarder::close);
        forwarders.clear();
        for (Ring.Server s : spec.servers()) {
            forwarders.add(new Forwarder(s));
        }
        trim();
    }

    public Ring spec() {
        return spec;
    }

    public synchronized long dropped() {
        return dropped + forwarders.stream().mapToLong(f -> f.dropped).sum();
    }

    synchronized void append(String line) {
        String l = line.length() > spec.maxLength() ? line.substring(0, spec.maxLength()) : line;
        lines.addLast(l);
        bytes += l.length() + 1;
        trim();
        for (Forwarder f : forwarders) {
            f.send(l);
        }
    }

    private void trim() {
        while (bytes > spec.size() && !lines.isEmpty()) {
            bytes -= lines.removeFirst().length() + 1;
            dropped++;
        }
    }

    /** The lines in the ring, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized void close() {
        forwarders.forEach(Forwarder::close);
    }

    private final class Forwarder {
        final Ring.Server server;
        Socket socket;
        OutputStream out;
        long retryAt;
        long dropped;

        Forwarder(Ring.Server server) {
            this.server = server;
        }

        void send(String line) {
            try {
                if (out == null) {
                    if (System.currentTimeMillis() < retryAt) {
                        dropped++;
                        return;
                    }
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(server.host(), server.port()), (int) Math.max(1, spec.connectTimeout()));
                    s.setSoTimeout((int) Math.max(1, spec.serverTimeout()));
                    socket = s;
                    out = s.getOutputStream();
                }
                byte[] msg = line.getBytes(StandardCharsets.UTF_8);
                if (server.octetCount()) {
                    out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
                    out.write(msg);
                } else {
                    out.write(msg);
                    out.write('\n');
                }
                out.flush();
            } catch (IOException e) {
                dropped++;
                close();
                retryAt = System.currentTimeMillis() + 1000;
            }
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            out = null;
        }
    }
}
