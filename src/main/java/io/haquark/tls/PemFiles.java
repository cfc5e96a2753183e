package io.haquark.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM files HAProxy's "crt" takes (configuration.txt §5.1 "crt"): certificates and a
 * private key in one file or the key beside it, the key in any of OpenSSL's unencrypted
 * forms: PKCS#8 ("PRIVATE KEY"), and the older PKCS#1 ("RSA PRIVATE KEY") and SEC1
 * ("EC PRIVATE KEY") that OpenSSL 1.x wrote and many deployments still hold. Java and Netty
 * read only PKCS#8, so the older forms are wrapped into it here.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** rsaEncryption and id-ecPublicKey, DER-encoded object identifiers. */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {
    }

    record Block(String type, byte[] der) {
    }

    static List<Block> blocks(Path file) throws IOException {
        return blocks(Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /** The PEM blocks of a text (a file, or a payload given to the runtime API). */
    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        return certificates(blocks(file), file.toString());
    }

    static List<X509Certificate> certificates(List<Block> blocks, String file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks) {
                if (b.type.equals("CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid certificate in " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException("no certificate in " + file);
        }
        return out;
    }

    /** The certificate revocation lists of a PEM file ("crl-file"), in their order. */
    static List<java.security.cert.X509CRL> crls(Path file) throws IOException {
        return crls(blocks(file), file.toString());
    }

    static List<java.security.cert.X509CRL> crls(List<Block> blocks, String file) throws IOException {
        List<java.security.cert.X509CRL> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks) {
                if (b.type.equals("X509 CRL")) {
                    out.add((java.security.cert.X509CRL) cf.generateCRL(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid CRL in " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException("no CRL in " + file);
        }
        return out;
    }

    /**
     * Key material for a TLS context: the key and the file's certificates in their order.
     * Given through a key manager of our own, since OpenSSL (and HAProxy) send extra
     * certificates as they are where Java's key stores refuse a chain whose certificates do
     * not sign each other ("Certificate chain is not valid").
     */
    static javax.net.ssl.KeyManagerFactory keyManager(PrivateKey key, List<X509Certificate> certs) {
        X509Certificate[] chain = certs.toArray(new X509Certificate[0]);
        javax.net.ssl.X509ExtendedKeyManager km = new javax.net.ssl.X509ExtendedKeyManager() {
            private static final String ALIAS = "crt";

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {ALIAS};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return ALIAS;
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {ALIAS};
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return ALIAS;
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return ALIAS;
            }

            @Override
            public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return ALIAS;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain.clone();
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        return new io.netty.handler.ssl.util.SimpleKeyManagerFactory() {
            @Override
            protected void engineInit(java.security.KeyStore keyStore, char[] password) {
            }

            @Override
            protected void engineInit(javax.net.ssl.ManagerFactoryParameters params) {
            }

            @Override
            protected javax.net.ssl.KeyManager[] engineGetKeyManagers() {
                return new javax.net.ssl.KeyManager[] {km};
            }
        };
    }

    /** The first private key of the file, or null when it holds none. */
    static PrivateKey privateKey(Path file) throws IOException {
        return privateKey(blocks(file), file.toString());
    }

    static PrivateKey privateKey(List<Block> blocks, String file) throws IOException {
        for (Block b : blocks) {
            try {
                switch (b.type) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der);
                    case "RSA PRIVATE KEY":
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                                privateKeyInfo(concat(RSA_OID, new byte[] {0x05, 0x00}), b.der)));
                    case "EC PRIVATE KEY":
                        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                                privateKeyInfo(concat(EC_OID, curveOf(b.der)), b.der)));
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IOException("encrypted private keys are not supported: " + file);
                    default:
                        break;
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IOException("invalid private key in " + file + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, tlv(0x30, algorithm), tlv(0x04, key)));
    }

    /**
     * The named curve of a SEC1 ECPrivateKey ::= SEQUENCE { version, OCTET STRING, [0] OID, [1] BIT STRING }:
     * the DER of the OID inside the [0] field.
     */
    private static byte[] curveOf(byte[] sec1) {
        int[] seq = header(sec1, 0);
        int p = seq[0];
        int end = seq[0] + seq[1];
        while (p < end) {
            int tag = sec1[p] & 0xff;
            int[] h = header(sec1, p);
            if (tag == 0xa0) {
                int[] oid = header(sec1, h[0]);
                return java.util.Arrays.copyOfRange(sec1, h[0], oid[0] + oid[1]);
            }
            p = h[0] + h[1];
        }
        throw new IllegalArgumentException("EC private key without a named curve");
    }

    /** {content offset, content length} of the DER element at p. */
    private static int[] header(byte[] d, int p) {
        int len = d[p + 1] & 0xff;
        int off = p + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (d[off + i] & 0xff);
            }
            off += n;
        }
        return new int[] {off, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
