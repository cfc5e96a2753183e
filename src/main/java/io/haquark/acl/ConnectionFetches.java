package io.haquark.acl;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import java.net.InetSocketAddress;
import java.util.function.ToLongFunction;

/**
 * Fetches about the connections themselves (configuration.txt §7.3.3): the server connection's
 * addresses (bc_*), the kernel's TCP figures of the client connection (fc_rtt ... fc_reordering,
 * read from TCP_INFO as HAProxy reads them), the connection error codes, the listener (so_id,
 * dst_conn), the tunnel timeouts, the stream's priority and the task profiling figures.
 * Values were compared with HAProxy 2.6.12 on the same request (ConnectionFetchesTwinTest).
 */
public final class ConnectionFetches {
    private ConnectionFetches() {
    }

    static void register(FetchRegistry.Access r) {
        r.simple("bc_src", SampleType.IP, s -> address(s.backChannel(), true, false));
        r.simple("bc_src_port", SampleType.INTEGER, s -> address(s.backChannel(), true, true));
        r.simple("bc_dst", SampleType.IP, s -> address(s.backChannel(), false, false));
        r.simple("bc_dst_port", SampleType.INTEGER, s -> address(s.backChannel(), false, true));
        // The server connection's HTTP major version: 2 on an HTTP/2 connection (its streams are children).
        r.simple("bc_http_major", SampleType.INTEGER, s -> {
            Channel c = s.backChannel();
            return c == null ? null : c instanceof io.netty.handler.codec.http2.Http2StreamChannel ? 2L : 1L;
        });
        // A connection the rules see is established: its error is 0, "Success" (HAProxy's words for no error).
        for (String side : new String[] {"fc", "bc"}) {
            boolean front = side.equals("fc");
            r.simple(side + "_err", SampleType.INTEGER, s -> (front ? s.frontChannel() : s.backChannel()) == null ? null
                    : front ? (long) s.connectionErrorCode() : 0L);
            r.simple(side + "_err_str", SampleType.STRING, s -> (front ? s.frontChannel() : s.backChannel()) == null ? null
                    : front && s.connectionErrorCode() != 0 ? connectionErrorText(s.connectionErrorCode()) : "Success");
            r.simple("ssl_" + side + "_err", SampleType.INTEGER, s -> (front ? s.frontTlsSession() : s.serverTlsSession()) == null ? null : 0L);
            r.simple("ssl_" + side + "_err_str", SampleType.STRING, s -> null);
        }
        // TCP_INFO of the client connection; fc_rtt / fc_rttvar take a unit, milliseconds by default.
        for (String f : new String[] {"fc_rtt", "fc_rttvar"}) {
            boolean var = f.equals("fc_rttvar");
            r.add(f, SampleType.INTEGER, 0, 1, a -> {
                boolean us = !a.isEmpty() && a.get(0).equals("us");
                if (!a.isEmpty() && !us && !a.get(0).equals("ms")) {
                    throw new AclException("fetch method '" + f + "' : invalid unit '" + a.get(0) + "', expects 'ms' or 'us'");
                }
                return s -> tcpInfo(s, i -> {
                    long v = var ? i.rttvar() : i.rtt();
                    return us ? v : v / 1000;
                });
            });
        }
        r.simple("fc_unacked", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::unacked));
        r.simple("fc_sacked", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::sacked));
        r.simple("fc_retrans", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::retrans));
        r.simple("fc_fackets", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::fackets));
        r.simple("fc_lost", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::lost));
        r.simple("fc_reordering", SampleType.INTEGER, s -> tcpInfo(s, EpollTcpInfo::reordering));
        r.simple("fc_src_is_local", SampleType.BOOLEAN, s -> s.frontSource() == null ? null : MoreFetches.isLocal(s.frontSource().getAddress()));
        r.simple("fc_dst_is_local", SampleType.BOOLEAN, s -> s.frontDestination() == null ? null : MoreFetches.isLocal(s.frontDestination().getAddress()));
        r.simple("so_id", SampleType.INTEGER, SampleSource::listenerId);
        r.simple("dst_conn", SampleType.INTEGER, SampleSource::listenerConnections);
        r.simple("be_tunnel_timeout", SampleType.INTEGER, SampleSource::backendTunnelTimeout);
        r.simple("cur_tunnel_timeout", SampleType.INTEGER, SampleSource::currentTunnelTimeout);
        r.simple("prio_class", SampleType.INTEGER, SampleSource::priorityClass);
        r.simple("prio_offset", SampleType.INTEGER, SampleSource::priorityOffset);
        // HAProxy's task profiling figures: without "profiling.tasks on" (its default, and haquark
        // has no task scheduler to profile) they are 0. cpu_calls counts the stream task's wake-ups,
        // which an event-driven JVM stream does not have: 0 too.
        for (String f : new String[] {"cpu_calls", "cpu_ns_avg", "cpu_ns_tot", "lat_ns_avg", "lat_ns_tot"}) {
            r.simple(f, SampleType.INTEGER, s -> 0L);
        }
    }

    /** HAProxy's texts of its connection error codes (CO_ER_*), those haquark reports. */
    public static String connectionErrorText(int code) {
        return switch (code) {
            case 11 -> "Connection closed while waiting for PROXY protocol header";
            case 13 -> "Timeout while waiting for PROXY protocol header";
            case 14 -> "Truncated PROXY protocol header received";
            case 15 -> "Received something which does not look like a PROXY protocol header";
            case 16 -> "Received an invalid PROXY protocol header";
            case 21 -> "Truncated NetScaler Client IP header received";
            case 22 -> "Received an invalid NetScaler Client IP magic number";
            case 23 -> "Received an unhandled protocol in the NetScaler Client IP header";
            case 24 -> "Connection closed during SSL handshake";
            case 26 -> "Timeout during SSL handshake";
            case 34 -> "SSL handshake failure";
            default -> "Unknown error";
        };
    }

    private static Object address(Channel c, boolean local, boolean port) {
        if (c == null) {
            return null;
        }
        Channel conn = c instanceof io.netty.handler.codec.http2.Http2StreamChannel ? c.parent() : c;
        if (!((local ? conn.localAddress() : conn.remoteAddress()) instanceof InetSocketAddress a)) {
            return null;
        }
        return port ? (Object) (long) a.getPort() : a.getAddress();
    }

    private static Long tcpInfo(SampleSource s, ToLongFunction<EpollTcpInfo> field) {
        Channel c = s.frontChannel();
        if (c instanceof io.netty.handler.codec.http2.Http2StreamChannel) {
            c = c.parent();
        }
        if (!(c instanceof EpollSocketChannel e) || !e.isOpen()) {
            return null;
        }
        try {
            return field.applyAsLong(e.tcpInfo());
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
