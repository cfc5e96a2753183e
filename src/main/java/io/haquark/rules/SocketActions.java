package io.haquark.rules;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * What rules do to the client connection's socket itself (configuration.txt §4.2 actions
 * "set-tos", "set-mark", "silent-drop", and the way "reject" closes at layer 4): they need the
 * native epoll transport and act on the TCP connection (for an HTTP/2 stream, its parent).
 */
public final class SocketActions {
    /** Linux setsockopt names (asm/socket.h, netinet/tcp.h, netinet/in.h). */
    private static final IntegerUnixChannelOption SO_MARK = new IntegerUnixChannelOption("SO_MARK", 1, 36);
    private static final IntegerUnixChannelOption TCP_REPAIR = new IntegerUnixChannelOption("TCP_REPAIR", 6, 19);
    private static final IntegerUnixChannelOption IP_TTL = new IntegerUnixChannelOption("IP_TTL", 0, 2);
    private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS = new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);
    private static final IntegerUnixChannelOption IPV6_TCLASS = new IntegerUnixChannelOption("IPV6_TCLASS", 41, 67);

    private SocketActions() {
    }

    private static Channel connection(Channel c) {
        return c instanceof io.netty.handler.codec.http2.Http2StreamChannel ? c.parent() : c;
    }

    /** set-tos: the TOS / traffic class of the packets sent to the client. */
    public static void setTos(Channel c, int tos) {
        Channel conn = connection(c);
        if (conn instanceof EpollSocketChannel e && e.isOpen()) {
            boolean v6 = e.remoteAddress() != null && e.remoteAddress().getAddress() instanceof java.net.Inet6Address;
            try {
                if (v6) {
                    e.config().setOption(IPV6_TCLASS, tos);
                } else {
                    e.config().setOption(ChannelOption.IP_TOS, tos);
                }
            } catch (RuntimeException ignored) {
                // the kernel refused it: the packets keep their class, as in HAProxy
            }
        }
    }

    /** set-mark: the netfilter mark (SO_MARK) of the client connection's packets; needs CAP_NET_ADMIN. */
    public static void setMark(Channel c, int mark) {
        Channel conn = connection(c);
        if (conn instanceof EpollSocketChannel e && e.isOpen()) {
            try {
                e.config().setOption(SO_MARK, mark);
            } catch (RuntimeException ignored) {
                // not permitted: left unmarked, as HAProxy does
            }
        }
    }

    /**
     * reject at layer 4: the connection is closed at once with a reset (SO_LINGER 0), as HAProxy
     * closes it.
     */
    public static void reset(Channel c) {
        Channel conn = connection(c);
        if (conn instanceof EpollSocketChannel e && e.isOpen()) {
            try {
                e.config().setSoLinger(0);
            } catch (RuntimeException ignored) {
                // closed normally then
            }
        }
        conn.close();
    }

    /** A connection the layer 4 rules refused: silently dropped, or reset (HAProxy's two ways). */
    public static void refuse(Channel c, boolean silently) {
        if (silently) {
            silentDrop(c);
        } else {
            reset(c);
        }
    }

    /**
     * silent-drop: the connection disappears without a packet to the client (TCP_REPAIR, which
     * needs CAP_NET_ADMIN); failing that, a reset whose TTL of 1 stops it at the first router —
     * HAProxy's two ways, in its order.
     */
    public static void silentDrop(Channel c) {
        Channel conn = connection(c);
        if (conn instanceof EpollSocketChannel e && e.isOpen()) {
            try {
                e.config().setOption(TCP_REPAIR, 1);
                conn.close();
                return;
            } catch (RuntimeException notPermitted) {
                boolean v6 = e.remoteAddress() != null && e.remoteAddress().getAddress() instanceof java.net.Inet6Address;
                try {
                    e.config().setOption(v6 ? IPV6_UNICAST_HOPS : IP_TTL, 1);
                } catch (RuntimeException ignored) {
                    // a plain reset then
                }
            }
        }
        reset(conn);
    }
}
