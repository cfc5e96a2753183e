package io.haquark.engine;

import javax.net.ssl.SSLEngine;

/**
 * The ssl_fc* samples of a client connection (configuration.txt §7.3.4), read from its TLS
 * engine; each is null on a plain connection.
 */
final class ClientTls {
    private ClientTls() {
    }

    static String protocol(SSLEngine e) {
        return e == null ? null : e.getSession().getProtocol();
    }

    static String alpn(SSLEngine e) {
        String p = e == null ? null : e.getApplicationProtocol();
        return p == null || p.isEmpty() ? null : p;
    }

    /** The TLS session of a connection (of its parent for an HTTP/2 stream), or null when it is plain. */
    static javax.net.ssl.SSLSession session(io.netty.channel.Channel ch) {
        io.netty.channel.Channel c = ch instanceof io.netty.handler.codec.http2.Http2StreamChannel stream ? stream.parent() : ch;
        io.netty.handler.ssl.SslHandler h = c == null ? null : c.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        return h == null ? null : h.engine().getSession();
    }

    static String sni(SSLEngine e) {
        if (e != null && e.getSession() instanceof javax.net.ssl.ExtendedSSLSession x) {
            for (javax.net.ssl.SNIServerName n : x.getRequestedServerNames()) {
                if (n instanceof javax.net.ssl.SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return null;
    }
}
