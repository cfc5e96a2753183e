package io.haquark.model;

/**
 * HAProxy's 32-bit hash functions, as it computes them (bytes taken unsigned): the functions of
 * "hash-type" and of the djb2/sdbm/wt6/crc32/crc32c converters, and its full avalanche hash.
 * One place, so that balancing and converters give the numbers HAProxy gives.
 */
public final class Hashes {
    private Hashes() {
    }

    public static long sdbm(byte[] b) {
        int h = 0;
        for (byte x : b) {
            h = (x & 0xff) + (h << 6) + (h << 16) - h;
        }
        return h & 0xffffffffL;
    }

    public static long djb2(byte[] b) {
        int h = 5381;
        for (byte x : b) {
            h = (h << 5) + h + (x & 0xff);
        }
        return h & 0xffffffffL;
    }

    /**
     * wt6: two 32-bit states complemented with each byte, then rotated by amounts the states
     * themselves choose for the next byte.
     */
    public static long wt6(byte[] b) {
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
        return (h0 ^ h1) & 0xffffffffL;
    }

    public static long crc32(byte[] b) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b);
        return c.getValue();
    }

    /** CRC-32C (Castagnoli), as the crc32c converter and PROXY v2 checksums use it. */
    public static long crc32c(byte[] b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b);
        return c.getValue();
    }

    /**
     * HAProxy's full avalanche hash of a 32-bit value, unsigned in a long: Bob Jenkins' six-round
     * integer hash followed by a multiplication by 3221225473 (a prime near 3/4 of 2^32) that
     * spreads values over the whole ring. Checked against HAProxy 2.6.12: djb2(1) of "hello" is
     * 1119739105.
     */
    public static long fullHash(long value) {
        int a = (int) value;
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return (a * 0xC0000001) & 0xffffffffL;
    }
}
