package io.haquark.balance;

import java.nio.charset.StandardCharsets;

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
        return switch (function) {
            case "djb2" -> io.haquark.model.Hashes.djb2(b);
            case "crc32" -> io.haquark.model.Hashes.crc32(b);
            case "wt6" -> io.haquark.model.Hashes.wt6(b);
            case "none" -> leadingInteger(b) & 0xffffffffL;
            default -> io.haquark.model.Hashes.sdbm(b);
        };
    }

    static long hash(String function, String key) {
        return hash(function, key.getBytes(StandardCharsets.ISO_8859_1));
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
     * HAProxy's "full hash" of a 32-bit value (the "avalanche" modifier, the converters' avalanche
     * argument, consistent-hash lookups and ring points): Bob Jenkins' six-round integer hash,
     * then a multiplication by 3221225473 that spreads values over the whole ring. Checked
     * against HAProxy 2.6.12: djb2(1) of "hello" is 1119739105.
     */
    static long fullHash(long value) {
        return io.haquark.model.Hashes.fullHash(value);
    }
}
