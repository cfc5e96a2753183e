package io.haquark.acl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Converters of configuration.txt §7.3.1 that read a protocol or a cipher: FIX messages
 * (fix_is_valid, fix_tag_value), protocol buffers and gRPC (protobuf, ungrpc), JSON Web Token
 * signatures (jwt_verify), AES-GCM (aes_gcm_dec) and the XXH3 hash. Each one was compared with
 * HAProxy 2.6.12 on the same input (ProtocolConvertersTwinTest).
 */
final class ProtocolConverters {
    private ProtocolConverters() {
    }

    /** The FIX tag names HAProxy 2.6 knows in fix_tag_value: the standard header and trailer's. */
    private static final Map<String, Integer> FIX_TAGS = Map.of("BeginString", 8, "BodyLength", 9, "CheckSum", 10,
            "MsgType", 35, "SenderCompID", 49, "TargetCompID", 56);

    static void register(BiConsumer<String, ConverterRegistry.Factory> add) {
        add.accept("fix_is_valid", (a, b) -> (v, s) -> fixValid(MoreConverters.bytes(v)));
        add.accept("fix_tag_value", (a, b) -> {
            String t = a.get(0).trim();
            int tag;
            if (FIX_TAGS.containsKey(t)) {
                tag = FIX_TAGS.get(t);
            } else if (t.matches("[0-9]+")) {
                tag = Integer.parseInt(t);
            } else {
                throw new AclException("Unknown FIX tag name '" + t + "'");
            }
            return (v, s) -> fixTag(MoreConverters.bytes(v), tag);
        });
        add.accept("xxh3", (a, b) -> {
            long seed = a.isEmpty() || a.get(0).isEmpty() ? 0 : Long.parseLong(a.get(0).trim());
            com.dynatrace.hash4j.hashing.Hasher64 h = com.dynatrace.hash4j.hashing.Hashing.xxh3_64(seed);
            return (v, s) -> h.hashBytesToLong(MoreConverters.bytes(v));
        });
        for (String n : List.of("protobuf", "ungrpc")) {
            boolean grpc = n.equals("ungrpc");
            add.accept(n, (a, b) -> {
                int[] path = fieldPath(a.get(0));
                String type = a.size() > 1 && !a.get(1).isEmpty() ? a.get(1).trim() : null;
                if (type != null && !PROTO_TYPES.contains(type)) {
                    throw new AclException("Unknown protocol buffers type '" + type + "'");
                }
                return (v, s) -> protobuf(MoreConverters.bytes(v), grpc, path, type);
            });
        }
        add.accept("jwt_verify", (a, b) -> jwtVerify(a.get(0), a.get(1), b));
        add.accept("aes_gcm_dec", (a, b) -> aesGcm(a));
    }

    // ---- FIX (Financial Information eXchange): tag=value fields ended by SOH (0x01) ----

    /**
     * A FIX message HAProxy accepts: BeginString (8) "FIX...", BodyLength (9), MsgType (35) first,
     * the body length counted from after field 9 to the CheckSum field, and CheckSum (10) last,
     * three digits, the sum of the bytes before it modulo 256.
     */
    static boolean fixValid(byte[] m) {
        int p = 0;
        int field = 0;
        int bodyStart = -1;
        long bodyLength = -1;
        while (p < m.length) {
            int eq = p;
            while (eq < m.length && m[eq] >= '0' && m[eq] <= '9') {
                eq++;
            }
            if (eq == p || eq >= m.length || m[eq] != '=') {
                return false;
            }
            int tag = Integer.parseInt(new String(m, p, eq - p, StandardCharsets.ISO_8859_1));
            int end = eq + 1;
            while (end < m.length && m[end] != 1) {
                end++;
            }
            if (end >= m.length || end == eq + 1) {
                return false;
            }
            String value = new String(m, eq + 1, end - eq - 1, StandardCharsets.ISO_8859_1);
            field++;
            if (field == 1 && (tag != 8 || !value.startsWith("FIX"))) {
                return false;
            }
            if (field == 2) {
                if (tag != 9 || !value.matches("[0-9]+")) {
                    return false;
                }
                bodyLength = Long.parseLong(value);
                bodyStart = end + 1;
            }
            if (field == 3 && tag != 35) {
                return false;
            }
            if (tag == 10 && field > 3) {
                if (end + 1 != m.length || value.length() != 3 || !value.matches("[0-9]{3}") || p - bodyStart != bodyLength) {
                    return false;
                }
                int sum = 0;
                for (int i = 0; i < p; i++) {
                    sum += m[i] & 0xff;
                }
                return sum % 256 == Integer.parseInt(value);
            }
            p = end + 1;
        }
        return false;
    }

