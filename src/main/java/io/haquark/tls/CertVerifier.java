package io.haquark.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import io.haquark.acl.CertVerification;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * The check of a client's certificate on "bind ... ca-file F verify optional|required"
 * (configuration.txt §5.1 "verify", "crl-file", "ca-ignore-err", "crt-ignore-err"), and of a
 * server's on "server ... ssl verify required ca-file F [crl-file F] [verifyhost H]" (§5.2). It follows
 * OpenSSL's order and numbering, since HAProxy exposes them: the chain is built from the
 * certificates sent and the trusted CAs (18/19 self-signed, 20 issuer unknown), the chain's CAs
 * must be CAs (24) and the leaf fit for client (or server) use (26), each certificate of the chain is looked
 * up in the CRLs when crl-file is given (3 no CRL, 8 bad CRL signature, 11/12 CRL dates, 23
 * revoked), then signatures (7, 21 when a lone certificate's issuer is unknown) and validity dates (9 not yet valid, 10 expired) from the top of
 * the chain down. An error on the certificate itself (depth 0) is let through when crt-ignore-err
 * names it, one higher in the chain when ca-ignore-err does; any other fails the handshake.
 */
final class CertVerifier extends X509ExtendedTrustManager {
    static final int UNABLE_TO_GET_CRL = 3;
    static final int CERT_SIGNATURE_FAILURE = 7;
    static final int CRL_SIGNATURE_FAILURE = 8;
    static final int CERT_NOT_YET_VALID = 9;
    static final int CERT_HAS_EXPIRED = 10;
    static final int CRL_NOT_YET_VALID = 11;
    static final int CRL_HAS_EXPIRED = 12;
    static final int DEPTH_ZERO_SELF_SIGNED_CERT = 18;
    static final int SELF_SIGNED_CERT_IN_CHAIN = 19;
    static final int UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    static final int UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21;
    static final int CERT_REVOKED = 23;
    static final int INVALID_CA = 24;
    static final int INVALID_PURPOSE = 26;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";
    private static final int MAX_DEPTH = 100;

    private final List<X509Certificate> advertised;
    private final List<X509Certificate> trusted;
    private final List<X509CRL> crls;
    private final IntPredicate crtIgnored;
    private final IntPredicate caIgnored;
    /** For a server's certificate: the name it must carry (verifyhost), else the SNI sent; null for clients. */
    private final String purpose;
    private final String verifyHost;

    /** advertised: the CAs named to the client (ca-file); trusted: those and the ca-verify-file ones. */
    CertVerifier(List<X509Certificate> advertised, List<X509Certificate> trusted, List<X509CRL> crls,
                       IntPredicate crtIgnored, IntPredicate caIgnored) {
        this(advertised, trusted, crls, crtIgnored, caIgnored, CLIENT_AUTH, null);
    }

    /** The check of a server's certificate: nothing ignored, its name checked against verifyhost or the SNI. */
    static CertVerifier forServer(List<X509Certificate> trusted, List<X509CRL> crls, String verifyHost) {
        return new CertVerifier(trusted, trusted, crls, e -> false, e -> false, SERVER_AUTH, verifyHost);
    }

    private CertVerifier(List<X509Certificate> advertised, List<X509Certificate> trusted, List<X509CRL> crls,
                         IntPredicate crtIgnored, IntPredicate caIgnored, String purpose, String verifyHost) {
        this.purpose = purpose;
        this.verifyHost = verifyHost;
        this.advertised = List.copyOf(advertised);
        this.trusted = List.copyOf(trusted);
        this.crls = List.copyOf(crls);
        this.crtIgnored = crtIgnored;
        this.caIgnored = caIgnored;
    }

    /** A verify error that is not ignored: the handshake fails with it. */
    static final class Refused extends CertificateException {
        final int error;
        final int depth;

        Refused(int error, int depth) {
            super("client certificate verify error " + error + " at depth " + depth);
            this.error = error;
            this.depth = depth;
        }
    }

    /** The errors met so far, and whether each may be let through. */
    private final class Outcome {
        int last;
        int crtError;
        int caError;
        int caDepth;

        void report(int error, int depth) throws Refused {
            last = error;
            if (depth == 0) {
                if (crtError == 0) {
                    crtError = error;
                }
                if (!crtIgnored.test(error)) {
                    throw new Refused(error, depth);
                }
            } else {
                if (caError == 0) {
                    caError = error;
                    caDepth = depth;
                }
                if (!caIgnored.test(error)) {
                    throw new Refused(error, depth);
                }
            }
        }
    }

    /** The verification of a chain as the client sent it (leaf first), at the given time. */
    CertVerification verify(X509Certificate[] sent, Date now) throws Refused {
        Outcome o = new Outcome();
        List<X509Certificate> chain = new ArrayList<>(List.of(sent[0]));
        boolean anchored = build(chain, sent, o);
        checkExtensions(chain, o);
        if (!crls.isEmpty()) {
            for (int depth = 0; depth < chain.size(); depth++) {
                checkRevocation(chain, depth, now, o);
            }
        }
        if (!anchored && chain.size() == 1 && !selfIssued(chain.get(0))) {
            // OpenSSL then cannot check the certificate's signature at all, and says so.
            o.report(UNABLE_TO_VERIFY_LEAF_SIGNATURE, 0);
        }
        for (int depth = chain.size() - 1; depth >= 0; depth--) {
            X509Certificate c = chain.get(depth);
            X509Certificate issuer = depth + 1 < chain.size() ? chain.get(depth + 1) : null;
            if (issuer != null && !signedBy(c, issuer)) {
                o.report(CERT_SIGNATURE_FAILURE, depth);
            }
            if (c.getNotBefore().after(now)) {
                o.report(CERT_NOT_YET_VALID, depth);
            }
            if (c.getNotAfter().before(now)) {
                o.report(CERT_HAS_EXPIRED, depth);
            }
        }
        return new CertVerification(o.last, o.crtError, o.caError, o.caDepth);
    }

    /** Completes the chain towards a trusted CA; false when it ends elsewhere (the error is reported). */
    private boolean build(List<X509Certificate> chain, X509Certificate[] sent, Outcome o) throws Refused {
        while (chain.size() < MAX_DEPTH) {
            X509Certificate cur = chain.get(chain.size() - 1);
            if (isTrusted(cur)) {
                return true;
            }
            X509Certificate anchor = issuerIn(cur, trusted);
            if (anchor != null) {
                chain.add(anchor);
                return true;
            }
            if (selfIssued(cur)) {
                o.report(chain.size() == 1 ? DEPTH_ZERO_SELF_SIGNED_CERT : SELF_SIGNED_CERT_IN_CHAIN, chain.size() - 1);
                return false;
            }
            X509Certificate next = issuerIn(cur, List.of(sent).subList(1, sent.length));
            if (next == null || chain.contains(next)) {
                o.report(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, chain.size() - 1);
                return false;
            }
            chain.add(next);
        }
        return false;
    }

    private void checkExtensions(List<X509Certificate> chain, Outcome o) throws Refused {
        for (int depth = 1; depth < chain.size(); depth++) {
            X509Certificate ca = chain.get(depth);
            // A version 1 certificate has no extensions: OpenSSL takes it as a CA when it is self-signed.
            boolean v1Root = ca.getVersion() < 3 && selfIssued(ca);
            if (!v1Root && ca.getBasicConstraints() < 0) {
                o.report(INVALID_CA, depth);
            }
        }
        try {
            List<String> eku = chain.get(0).getExtendedKeyUsage();
            if (eku != null && !eku.contains(purpose) && !eku.contains(ANY_EKU)) {
                o.report(INVALID_PURPOSE, 0);
            }
        } catch (java.security.cert.CertificateParsingException e) {
            o.report(INVALID_PURPOSE, 0);
        }
    }

    /** HAProxy asks OpenSSL to check every certificate of the chain against the CRLs (CRL_CHECK_ALL). */
    private void checkRevocation(List<X509Certificate> chain, int depth, Date now, Outcome o) throws Refused {
        X509Certificate c = chain.get(depth);
        X509Certificate issuer = depth + 1 < chain.size() ? chain.get(depth + 1) : selfIssued(c) ? c : null;
        X509CRL crl = null;
        for (X509CRL candidate : crls) {
            if (candidate.getIssuerX500Principal().equals(c.getIssuerX500Principal())) {
                crl = candidate;
                break;
            }
        }
        if (crl == null) {
            o.report(UNABLE_TO_GET_CRL, depth);
            return;
        }
        if (issuer != null) {
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                o.report(CRL_SIGNATURE_FAILURE, depth);
            }
        }
        if (crl.getThisUpdate().after(now)) {
            o.report(CRL_NOT_YET_VALID, depth);
        }
        if (crl.getNextUpdate() != null && crl.getNextUpdate().before(now)) {
            o.report(CRL_HAS_EXPIRED, depth);
        }
        if (crl.getRevokedCertificate(c) != null) {
            o.report(CERT_REVOKED, depth);
        }
    }

    private boolean isTrusted(X509Certificate c) {
        return trusted.contains(c);
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** An issuer of c among the candidates: same name, and preferably one whose key signed c. */
    private static X509Certificate issuerIn(X509Certificate c, List<X509Certificate> candidates) {
        X500Principal want = c.getIssuerX500Principal();
        X509Certificate byName = null;
        for (X509Certificate k : candidates) {
            if (k.getSubjectX500Principal().equals(want) && !k.equals(c)) {
                if (signedBy(c, k)) {
                    return k;
                }
                if (byName == null) {
                    byName = k;
                }
            }
        }
        return byName;
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        CertVerification v = verify(chain, new Date());
        SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
        if (handshake != null) {
            handshake.putValue(CertVerification.SESSION_KEY, v);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, new Date());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, new Date());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, new Date());
        String host = verifyHost != null ? verifyHost : engine == null ? null : engine.getPeerHost();
        if (host != null && !nameMatches(chain[0], host)) {
            throw new CertificateException("server certificate does not match '" + host + "'");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    /** A subject alternative DNS name or a CN of the certificate names the host (a wildcard covering one label). */
    private static boolean nameMatches(X509Certificate c, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        for (String n : TlsContexts.hostNames(List.of(c))) {
            String name = n.toLowerCase(java.util.Locale.ROOT);
            if (name.equals(h) || SniSelector.wildcard(name, h)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return advertised.toArray(new X509Certificate[0]);
    }
}
