package io.haquark.acl;

import javax.net.ssl.SSLSession;

/**
 * How a client's certificate chain fared, in OpenSSL's verify error numbers as HAProxy reports
 * them (configuration.txt §7.3.4): {@code result} is ssl_c_verify (the last error, 0 when none),
 * {@code crtError} ssl_c_err (the first error on the certificate itself), {@code caError} and
 * {@code caErrorDepth} ssl_c_ca_err / ssl_c_ca_err_depth (the first error higher in the chain).
 * A handshake gets one only when an error was ignored (crt-ignore-err / ca-ignore-err) or none
 * occurred; it is kept in the TLS session.
 */
public record CertVerification(int result, int crtError, int caError, int caErrorDepth) {
    public static final CertVerification NONE = new CertVerification(0, 0, 0, 0);
    public static final String SESSION_KEY = "haquark.verification";

    /** The verification of a TLS session's peer, NONE when nothing was checked. */
    public static CertVerification of(SSLSession session) {
        Object v = session == null ? null : session.getValue(SESSION_KEY);
        return v instanceof CertVerification r ? r : NONE;
    }
}
