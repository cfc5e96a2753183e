package io.haquark.balance;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The hash functions of "hash-type ... <function> [avalanche]" (configuration.txt "hash-type"),
 * computed as HAProxy 2.6 computes them (32-bit, bytes taken unsigned), so that haquark and
 * HAProxy send the same key to the same server.
 */
final class HashFunctions {
    private HashFunctions() {
    }

    /** The 32-bit hash of a key's bytes, as an unsigned value in a long. */
    static long hash(String function, byte[] b) {
        int h;
        switch (function) {
            case "djb2" -> {
                h = 5381;
                for (byte x : b) {
                    h = (h << 5) + h + (x & 0xff);
                }
            }
            case "crc32" -> {
                CRC32 c = new CRC32();
                c.update(b);
                return c.getValue();
            }
            case "wt6" -> h = wt6(b);
            case "none" -> h = (int) leadingInteger(b);
            default -> {
                // sdbm, the default
                h = 0;
                for (byte x : b) {
                    h = (x & 0xff) + (h << 6) + (h << 16) - h;
                }
            }
        }
        return h & 0xffffffffL;
    }

    static long hash(String function, String key) {
        return hash(function, key.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * wt6: two 32-bit states complemented with each byte, then rotated by amounts the states
     * themselves choose for the next byte.
     */
    private static int wt6(byte[] b) {
        int h0 = 0xa53c965a;
        int h1 = 0x5ca6953a;
        int step0 = 6;
        int step1 = 18;
        for (byte x : b) {
            int t = x & 0xff;
            h0 = ~(h0 ^ t);
            h1 = ~(h1 + t);
            int r0 = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = r0;
            int mix = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = mix & 0x1f;
            step1 = mix >>> 11;
        }
        return h0 ^ h1;
    }

    /** "none": the key is its own hash, read as a decimal integer (leading digits, optional sign). */
    private static long leadingInteger(byte[] b) {
        int i = 0;
        boolean negative = false;
        if (i < b.length && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < b.length && b[i] >= '0' && b[i] <= '9'; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return negative ? -v : v;
    }

    /**
     * The "avalanche" modifier and the keys of consistent-hash nodes: Bob Jenkins' 32-bit
     * integer hash (six add/xor-shift rounds), unsigned in a long.
     */
    static long fullHash(long value) {
        int a = (int) value;
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a & 0xffffffffL;
    }
}
