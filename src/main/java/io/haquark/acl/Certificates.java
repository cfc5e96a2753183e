package io.haquark.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate fetches of configuration.txt §7.3.4, in HAProxy's (OpenSSL's) formats: names
 * as "/C=FR/O=Org/CN=name", dates as "YYMMDDhhmmssZ", DER, serial and SHA-1 as binary samples.
 * Three certificates answer them: ssl_c_* the client's (on the client connection), ssl_f_* the
 * one the frontend presented, ssl_s_* the server's (on the server connection).
 */
final class Certificates {
    private static final DateTimeFormatter ASN1_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Whose certificate a family of fetches reads, and what its chain is. */
    private enum Holder {
        CLIENT("ssl_c_"), FRONTEND("ssl_f_"), SERVER("ssl_s_");

        final String prefix;

        Holder(String prefix) {
            this.prefix = prefix;
        }

        /** The certificate and those sent with it, leaf first; empty when there is none. */
        Certificate[] certificates(SampleSource s) {
            SSLSession tls = this == SERVER ? s.serverTlsSession() : s.frontTlsSession();
            if (tls == null) {
                return new Certificate[0];
            }
            if (this == FRONTEND) {
                Certificate[] local = tls.getLocalCertificates();
                return local == null ? new Certificate[0] : local;
            }
            try {
                return tls.getPeerCertificates();
            } catch (SSLPeerUnverifiedException none) {
                return new Certificate[0];
            }
        }
    }

    private Certificates() {
    }

    static void register(FetchRegistry.Access r) {
        for (Holder h : Holder.values()) {
            of(r, h, "der", SampleType.BINARY, c -> binary(der(c)));
            of(r, h, "version", SampleType.INTEGER, c -> (long) c.getVersion());
            of(r, h, "serial", SampleType.BINARY, c -> binary(unsigned(c.getSerialNumber().toByteArray())));
            of(r, h, "sha1", SampleType.BINARY, c -> {
                try {
                    return binary(MessageDigest.getInstance("SHA-1").digest(der(c)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    return null;
                }
            });
            of(r, h, "notbefore", SampleType.STRING, c -> ASN1_TIME.format(c.getNotBefore().toInstant()));
            of(r, h, "notafter", SampleType.STRING, c -> ASN1_TIME.format(c.getNotAfter().toInstant()));
            of(r, h, "sig_alg", SampleType.STRING, CertificateNames::signature);
            of(r, h, "key_alg", SampleType.STRING, c -> switch (c.getPublicKey().getAlgorithm()) {
                case "RSA" -> "rsaEncryption";
                case "EC" -> "id-ecPublicKey";
                default -> c.getPublicKey().getAlgorithm();
            });
            r.add(h.prefix + "s_dn", SampleType.STRING, 0, 3, a -> dn(h, a, true));
            r.add(h.prefix + "i_dn", SampleType.STRING, 0, 3, a -> dn(h, a, false));
        }
        // OpenSSL gives a server the client's chain without the client's own certificate, and a
        // client the server's chain with it: HAProxy's *_chain_der follow that.
        r.simple("ssl_c_chain_der", SampleType.BINARY, s -> chain(Holder.CLIENT.certificates(s), 1));
        r.simple("ssl_s_chain_der", SampleType.BINARY, s -> chain(Holder.SERVER.certificates(s), 0));
        r.simple("ssl_c_used", SampleType.BOOLEAN, s -> s.frontTlsSession() != null && Holder.CLIENT.certificates(s).length > 0);
        verify(r, "ssl_c_verify", CertVerification::result);
        verify(r, "ssl_c_err", CertVerification::crtError);
        verify(r, "ssl_c_ca_err", CertVerification::caError);
        verify(r, "ssl_c_ca_err_depth", CertVerification::caErrorDepth);
    }

    /** A fetch of one property of a holder's certificate, absent without one. */
    private static void of(FetchRegistry.Access r, Holder h, String name, SampleType type, Function<X509Certificate, Object> f) {
        r.simple(h.prefix + name, type, s -> {
            X509Certificate c = leaf(h, s);
            return c == null ? null : f.apply(c);
        });
    }

    /** One figure of the client certificate's verification; 0 on a TLS connection without one, absent off TLS. */
    private static void verify(FetchRegistry.Access r, String name, java.util.function.ToIntFunction<CertVerification> f) {
        r.simple(name, SampleType.INTEGER, s -> {
            SSLSession tls = s.frontTlsSession();
            return tls == null ? null : (long) f.applyAsInt(CertVerification.of(tls));
        });
    }

    private static X509Certificate leaf(Holder h, SampleSource s) {
        Certificate[] all = h.certificates(s);
        return all.length > 0 && all[0] instanceof X509Certificate x ? x : null;
    }

    private static String chain(Certificate[] all, int from) {
        if (all.length <= from) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Certificate c : Arrays.copyOfRange(all, from, all.length)) {
            if (c instanceof X509Certificate x) {
                out.writeBytes(der(x));
            }
        }
        return binary(out.toByteArray());
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            return new byte[0];
        }
    }

    /** *_s_dn / *_i_dn([entry[,occ]]): the whole name in OpenSSL's one-line form, or one entry of it. */
    private static Fetch dn(Holder h, List<String> args, boolean subject) {
        String entry = args.isEmpty() || args.get(0).isEmpty() ? null : args.get(0);
        int occ = args.size() > 1 && !args.get(1).isEmpty() ? Integer.parseInt(args.get(1)) : 1;
        return s -> {
            X509Certificate c = leaf(h, s);
            if (c == null) {
                return null;
            }
            X500Principal p = subject ? c.getSubjectX500Principal() : c.getIssuerX500Principal();
            if (entry == null) {
                return DistinguishedNames.oneLine(p);
            }
            List<Rdn> rdns = DistinguishedNames.entries(p);
            // occ counts from the first entry (positive) or from the last (negative), as HAProxy.
            List<Rdn> matching = rdns.stream().filter(rdn -> rdn.getType().equalsIgnoreCase(entry)).toList();
            int i = occ > 0 ? occ - 1 : matching.size() + occ;
            return i >= 0 && i < matching.size() ? matching.get(i).getValue().toString() : null;
        };
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** A binary sample as haquark carries them: one char per byte. */
    private static String binary(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
