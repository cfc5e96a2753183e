package io.haquark.tls;

import io.haquark.model.Server;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/** TLS client contexts for "server ... ssl [verify none|required] [ca-file f]". */
public final class ServerTls {
    private ServerTls() {
    }

    public static SslContext context(Server s) {
        return context(s, null);
    }

    /** The context of a server, its crt and ca-file read from the store (from the files without one). */
    public static SslContext context(Server s, SslStore store) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            String dflt = store == null || store.global == null ? "required"
                    : store.global.sslDefaults().getOrDefault("ssl-server-verify", "required");
            String verify = s.options().getOrDefault("verify", dflt);
            String ca = s.options().get("ca-file");
            if (verify.equals("none")) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (ca != null) {
                SslStore files = store != null ? store : new SslStore();
                String crl = s.options().get("crl-file");
                b.trustManager(CertVerifier.forServer(files.caFile(ca), crl == null ? java.util.List.of() : files.crlFile(crl),
                        s.options().get("verifyhost")));
            }
            // "verify required" without ca-file: the JDK's default trust store.
            String crt = s.options().get("crt");
            if (crt != null) {
                // One PEM file holds the certificate chain and its key (PKCS#1, SEC1 or PKCS#8), as HAProxy reads it.
                try {
                    SslStore.Cert c = (store != null ? store : new SslStore()).cert(crt);
                    b.keyManager(PemFiles.keyManager(c.key(), c.chain()));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("unable to load certificate '" + crt + "': " + e.getMessage(), e);
                }
            }
            // TLS versions and ciphers (configuration.txt §5.2): the server's own, else ssl-default-server-*.
            io.haquark.model.GlobalSettings g = store == null ? null : store.global;
            java.util.List<String> versions = TlsContexts.versionWords(s.options(), g, "ssl-default-server-options");
            if (!versions.isEmpty()) {
                b.protocols(io.haquark.config.TlsOptions.protocols(versions));
            }
            java.util.List<String> ciphers = TlsContexts.ciphers(s.options(), g, "ssl-default-server-");
            if (!ciphers.isEmpty()) {
                b.ciphers(ciphers);
            }
            String alpn = s.options().get("alpn");
            if ("h2".equals(s.options().get("proto")) || alpn != null && !alpn.isEmpty()) {
                java.util.List<String> protocols = "h2".equals(s.options().get("proto")) ? java.util.List.of("h2")
                        : java.util.List.of(alpn.split(","));
                b.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
            }
            return TlsContexts.build(b, ciphers, "server " + s.name());
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new IllegalStateException("server " + s.name() + ": cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /** The TLS handler of a connection to a server, sending the server name when there is one. */
    public static io.netty.handler.ssl.SslHandler handler(SslContext tls, io.netty.buffer.ByteBufAllocator alloc, String sni, int port) {
        if (sni == null || sni.isEmpty()) {
            return tls.newHandler(alloc);
        }
        io.netty.handler.ssl.SslHandler h = tls.newHandler(alloc, sni, port);
        if (sni.indexOf('.') < 0) {
            // Netty sends a server name only when it holds a dot; HAProxy sends any ("localhost").
            javax.net.ssl.SSLParameters p = h.engine().getSSLParameters();
            p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(sni)));
            h.engine().setSSLParameters(p);
        }
        return h;
    }
}