    /** The value of the first field with that tag, or null. */
    static String fixTag(byte[] m, int wanted) {
        int p = 0;
        while (p < m.length) {
            int eq = p;
            while (eq < m.length && m[eq] != '=' && m[eq] != 1) {
                eq++;
            }
            int end = eq;
            while (end < m.length && m[end] != 1) {
                end++;
            }
            if (eq < m.length && m[eq] == '=') {
                String t = new String(m, p, eq - p, StandardCharsets.ISO_8859_1);
                if (t.equals(Integer.toString(wanted))) {
                    return new String(m, eq + 1, end - eq - 1, StandardCharsets.ISO_8859_1);
                }
            }
            p = end + 1;
        }
        return null;
    }

    // ---- Protocol buffers wire format; gRPC frames carry one message each after 5 bytes ----

    private static final java.util.Set<String> PROTO_TYPES = java.util.Set.of("int32", "int64", "uint32", "uint64", "sint32",
            "sint64", "bool", "enum", "fixed32", "sfixed32", "float", "fixed64", "sfixed64", "double");

    private static int[] fieldPath(String text) {
        String[] parts = text.trim().split("\\.");
        int[] path = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("[0-9]+") || Long.parseLong(parts[i]) == 0) {
                throw new AclException("invalid protocol buffers field number '" + text + "'");
            }
            path[i] = Integer.parseInt(parts[i]);
        }
        return path;
    }

    /**
     * The field at the dotted path: inner fields are length-delimited messages. Without a type
     * the field's raw bytes (a message, string or bytes); with one, its value as that scalar.
     */
    private static Object protobuf(byte[] in, boolean grpc, int[] path, String type) {
        int from = 0;
        int to = in.length;
        if (grpc) {
            // A gRPC message: compressed flag, 4-byte length, then the protocol buffer.
            if (in.length < 5 || in[0] != 0) {
                return null;
            }
            long len = ((in[1] & 0xffL) << 24) | ((in[2] & 0xff) << 16) | ((in[3] & 0xff) << 8) | (in[4] & 0xff);
            if (5 + len > in.length) {
                return null;
            }
            from = 5;
            to = (int) (5 + len);
        }
        for (int depth = 0; depth < path.length; depth++) {
            boolean last = depth == path.length - 1;
            int p = from;
            boolean found = false;
            while (p < to) {
                long[] key = varint(in, p, to);
                if (key == null) {
                    return null;
                }
                p = (int) key[1];
                int field = (int) (key[0] >>> 3);
                int wire = (int) (key[0] & 7);
                int valueStart = p;
                int valueEnd;
                long scalar = 0;
                switch (wire) {
                    case 0 -> {
                        long[] v = varint(in, p, to);
                        if (v == null) {
                            return null;
                        }
                        scalar = v[0];
                        valueEnd = (int) v[1];
                    }
                    case 1 -> valueEnd = p + 8;
                    case 2 -> {
                        long[] l = varint(in, p, to);
                        if (l == null || l[0] < 0 || l[1] + l[0] > to) {
                            return null;
                        }
                        valueStart = (int) l[1];
                        valueEnd = (int) (l[1] + l[0]);
                    }
                    case 5 -> valueEnd = p + 4;
                    default -> {
                        return null;
                    }
                }
                if (valueEnd > to) {
                    return null;
                }
                if (field == path[depth]) {
                    if (!last) {
                        if (wire != 2) {
                            return null;
                        }
                        from = valueStart;
                        to = valueEnd;
                        found = true;
                        break;
                    }
                    return scalar(in, wire, valueStart, valueEnd, scalar, type);
                }
                p = valueEnd;
            }
            if (!found) {
                return null;
            }
        }
        return null;
    }

    private static Object scalar(byte[] in, int wire, int start, int end, long varint, String type) {
        if (type == null) {
            return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
        }
        switch (type) {
            case "int32", "enum" -> {
                return wire == 0 ? (long) (int) varint : null;
            }
            case "int64", "uint64" -> {
                return wire == 0 ? varint : null;
            }
            case "uint32" -> {
                return wire == 0 ? varint & 0xffffffffL : null;
            }
            case "sint32", "sint64" -> {
                return wire == 0 ? (varint >>> 1) ^ -(varint & 1) : null;
            }
            case "bool" -> {
                return wire == 0 ? (Object) (varint != 0) : null;
            }
            case "fixed32", "sfixed32", "float" -> {
                if (wire != 5) {
                    return null;
                }
                int v = (in[start] & 0xff) | (in[start + 1] & 0xff) << 8 | (in[start + 2] & 0xff) << 16 | (in[start + 3] & 0xff) << 24;
                return type.equals("fixed32") ? v & 0xffffffffL : type.equals("sfixed32") ? (long) v
                        : (Object) Float.toString(Float.intBitsToFloat(v));
            }
            default -> {
                if (wire != 1) {
                    return null;
                }
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = (v << 8) | (in[start + i] & 0xff);
                }
                return type.equals("double") ? (Object) Double.toString(Double.longBitsToDouble(v)) : (Object) v;
            }
        }
    }

    /** {value, next position}, or null when the varint runs past the end. */
    private static long[] varint(byte[] b, int p, int end) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) {
                return null;
            }
            int x = b[p++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {v, p};
            }
        }
        return null;
    }

    // ---- JSON Web Tokens (RFC 7515, algorithms of RFC 7518) ----

    /** HAProxy's jwt_verify results: 1 verified, 0 bad signature, negative for the other errors. */
    private static final long JWT_OK = 1;
    private static final long JWT_KO = 0;
    private static final long JWT_UNKNOWN_ALG = -1;
    private static final long JWT_INVALID_TOKEN = -3;
    private static final long JWT_UNKNOWN_CERT = -5;

    private static final Map<String, String> JWT_ALGS = Map.ofEntries(
            Map.entry("HS256", "HmacSHA256"), Map.entry("HS384", "HmacSHA384"), Map.entry("HS512", "HmacSHA512"),
            Map.entry("RS256", "SHA256withRSA"), Map.entry("RS384", "SHA384withRSA"), Map.entry("RS512", "SHA512withRSA"),
            Map.entry("ES256", "SHA256withECDSA"), Map.entry("ES384", "SHA384withECDSA"), Map.entry("ES512", "SHA512withECDSA"),
            Map.entry("PS256", "SHA-256"), Map.entry("PS384", "SHA-384"), Map.entry("PS512", "SHA-512"),
            Map.entry("none", ""));

    private static boolean variable(String arg) {
        return arg.matches("(proc|sess|txn|req|res)\\..+");
    }

    /**
     * jwt_verify(alg, key): alg one of RFC 7518's names (or a variable holding one); key the HMAC
     * secret, or for RSxxx/ESxxx/PSxxx the path of a PEM public key read at load time, as HAProxy
     * loads it.
     */
    private static Converter jwtVerify(String algArg, String keyArg, java.nio.file.Path base) {
        boolean algVar = variable(algArg);
        boolean keyVar = variable(keyArg);
        if (!algVar && !JWT_ALGS.containsKey(algArg)) {
            throw new AclException("unknown JWT algo");
        }
        java.security.PublicKey constantKey = null;
        if (!algVar && !keyVar && !algArg.startsWith("HS") && !algArg.equals("none")) {
            constantKey = publicKey(keyArg, base);      // one HAProxy cannot load answers -5 at run time
        }
        java.security.PublicKey loaded = constantKey;
        return (v, s) -> {
            if (v == null) {
                return null;
            }
            String alg = algVar ? text(s.variable(algArg)) : algArg;
            String key = keyVar ? text(s.variable(keyArg)) : keyArg;
            if (alg == null || key == null) {
                return null;
            }
            String javaAlg = JWT_ALGS.get(alg);
            if (javaAlg == null) {
                return JWT_UNKNOWN_ALG;
            }
            String token = Matcher.text(v instanceof List<?> l && !l.isEmpty() ? l.get(l.size() - 1) : v);
            int dot1 = token.indexOf('.');
            int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
            if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
                return JWT_INVALID_TOKEN;
            }
            byte[] signed = token.substring(0, dot2).getBytes(StandardCharsets.ISO_8859_1);
            byte[] signature;
            try {
                Base64.getUrlDecoder().decode(token.substring(0, dot1));
                Base64.getUrlDecoder().decode(token.substring(dot1 + 1, dot2));
                signature = Base64.getUrlDecoder().decode(token.substring(dot2 + 1));
            } catch (IllegalArgumentException e) {
                return JWT_INVALID_TOKEN;
            }
            if (javaAlg.isEmpty()) {
                return signature.length == 0 ? JWT_OK : JWT_KO;   // "none": an unsigned token only
            }
            try {
                if (alg.startsWith("HS")) {
                    javax.crypto.Mac mac = javax.crypto.Mac.getInstance(javaAlg);
                    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.ISO_8859_1), javaAlg));
                    return java.security.MessageDigest.isEqual(mac.doFinal(signed), signature) ? JWT_OK : JWT_KO;
                }
                java.security.PublicKey pk = loaded != null ? loaded : publicKey(key, base);
                if (pk == null) {
                    return JWT_UNKNOWN_CERT;
                }
                java.security.Signature sig;
                if (alg.startsWith("PS")) {
                    sig = java.security.Signature.getInstance("RSASSA-PSS");
                    int bytes = Integer.parseInt(alg.substring(2)) / 8;
                    sig.setParameter(new java.security.spec.PSSParameterSpec(javaAlg, "MGF1",
                            new java.security.spec.MGF1ParameterSpec(javaAlg), bytes, 1));
                } else {
                    sig = java.security.Signature.getInstance(javaAlg);
                }
                sig.initVerify(pk);
                sig.update(signed);
                byte[] sigBytes = alg.startsWith("ES") ? derFromRaw(signature) : signature;
                return sigBytes != null && sig.verify(sigBytes) ? JWT_OK : JWT_KO;
            } catch (GeneralSecurityException | RuntimeException e) {
                return JWT_KO;
            }
        };
    }

    private static String text(Object o) {
        return o == null ? null : Matcher.text(o);
    }

    private static final Map<String, java.security.PublicKey> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The key of a PEM public key file, or null: HAProxy 2.6 reads a public key only (a
     * certificate file is "not found" and its tokens answer -5).
     */
    private static java.security.PublicKey publicKey(String file, java.nio.file.Path base) {
        java.nio.file.Path p = base == null ? java.nio.file.Path.of(file) : base.resolve(file);
        java.security.PublicKey cached = KEYS.get(p.toString());
        if (cached != null) {
            return cached;
        }
        try {
            String pem = java.nio.file.Files.readString(p, StandardCharsets.ISO_8859_1);
            int b = pem.indexOf("-----BEGIN PUBLIC KEY-----");
            int e = pem.indexOf("-----END PUBLIC KEY-----");
            if (b < 0 || e < 0) {
                return null;
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + 26, e));
            java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(der);
            java.security.PublicKey k;
            try {
                k = java.security.KeyFactory.getInstance("RSA").generatePublic(spec);
            } catch (GeneralSecurityException rsa) {
                k = java.security.KeyFactory.getInstance("EC").generatePublic(spec);
            }
            KEYS.put(p.toString(), k);
            return k;
        } catch (java.io.IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** A JWS ECDSA signature (R and S side by side) in the DER form Java verifies. */
    private static byte[] derFromRaw(byte[] raw) {
        if (raw.length == 0 || raw.length % 2 != 0) {
            return null;
        }
        int n = raw.length / 2;
        byte[] r = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, n)).toByteArray();
        byte[] s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(raw, n, raw.length)).toByteArray();
        java.io.ByteArrayOutputStream seq = new java.io.ByteArrayOutputStream();
        for (byte[] x : new byte[][] {r, s}) {
            seq.write(2);
            derLength(seq, x.length);
            seq.writeBytes(x);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        derLength(out, seq.size());
        out.writeBytes(seq.toByteArray());
        return out.toByteArray();
    }

    private static void derLength(java.io.ByteArrayOutputStream out, int len) {
        if (len < 128) {
            out.write(len);
        } else if (len < 256) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xff);
        }
    }

    // ---- aes_gcm_dec(bits, nonce, key, aead_tag): nonce, key and tag in base64, or variables holding them ----

    private static Converter aesGcm(List<String> a) {
        int bits;
        try {
            bits = Integer.parseInt(a.get(0).trim());
        } catch (NumberFormatException e) {
            bits = 0;
        }
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new AclException("key size must be 128, 192 or 256 (bits).");
        }
        if (a.size() < 4) {
            throw new AclException("expects 4 arguments: bits, nonce, key and aead_tag");
        }
        int keyBytes = bits / 8;
        String nonceArg = a.get(1);
        String keyArg = a.get(2);
        String tagArg = a.get(3);
        return (v, s) -> {
            byte[] nonce = base64Arg(nonceArg, s);
            byte[] key = base64Arg(keyArg, s);
            byte[] tag = base64Arg(tagArg, s);
            if (v == null || nonce == null || key == null || tag == null || key.length != keyBytes) {
                return null;
            }
            byte[] in = MoreConverters.bytes(v);
            try {
                javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
                c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                        new javax.crypto.spec.GCMParameterSpec(tag.length * 8, nonce));
                byte[] joined = new byte[in.length + tag.length];
                System.arraycopy(in, 0, joined, 0, in.length);
                System.arraycopy(tag, 0, joined, in.length, tag.length);
                return new String(c.doFinal(joined), StandardCharsets.ISO_8859_1);
            } catch (GeneralSecurityException | RuntimeException e) {
                return null;
            }
        };
    }

    private static byte[] base64Arg(String arg, SampleSource s) {
        String text = variable(arg) ? text(s.variable(arg)) : arg;
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
