package io.haquark.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * The PROXY protocol (v1 and v2): "bind ... accept-proxy" reads the header a load balancer in
 * front sends and takes its addresses as the client's; "server ... send-proxy[-v2]" sends one.
 */
final class ProxyProtocol {
    private ProxyProtocol() {
    }

    /** Follows Netty's HAProxyMessageDecoder: hands the announced addresses over, then leaves. */
    /** What a PROXY header announced: the addresses (null for LOCAL or UNKNOWN) and its v2 TLVs by type. */
    interface Receiver {
        void proxied(InetSocketAddress src, InetSocketAddress dst, java.util.Map<Integer, byte[]> tlvs);
    }

    static final class Reader extends ChannelInboundHandlerAdapter {
        private final Receiver receiver;

        Reader(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage m) {
                try {
                    java.util.Map<Integer, byte[]> tlvs = new java.util.HashMap<>();
                    for (io.netty.handler.codec.haproxy.HAProxyTLV tlv : m.tlvs()) {
                        byte[] v = new byte[tlv.content().readableBytes()];
                        tlv.content().getBytes(tlv.content().readerIndex(), v);
                        tlvs.put(tlv.typeByteValue() & 0xff, v);
                    }
                    boolean proxy = m.command() == HAProxyCommand.PROXY && m.sourceAddress() != null;
                    // Literal addresses only: no lookup happens for them.
                    receiver.proxied(proxy ? new InetSocketAddress(m.sourceAddress(), m.sourcePort()) : null,
                            proxy ? new InetSocketAddress(m.destinationAddress(), m.destinationPort()) : null, tlvs);
                } finally {
                    m.release();
                }
                ctx.pipeline().remove(this);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The header sent first on a new server connection, announcing the client's addresses. */
    static HAProxyMessage header(boolean v2, InetSocketAddress src, InetSocketAddress dst) {
        boolean six = src.getAddress() instanceof Inet6Address || dst.getAddress() instanceof Inet6Address;
        return new HAProxyMessage(v2 ? HAProxyProtocolVersion.V2 : HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                six ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                src.getAddress().getHostAddress(), dst.getAddress().getHostAddress(), src.getPort(), dst.getPort());
    }
}
