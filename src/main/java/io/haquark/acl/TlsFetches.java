package io.haquark.acl;

import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * The connection-level TLS fetches of configuration.txt §7.3.4 on both sides: ssl_fc_* for the
 * client connection, ssl_bc_* for the connection to the server. Cipher names are OpenSSL's
 * ("ECDHE-RSA-AES128-GCM-SHA256"), as HAProxy shows them.
 */
final class TlsFetches {
    private TlsFetches() {
    }

    static void register(FetchRegistry.Access r) {
        r.simple("ssl_bc", SampleType.BOOLEAN, s -> s.serverTlsSession() != null);
        for (String side : new String[] {"fc", "bc"}) {
            boolean front = side.equals("fc");
            Function<SampleSource, SSLSession> session = front ? SampleSource::frontTlsSession : SampleSource::serverTlsSession;
            if (!front) {
                of(r, "ssl_bc_protocol", SampleType.STRING, session, SSLSession::getProtocol);
            }
            of(r, "ssl_" + side + "_cipher", SampleType.STRING, session, t -> openSslName(t.getCipherSuite()));
            of(r, "ssl_" + side + "_alg_keysize", SampleType.INTEGER, session, t -> keySize(t.getCipherSuite()));
            of(r, "ssl_" + side + "_use_keysize", SampleType.INTEGER, session, t -> keySize(t.getCipherSuite()));
            of(r, "ssl_" + side + "_session_id", SampleType.BINARY, session, TlsFetches::sessionId);
        }
        r.simple("ssl_fc_has_sni", SampleType.BOOLEAN, s -> s.frontTlsSession() == null ? null : s.sniHost() != null);
        r.simple("ssl_fc_has_crt", SampleType.BOOLEAN, s -> {
            SSLSession t = s.frontTlsSession();
            if (t == null) {
                return null;
            }
            try {
                return t.getPeerCertificates().length > 0;
            } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                return false;
            }
        });
        // haquark accepts no TLS early data (0-RTT), so none ever came.
        r.simple("ssl_fc_has_early", SampleType.BOOLEAN, s -> s.frontTlsSession() == null ? null : false);
    }

    private static void of(FetchRegistry.Access r, String name, SampleType type, Function<SampleSource, SSLSession> session,
                           Function<SSLSession, Object> f) {
        r.simple(name, type, s -> {
            SSLSession t = session.apply(s);
            return t == null ? null : f.apply(t);
        });
    }

    /**
     * The session's identifier. BoringSSL gives TLS 1.3 sessions none where OpenSSL (so HAProxy)
     * makes a random 32-byte one: haquark makes one too, kept with the session.
     */
    private static Object sessionId(SSLSession t) {
        byte[] id = t.getId();
        if (id == null || id.length == 0) {
            Object kept = t.getValue("haquark.session-id");
            if (kept instanceof byte[] b) {
                id = b;
            } else {
                id = new byte[32];
                java.util.concurrent.ThreadLocalRandom.current().nextBytes(id);
                t.putValue("haquark.session-id", id);
            }
        }
        return new String(id, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The OpenSSL name of a cipher suite; TLS 1.3 suites are named alike in both worlds. */
    static String openSslName(String javaName) {
        if (javaName == null || javaName.startsWith("TLS_AES") || javaName.startsWith("TLS_CHACHA20")) {
            return javaName;
        }
        String o = io.netty.handler.ssl.CipherSuiteConverter.toOpenSsl(javaName, false);
        return o != null ? o : javaName;
    }

    /** The symmetric key size in bits the suite's name gives (AES_128 ... CHACHA20 is 256). */
    static Long keySize(String suite) {
        if (suite == null) {
            return null;
        }
        if (suite.contains("CHACHA20") || suite.contains("AES_256") || suite.contains("AES256")) {
            return 256L;
        }
        if (suite.contains("AES_128") || suite.contains("AES128")) {
            return 128L;
        }
        if (suite.contains("3DES")) {
            return 168L;
        }
        return null;
    }
}
