package io.haquark.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.util.List;

/**
 * bind "accept-netscaler-cip <magic>" (configuration.txt §5.1): a NetScaler in front prepends the
 * client's IP and TCP headers, behind its magic number and the headers' length (the legacy form:
 * 4-byte length; the standard one: a 0 byte, a type and a 2-byte length). The addresses go on as
 * a PROXY header would give them (the same Reader takes them); the prefix leaves the stream.
 */
final class NetscalerCip extends ByteToMessageDecoder {
    static final int CIP_TRUNCATED = 21;
    static final int CIP_BAD_MAGIC = 22;
    static final int CIP_BAD_PROTO = 23;

    private final long magic;

    NetscalerCip(long magic) {
        this.magic = magic & 0xffffffffL;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 12) {
            return;
        }
        int r = in.readerIndex();
        if (in.getUnsignedInt(r) != magic) {
            fail(ctx, in, CIP_BAD_MAGIC);
            return;
        }
        int first = in.getUnsignedByte(r + 8);
        long headers;
        int prefix;
        if ((first & 0xd0) == 0x40) {
            headers = in.getUnsignedInt(r + 4);            // legacy: the length, then the IP header
            prefix = 8;
        } else if (first == 0) {
            headers = in.getUnsignedShort(r + 10);         // standard: 0, type, 2-byte length
            prefix = 12;
        } else {
            fail(ctx, in, CIP_BAD_PROTO);
            return;
        }
        if (in.readableBytes() < prefix + Math.max(20, headers)) {
            return;                                        // more is coming
        }
        int ip = r + prefix;
        int version = in.getUnsignedByte(ip) >> 4;
        HAProxyMessage m;
        if (version == 4 && in.getUnsignedByte(ip + 9) == 6) {
            int tcp = ip + (in.getUnsignedByte(ip) & 0x0f) * 4;
            m = new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4,
                    address(in, ip + 12, 4), address(in, ip + 16, 4), in.getUnsignedShort(tcp), in.getUnsignedShort(tcp + 2));
        } else if (version == 6 && in.getUnsignedByte(ip + 6) == 6 && in.readableBytes() >= prefix + 60) {
            int tcp = ip + 40;
            m = new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6,
                    address(in, ip + 8, 16), address(in, ip + 24, 16), in.getUnsignedShort(tcp), in.getUnsignedShort(tcp + 2));
        } else {
            fail(ctx, in, CIP_BAD_PROTO);
            return;
        }
        in.skipBytes((int) (prefix + headers));
        out.add(m);
        ctx.pipeline().remove(this);
    }

    private static String address(ByteBuf in, int at, int len) {
        byte[] b = new byte[len];
        in.getBytes(at, b);
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fail(ChannelHandlerContext ctx, ByteBuf in, int code) {
        in.skipBytes(in.readableBytes());
        ProxyProtocol.Reader reader = ctx.pipeline().get(ProxyProtocol.Reader.class);
        if (reader != null) {
            reader.fail(code);
        }
        io.haquark.rules.SocketActions.reset(ctx.channel());   // HAProxy resets it (what came is left unread)
    }
}
