package io.haquark.tls;

import io.haquark.model.Server;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import javax.net.ssl.SSLException;

/** TLS client contexts for "server ... ssl [verify none|required] [ca-file f]". */
public final class ServerTls {
    private ServerTls() {
    }

    public static SslContext context(Server s) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            String verify = s.options().getOrDefault("verify", "required");
            String ca = s.options().get("ca-file");
            if (verify.equals("none")) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (ca != null) {
                b.trustManager(new File(ca));
            }
            // "verify required" without ca-file: the JDK's default trust store.
            String crt = s.options().get("crt");
            if (crt != null) {
                // One PEM file holds the certificate chain and its key (PKCS#1, SEC1 or PKCS#8), as HAProxy reads it.
                try {
                    java.nio.file.Path f = java.nio.file.Path.of(crt);
                    b.keyManager(PemFiles.keyManager(PemFiles.privateKey(f), PemFiles.certificates(f)));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("unable to load certificate '" + crt + "': " + e.getMessage(), e);
                }
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
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("server " + s.name() + ": cannot build TLS context: " + e.getMessage(), e);
        }
    }
}
