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
public final class InheritedSockets {
    private static final Logger LOG = Logger.getLogger(InheritedSockets.class);

    private InheritedSockets() {
    }

    /**
     * Makes sb serve the inherited listening socket fd (fd@ on a bind or a stats socket).
     * @return the channel sb will register
     */
    public static io.netty.channel.epoll.EpollServerSocketChannel adopt(int fd, io.netty.bootstrap.ServerBootstrap sb) {
        io.netty.channel.epoll.EpollServerSocketChannel ch = new io.netty.channel.epoll.EpollServerSocketChannel(fd);
        if (!makeNonBlocking(fd)) {
            // A blocking socket would block the acceptor's second accept() of a batch: accept
            // one connection per readiness event instead.
            sb.option(io.netty.channel.epoll.EpollChannelOption.EPOLL_MODE, io.netty.channel.epoll.EpollMode.LEVEL_TRIGGERED)
                    .option(io.netty.channel.ChannelOption.MAX_MESSAGES_PER_READ, 1);
        }
        sb.channelFactory(() -> ch);
        return ch;
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
