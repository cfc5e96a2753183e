package io.haquark.engine;

import java.io.FileDescriptor;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * Listening sockets handed over as {@code bind fd@<n>} (configuration.txt §5.1, "fd@"): VTest,
 * systemd and other supervisors may pass them in blocking mode, and an event loop must never
 * call accept() on a blocking socket. HAProxy sets O_NONBLOCK on them; Java has no public call
 * for that on a bare descriptor, so the JDK's own NIO helper is used when the launcher exported
 * it (bin/haquark and the jar's manifest do), and the caller falls back to one accept per
 * readiness event otherwise.
 */
final class InheritedSockets {
    private static final Logger LOG = Logger.getLogger(InheritedSockets.class);

    private InheritedSockets() {
    }

    /** @return true when fd is now non-blocking */
    static boolean makeNonBlocking(int fd) {
        try {
            Class<?> io = Class.forName("sun.nio.ch.IOUtil");
            Method newFd = io.getMethod("newFD", int.class);
            Method configure = io.getMethod("configureBlocking", FileDescriptor.class, boolean.class);
            configure.invoke(null, newFd.invoke(null, fd), false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debugf("fd@%d: cannot set O_NONBLOCK (%s); accepting one connection per event", fd, e);
            return false;
        }
    }
}
