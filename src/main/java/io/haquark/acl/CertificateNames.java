package io.haquark.acl;

import java.security.cert.X509Certificate;
import java.util.Map;

/** OpenSSL's names for a certificate's algorithms, as HAProxy prints them. */
public final class CertificateNames {
    private static final Map<String, String> SIG_ALGS = Map.of("SHA256withRSA", "RSA-SHA256", "SHA384withRSA", "RSA-SHA384",
            "SHA512withRSA", "RSA-SHA512", "SHA1withRSA", "RSA-SHA1", "SHA256withECDSA", "ecdsa-with-SHA256",
            "SHA384withECDSA", "ecdsa-with-SHA384", "SHA512withECDSA", "ecdsa-with-SHA512");

    private CertificateNames() {
    }

    /** The signature algorithm's OpenSSL short name ("RSA-SHA256", "ecdsa-with-SHA256"). */
    public static String signature(X509Certificate c) {
        return SIG_ALGS.getOrDefault(c.getSigAlgName(), c.getSigAlgName());
    }

    /** The key's type and size as HAProxy's cert-key TLV says it ("RSA2048", "EC256"). */
    public static String keyWithBits(X509Certificate c) {
        java.security.PublicKey k = c.getPublicKey();
        if (k instanceof java.security.interfaces.RSAKey rsa) {
            return "RSA" + rsa.getModulus().bitLength();
        }
        if (k instanceof java.security.interfaces.ECKey ec) {
            return "EC" + ec.getParams().getOrder().bitLength();
        }
        return k.getAlgorithm();
    }
}
