package io.haquark.health;

/** A minimal TLS 1.2 ClientHello for option ssl-hello-chk; any handshake record back passes. */
final class SslHello {
    private SslHello() {
    }

    static final byte[] CLIENT_HELLO = build();

    private static byte[] build() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        byte[] ciphers = {0x00, 0x2f, 0x00, 0x35, (byte) 0xc0, 0x2f, (byte) 0xc0, 0x30, 0x00, (byte) 0x9c, 0x00, (byte) 0x9d};
        int bodyLen = 2 + 32 + 1 + 2 + ciphers.length + 2;
        byte[] hs = new byte[4 + bodyLen];
        int i = 0;
        hs[i++] = 0x01;
        hs[i++] = 0;
        hs[i++] = (byte) (bodyLen >> 8);
        hs[i++] = (byte) bodyLen;
        hs[i++] = 0x03;
        hs[i++] = 0x03;
        System.arraycopy(random, 0, hs, i, 32);
        i += 32;
        hs[i++] = 0;
        hs[i++] = 0;
        hs[i++] = (byte) ciphers.length;
        System.arraycopy(ciphers, 0, hs, i, ciphers.length);
        i += ciphers.length;
        hs[i++] = 1;
        hs[i] = 0;
        byte[] rec = new byte[5 + hs.length];
        rec[0] = 0x16;
        rec[1] = 0x03;
        rec[2] = 0x01;
        rec[3] = (byte) (hs.length >> 8);
        rec[4] = (byte) hs.length;
        System.arraycopy(hs, 0, rec, 5, hs.length);
        return rec;
    }
}
