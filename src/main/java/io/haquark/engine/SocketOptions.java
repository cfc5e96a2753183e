package io.haquark.engine;

import io.haquark.model.Bind;
import io.haquark.model.Proxy;
import io.haquark.model.Values;
import io.haquark.state.ServerState;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;

/**
 * The socket options HAProxy's bind, server and proxy keywords ask the kernel for (configuration.txt
 * §5.1, §5.2, §4.2): keep-alive probe counts and intervals (clitcpka-*, srvtcpka-*), TCP user
 * timeouts (tcp-ut), fast open (tfo), the listening socket's MSS, interface, defer-accept and
 * transparent mode. They need the native epoll transport; without it they are left alone.
 */
final class SocketOptions {
    /** setsockopt levels and names of Linux (netinet/tcp.h, asm/socket.h). */
    private static final int SOL_SOCKET = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_MAXSEG = 2;
    private static final int SO_BINDTODEVICE = 25;
    private static final IntegerUnixChannelOption MAXSEG = new IntegerUnixChannelOption("TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG);

    private SocketOptions() {
    }

    /** A keep-alive time: seconds by default, or a number with a unit (HAProxy reads these in seconds). */
    static int seconds(String v, String keyword) {
        if (v.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(v);
        }
        return (int) Math.max(1, Values.time(v, keyword) / 1000);
    }

    /** The listening socket of a bind line, and what each accepted connection gets. */
    static void listener(ServerBootstrap sb, Proxy frontend, Bind b) {
        if (!Epoll.isAvailable()) {
            return;
        }
        String mss = b.options().get("mss");
        if (mss != null) {
            // A negative value asks for that MSS on the listener only, as HAProxy reads it.
            sb.option(MAXSEG, Math.abs(Integer.parseInt(mss)));
        }
        String itf = b.options().get("interface");
        if (itf != null) {
            java.nio.ByteBuffer name = java.nio.ByteBuffer.allocateDirect(itf.length() + 1);
            name.put(itf.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0).flip();
            sb.option(new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, itf.length() + 1), name);
        }
        if (b.options().containsKey("defer-accept")) {
            // The connection is accepted once data came, or after the client timeout (at least 1s).
            long client = frontend.timeouts().client();
            sb.option(EpollChannelOption.TCP_DEFER_ACCEPT, (int) Math.max(1, (client + 999) / 1000));
        }
        if (b.options().containsKey("tfo")) {
            int qlen = b.maxconn() > 0 ? b.maxconn() : Math.max(1, frontend.maxconn());
            sb.option(EpollChannelOption.TCP_FASTOPEN, qlen);
        }
        if (b.options().containsKey("transparent")) {
            sb.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        String ut = b.options().get("tcp-ut");
        if (ut != null) {
            sb.childOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) Values.time(ut, "tcp-ut"));
        }
        keepAlive(frontend, "clitcpka", sb::childOption);
    }

    /** A connection to a server: the backend's srvtcpka-* and the server's tcp-ut and tfo. */
    static void server(Bootstrap b, ServerState s) {
        if (!Epoll.isAvailable()) {
            return;
        }
        String ut = s.server.options().get("tcp-ut");
        if (ut != null) {
            b.option(EpollChannelOption.TCP_USER_TIMEOUT, (int) Values.time(ut, "tcp-ut"));
        }
        if (s.server.options().containsKey("tfo")) {
            b.option(EpollChannelOption.TCP_FASTOPEN_CONNECT, true);
        }
        Proxy backend = s.backendProxy();
        if (backend != null) {
            keepAlive(backend, "srvtcpka", b::option);
        }
    }

    private static void keepAlive(Proxy p, String prefix, java.util.function.BiConsumer<io.netty.channel.ChannelOption<Integer>, Integer> set) {
        String cnt = p.setting(prefix + "-cnt", null);
        String idle = p.setting(prefix + "-idle", null);
        String intvl = p.setting(prefix + "-intvl", null);
        if (cnt != null) {
            set.accept(EpollChannelOption.TCP_KEEPCNT, Integer.parseInt(cnt));
        }
        if (idle != null) {
            set.accept(EpollChannelOption.TCP_KEEPIDLE, seconds(idle, prefix + "-idle"));
        }
        if (intvl != null) {
            set.accept(EpollChannelOption.TCP_KEEPINTVL, seconds(intvl, prefix + "-intvl"));
        }
    }
}
