package io.haquark.support;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP server for tests that script a server byte by byte: each accepted connection
 * is handed, numbered from 1, to the handler on a thread of its own, and closed after it.
 */
public final class SocketServer implements AutoCloseable {
    /** What a test does with one connection. */
    public interface Handler {
        void serve(Socket connection, int number) throws Exception;
    }

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private int accepted;

    public SocketServer(Handler handler) throws java.io.IOException {
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                Socket c;
                int n;
                try {
                    c = socket.accept();
                } catch (Exception e) {
                    return;
                }
                synchronized (this) {
                    n = ++accepted;
                }
                Thread w = new Thread(() -> {
                    try (c) {
                        c.setSoTimeout(5000);
                        handler.serve(c, n);
                    } catch (Exception e) {
                        // the proxy went away: the connection ends here
                    }
                }, "socket-server-" + n);
                w.setDaemon(true);
                w.start();
            }
        }, "socket-server");
        t.setDaemon(true);
        t.start();
    }

    /** An HTTP/1 head up to its blank line, or null at the end of the stream. */
    public static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Connections are numbered from 1 again. */
    public synchronized void resetCount() {
        accepted = 0;
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
