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

    static java.security.cert.X509Certificate peerCertificate(SSLEngine e) {
        if (e == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = e.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x ? x : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return null;
        }
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
