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

        /** The header never came right: HAProxy's connection error code (ConnectionError). */
        default void failed(int code) {
        }
    }

    /** The first bytes the connection sent while its PROXY header was awaited (to name what went wrong). */
    static final io.netty.util.AttributeKey<byte[]> FIRST_BYTES = io.netty.util.AttributeKey.valueOf("haquark.proxy.first");
    private static final byte[] V1 = "PROXY".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /**
     * What HAProxy calls a failed header: nothing came (closed: 11), fewer than 16 bytes
     * (truncated: 14), bytes that are no PROXY header (15), a PROXY header that does not parse (16).
     */
    static int failure(io.netty.channel.Channel ch, boolean parseError) {
        byte[] first = ch.attr(FIRST_BYTES).get();
        if (first == null || first.length == 0) {
            return ConnectionError.PRX_EMPTY;
        }
        boolean looksLike = startsWith(first, V1) || startsWith(first, V2Check.SIGNATURE);
        if (first.length < 16 && (!parseError || !looksLike)) {
            return ConnectionError.PRX_TRUNCATED;
        }
        if (!looksLike) {
            return ConnectionError.PRX_NOT_HDR;
        }
        return parseError ? ConnectionError.PRX_BAD_HDR : ConnectionError.PRX_TRUNCATED;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        int n = Math.min(b.length, prefix.length);
        for (int i = 0; i < n; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the TLV area of a PROXY v2 header before Netty's decoder reads it: the TLVs must
     * fill it exactly, or the connection closes (HAProxy refuses such a header; Netty's decoder
     * would take the part it can read). Looks at the first bytes only, then steps aside.
     */
    static final class V2Check extends ChannelInboundHandlerAdapter {
        private static final byte[] SIGNATURE = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};
        private final java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf b) {
                byte[] chunk = new byte[Math.min(b.readableBytes(), 16 + 65535 - seen.size())];
                b.getBytes(b.readerIndex(), chunk);
                seen.write(chunk, 0, chunk.length);
                ctx.channel().attr(FIRST_BYTES).set(java.util.Arrays.copyOf(seen.toByteArray(), Math.min(seen.size(), 32)));
                byte[] h = seen.toByteArray();
                int verdict = check(h);
                if (verdict < 0) {
                    b.release();
                    ProxyProtocol.Reader r = ctx.pipeline().get(ProxyProtocol.Reader.class);
                    if (r != null) {
                        r.fail(ConnectionError.PRX_BAD_HDR);
                    }
                    ctx.close();
                    return;
                }
                if (verdict > 0) {
                    ctx.pipeline().remove(this);
                }
            }
            ctx.fireChannelRead(msg);
        }

        /** 1: fine (or no v2 header), 0: not enough bytes yet, -1: the TLVs do not fill their area. */
        static int check(byte[] h) {
            for (int i = 0; i < Math.min(h.length, SIGNATURE.length); i++) {
                if (h[i] != SIGNATURE[i]) {
                    return 1;
                }
            }
            if (h.length < 16) {
                return 0;
            }
            int len = ((h[14] & 0xff) << 8) | (h[15] & 0xff);
            if (h.length < 16 + len) {
                return 0;
            }
            int addr = switch ((h[13] & 0xf0) >> 4) {
                case 1 -> 12;
                case 2 -> 36;
                case 3 -> 216;
                default -> 0;
            };
            if ((h[12] & 0x0f) == 0 || addr > len) {
                return 1;   // LOCAL, or an address family Netty's decoder judges itself
            }
            int at = 16 + addr;
            int end = 16 + len;
            while (at < end) {
                if (at + 3 > end) {
                    return -1;
                }
                at += 3 + (((h[at + 1] & 0xff) << 8) | (h[at + 2] & 0xff));
            }
            return at == end ? 1 : -1;
        }
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

        private boolean failed;

        void fail(int code) {
            if (!failed) {
                failed = true;
                receiver.failed(code);
            }
        }

        /** The decoder found no PROXY header it could read: the connection ends, reported. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof io.netty.handler.codec.DecoderException) {
                fail(failure(ctx.channel(), true));
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        /** Closed while the header was awaited (this handler leaves once it came). */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(failure(ctx.channel(), false));
            ctx.fireChannelInactive();
        }
    }

    /**
     * tcp-request connection expect-proxy layer4: the connection's first bytes are a PROXY header
     * after all, as if the bind said accept-proxy; its decoder goes first (before TLS), the
     * receiver gets the addresses.
     */
    static void expect(io.netty.channel.Channel ch, Receiver receiver) {
        io.netty.channel.ChannelPipeline p = ch.pipeline();
        p.addFirst("proxy-decoder", new io.netty.handler.codec.haproxy.HAProxyMessageDecoder());
        p.addFirst("proxy-check", new V2Check());
        p.addAfter("proxy-decoder", "proxy", new Reader(receiver));
    }

    /** The header sent first on a new server connection, announcing the client's addresses. */
    static HAProxyMessage header(boolean v2, InetSocketAddress src, InetSocketAddress dst) {
        return header(v2, src, dst, java.util.List.of());
    }

    /** With v2 TLVs (server "proxy-v2-options"): type and value of each. */
    static HAProxyMessage header(boolean v2, InetSocketAddress src, InetSocketAddress dst, java.util.List<Object[]> tlvs) {
        boolean six = src.getAddress() instanceof Inet6Address || dst.getAddress() instanceof Inet6Address;
        java.util.List<io.netty.handler.codec.haproxy.HAProxyTLV> list = new java.util.ArrayList<>();
        if (v2) {
            for (Object[] t : tlvs) {
                list.add(new io.netty.handler.codec.haproxy.HAProxyTLV((byte) (int) (Integer) t[0],
                        io.netty.buffer.Unpooled.wrappedBuffer((byte[]) t[1])));
            }
        }
        return new HAProxyMessage(v2 ? HAProxyProtocolVersion.V2 : HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                six ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                src.getAddress().getHostAddress(), dst.getAddress().getHostAddress(), src.getPort(), dst.getPort(), list);
    }

    /**
     * The TLVs a server's PROXY v2 header carries (configuration.txt §5.2, in HAProxy's order):
     * the ALPN the client negotiated (0x01, always), then as "proxy-v2-options" asks, authority
     * (0x02, the client's SNI), unique-id (0x05), and with "ssl" (or send-proxy-v2-ssl /
     * send-proxy-v2-ssl-cn) the SSL TLV (0x20): whether the client came over TLS, its version,
     * and on demand the client certificate's CN (cert-cn), the frontend certificate's key and
     * signature algorithms (cert-key, cert-sig), the cipher (ssl-cipher).
     */
    static java.util.List<Object[]> tlvs(io.haquark.acl.SampleSource src, io.haquark.model.Server server) {
        String alpn = src.tlsConnection() ? src.tlsAlpn() : null;
        String opts = server.options().get("proxy-v2-options");
        boolean sslFlag = server.options().containsKey("send-proxy-v2-ssl");
        boolean cnFlag = server.options().containsKey("send-proxy-v2-ssl-cn");
        if (opts == null && !sslFlag && !cnFlag && alpn == null) {
            return java.util.List.of();
        }
        java.util.List<String> o = opts == null ? java.util.List.of() : java.util.List.of(opts.split(","));
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        if (alpn != null) {
            out.add(new Object[] {0x01, alpn.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)});
        }
        if (o.contains("authority") && src.sniHost() != null) {
            out.add(new Object[] {0x02, src.sniHost().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)});
        }
        if (o.contains("unique-id") && src.uniqueId() != null) {
            out.add(new Object[] {0x05, src.uniqueId().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)});
        }
        if (sslFlag || cnFlag || o.contains("ssl") || o.contains("cert-cn") || o.contains("ssl-cipher")
                || o.contains("cert-sig") || o.contains("cert-key")) {
            out.add(new Object[] {0x20, sslTlv(src.frontTlsSession(), cnFlag || o.contains("cert-cn"), o)});
        }
        return out;
    }

    /** PP2_TYPE_SSL's value: client flags, verify result, then its sub-TLVs. */
    private static byte[] sslTlv(javax.net.ssl.SSLSession tls, boolean cn, java.util.List<String> o) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int client = 0;
        java.security.cert.X509Certificate cert = null;
        if (tls != null) {
            client |= 0x01;                                   // PP2_CLIENT_SSL
            try {
                java.security.cert.Certificate[] peer = tls.getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof java.security.cert.X509Certificate x) {
                    cert = x;
                    client |= 0x02 | 0x04;                    // PP2_CLIENT_CERT_CONN | PP2_CLIENT_CERT_SESS
                }
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no client certificate
            }
        }
        b.write(client);
        b.writeBytes(new byte[4]);                            // verify: 0, the certificate (if any) was accepted
        if (tls != null) {
            subTlv(b, 0x21, tls.getProtocol());               // PP2_SUBTYPE_SSL_VERSION
            if (cn && cert != null) {
                String dn = cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
                for (String rdn : dn.split("(?<!\\\\),")) {
                    if (rdn.startsWith("CN=")) {
                        subTlv(b, 0x22, rdn.substring(3));    // PP2_SUBTYPE_SSL_CN
                        break;
                    }
                }
            }
            // cert-key and cert-sig describe the certificate the frontend presented, as HAProxy's do.
            java.security.cert.Certificate[] local = tls.getLocalCertificates();
            java.security.cert.X509Certificate own = local != null && local.length > 0
                    && local[0] instanceof java.security.cert.X509Certificate x ? x : null;
            if (own != null && o.contains("cert-key")) {
                subTlv(b, 0x25, io.haquark.acl.CertificateNames.keyWithBits(own));
            }
            if (own != null && o.contains("cert-sig")) {
                subTlv(b, 0x24, io.haquark.acl.CertificateNames.signature(own));
            }
            if (o.contains("ssl-cipher")) {
                String c = io.netty.handler.ssl.CipherSuiteConverter.toOpenSsl(tls.getCipherSuite(), false);
                subTlv(b, 0x23, c != null ? c : tls.getCipherSuite());
            }
        }
        return b.toByteArray();
    }

    private static void subTlv(java.io.ByteArrayOutputStream b, int type, String value) {
        byte[] v = value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        b.write(type);
        b.write(v.length >> 8);
        b.write(v.length & 0xff);
        b.writeBytes(v);
    }
}
