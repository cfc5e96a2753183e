package io.haquark.acl;

import java.nio.charset.StandardCharsets;

/** Reads a TLS ClientHello from the first bytes of a connection (req.ssl_sni, req.ssl_hello_type, req.ssl_ver). */
final class ClientHello {
    private ClientHello() {
    }

    /** 1 for a ClientHello, 2 for a ServerHello, 0 when the data is not (yet) a TLS handshake record. */
    static long helloType(byte[] b) {
        if (b == null || b.length < 6 || b[0] != 0x16) {
            return 0;
        }
        return b[5] == 1 ? 1 : b[5] == 2 ? 2 : 0;
    }

    /**
     * req.ssl_ver: the version a ClientHello announces (not the record layer's), as
     * (major << 16) + minor, e.g. 0x030003 for TLS 1.2's legacy version; null when the data
     * is not a TLS handshake record of a plausible length.
     */
    static Long version(byte[] b) {
        if (b == null || b.length < 11 || b[0] != 0x16) {
            return null;
        }
        int recordMajor = b[1] & 0xff;
        int length = u16(b, 3);
        if (recordMajor < 3 || length < 6 || length > (1 << 14) + 2048) {
            return null;
        }
        return (long) (((b[9] & 0xff) << 16) + (b[10] & 0xff));
    }

    /** The server_name extension's host name, or null. */
    static String sni(byte[] b) {
        int p = extension(b, 0);
        if (p < 0 || p + 5 > b.length) {
            return null;
        }
        int nameLen = u16(b, p + 3);
        return b[p + 2] == 0 && p + 5 + nameLen <= b.length
                ? new String(b, p + 5, nameLen, StandardCharsets.US_ASCII).toLowerCase() : null;
    }

    /** req.ssl_alpn: the first protocol of the ClientHello's ALPN extension (16), or null. */
    static String alpn(byte[] b) {
        int p = extension(b, 16);
        if (p < 0 || p + 3 > b.length) {
            return null;
        }
        int first = b[p + 2] & 0xff;
        return p + 3 + first <= b.length ? new String(b, p + 3, first, StandardCharsets.US_ASCII) : null;
    }

    /** Where the data of a ClientHello extension of that type starts, or -1 (no hello, no such extension). */
    /** Whether a ClientHello carries the extension, null when the bytes are no ClientHello. */
    static Boolean hasExtension(byte[] b, int type) {
        if (b == null || helloType(b) != 1) {
            return null;
        }
        return extension(b, type) >= 0;
    }

    private static int extension(byte[] b, int wanted) {
        try {
            if (b == null || helloType(b) != 1) {
                return -1;
            }
            int p = 5 + 4;          // record header, handshake header
            p += 2 + 32;            // client version, random
            p += 1 + (b[p] & 0xff); // session id
            p += 2 + u16(b, p);     // cipher suites
            p += 1 + (b[p] & 0xff); // compression methods
            int end = p + 2 + u16(b, p);
            p += 2;
            while (p + 4 <= end && p + 4 <= b.length) {
                int type = u16(b, p);
                int len = u16(b, p + 2);
                p += 4;
                if (type == wanted) {
                    return p;
                }
                p += len;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return -1;
        }
        return -1;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
