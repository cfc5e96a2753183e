package io.haquark.acl;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The ssl_c_* sample fetches (configuration.txt §7.3.4) over the client's certificate, in
 * HAProxy's (OpenSSL's) formats: distinguished names as "/C=FR/O=Org/CN=name", dates as
 * "YYMMDDhhmmssZ", serial and SHA-1 as binary samples.
 */
final class ClientCertificates {
    private static final Map<String, String> OIDS = Map.of("1.2.840.113549.1.9.1", "emailAddress",
            "2.5.4.5", "serialNumber", "2.5.4.12", "title", "2.5.4.42", "GN", "2.5.4.4", "SN");
    private static final DateTimeFormatter ASN1_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> SIG_ALGS = Map.of("SHA256withRSA", "RSA-SHA256", "SHA384withRSA", "RSA-SHA384",
            "SHA512withRSA", "RSA-SHA512", "SHA1withRSA", "RSA-SHA1", "SHA256withECDSA", "ecdsa-with-SHA256",
            "SHA384withECDSA", "ecdsa-with-SHA384", "SHA512withECDSA", "ecdsa-with-SHA512");

    private ClientCertificates() {
    }

    static void register(FetchRegistry.Access r) {
        r.simple("ssl_c_used", SampleType.BOOLEAN, s -> s.tlsConnection() && s.clientCertificate() != null);
        r.simple("ssl_c_verify", SampleType.INTEGER, s -> 0L);
        r.simple("ssl_c_err", SampleType.INTEGER, s -> 0L);
        r.simple("ssl_c_ca_err", SampleType.INTEGER, s -> 0L);
        r.simple("ssl_c_ca_err_depth", SampleType.INTEGER, s -> 0L);
        of(r, "ssl_c_version", SampleType.INTEGER, c -> (long) c.getVersion());
        of(r, "ssl_c_serial", SampleType.STRING, c -> binary(unsigned(c.getSerialNumber().toByteArray())));
        of(r, "ssl_c_sha1", SampleType.STRING, c -> {
            try {
                return binary(MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
            } catch (java.security.NoSuchAlgorithmException | CertificateEncodingException e) {
                return null;
            }
        });
        of(r, "ssl_c_notbefore", SampleType.STRING, c -> ASN1_TIME.format(c.getNotBefore().toInstant()));
        of(r, "ssl_c_notafter", SampleType.STRING, c -> ASN1_TIME.format(c.getNotAfter().toInstant()));
        of(r, "ssl_c_sig_alg", SampleType.STRING, c -> SIG_ALGS.getOrDefault(c.getSigAlgName(), c.getSigAlgName()));
        of(r, "ssl_c_key_alg", SampleType.STRING, c -> switch (c.getPublicKey().getAlgorithm()) {
            case "RSA" -> "rsaEncryption";
            case "EC" -> "id-ecPublicKey";
            default -> c.getPublicKey().getAlgorithm();
        });
        r.add("ssl_c_s_dn", SampleType.STRING, 0, 3, a -> dn(a, true));
        r.add("ssl_c_i_dn", SampleType.STRING, 0, 3, a -> dn(a, false));
    }

    /** A fetch of one property of the client certificate: the certificate is looked up once, absent without one. */
    private static void of(FetchRegistry.Access r, String name, SampleType type, java.util.function.Function<X509Certificate, Object> f) {
        r.simple(name, type, s -> {
            X509Certificate c = cert(s);
            return c == null ? null : f.apply(c);
        });
    }

    /** The hooks of FetchRegistry this class registers through. */

    private static X509Certificate cert(SampleSource s) {
        return s.tlsConnection() ? s.clientCertificate() : null;
    }

    /** ssl_c_s_dn / ssl_c_i_dn([entry[,occ]]): the whole name in OpenSSL's one-line form, or one entry of it. */
    private static Fetch dn(List<String> args, boolean subject) {
        String entry = args.isEmpty() || args.get(0).isEmpty() ? null : args.get(0);
        int occ = args.size() > 1 && !args.get(1).isEmpty() ? Integer.parseInt(args.get(1)) : 1;
        return s -> {
            X509Certificate c = cert(s);
            if (c == null) {
                return null;
            }
            X500Principal p = subject ? c.getSubjectX500Principal() : c.getIssuerX500Principal();
            List<Rdn> rdns;
            try {
                rdns = new LdapName(p.getName(X500Principal.RFC2253, OIDS)).getRdns();   // first RDN of the certificate first
            } catch (InvalidNameException e) {
                return null;
            }
            if (entry == null) {
                StringBuilder sb = new StringBuilder();
                for (Rdn r : rdns) {
                    sb.append('/').append(r.getType()).append('=').append(r.getValue());
                }
                return sb.toString();
            }
            // occ counts from the first entry (positive) or from the last (negative), as HAProxy.
            List<Rdn> matching = rdns.stream().filter(r -> r.getType().equalsIgnoreCase(entry)).toList();
            int i = occ > 0 ? occ - 1 : matching.size() + occ;
            return i >= 0 && i < matching.size() ? matching.get(i).getValue().toString() : null;
        };
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** A binary sample as haquark carries them: one char per byte. */
    private static String binary(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
