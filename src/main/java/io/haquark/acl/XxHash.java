package io.haquark.acl;

/** XXH32 and XXH64 (the public xxHash specification), for the xxh32/xxh64 converters. */
final class XxHash {
    private static final int P32_1 = 0x9E3779B1;
    private static final int P32_2 = 0x85EBCA77;
    private static final int P32_3 = 0xC2B2AE3D;
    private static final int P32_4 = 0x27D4EB2F;
    private static final int P32_5 = 0x165667B1;
    private static final long P64_1 = 0x9E3779B185EBCA87L;
    private static final long P64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P64_3 = 0x165667B19E3779F9L;
    private static final long P64_4 = 0x85EBCA77C2B2AE63L;
    private static final long P64_5 = 0x27D4EB2F165667C5L;

    private XxHash() {
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static long int64(byte[] b, int i) {
        return (int32(b, i) & 0xffffffffL) | ((long) int32(b, i + 4)) << 32;
    }

    private static int round32(int acc, int lane) {
        return Integer.rotateLeft(acc + lane * P32_2, 13) * P32_1;
    }

    static int xxh32(byte[] b, int seed) {
        int n = b.length;
        int i = 0;
        int h;
        if (n >= 16) {
            int v1 = seed + P32_1 + P32_2;
            int v2 = seed + P32_2;
            int v3 = seed;
            int v4 = seed - P32_1;
            for (; i + 16 <= n; i += 16) {
                v1 = round32(v1, int32(b, i));
                v2 = round32(v2, int32(b, i + 4));
                v3 = round32(v3, int32(b, i + 8));
                v4 = round32(v4, int32(b, i + 12));
            }
            h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12) + Integer.rotateLeft(v4, 18);
        } else {
            h = seed + P32_5;
        }
        h += n;
        for (; i + 4 <= n; i += 4) {
            h = Integer.rotateLeft(h + int32(b, i) * P32_3, 17) * P32_4;
        }
        for (; i < n; i++) {
            h = Integer.rotateLeft(h + (b[i] & 0xff) * P32_5, 11) * P32_1;
        }
        h ^= h >>> 15;
        h *= P32_2;
        h ^= h >>> 13;
        h *= P32_3;
        h ^= h >>> 16;
        return h;
    }

    private static long round64(long acc, long lane) {
        return Long.rotateLeft(acc + lane * P64_2, 31) * P64_1;
    }

    private static long merge64(long acc, long v) {
        acc ^= round64(0, v);
        return acc * P64_1 + P64_4;
    }

    static long xxh64(byte[] b, long seed) {
        int n = b.length;
        int i = 0;
        long h;
        if (n >= 32) {
            long v1 = seed + P64_1 + P64_2;
            long v2 = seed + P64_2;
            long v3 = seed;
            long v4 = seed - P64_1;
            for (; i + 32 <= n; i += 32) {
                v1 = round64(v1, int64(b, i));
                v2 = round64(v2, int64(b, i + 8));
                v3 = round64(v3, int64(b, i + 16));
                v4 = round64(v4, int64(b, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge64(h, v1);
            h = merge64(h, v2);
            h = merge64(h, v3);
            h = merge64(h, v4);
        } else {
            h = seed + P64_5;
        }
        h += n;
        for (; i + 8 <= n; i += 8) {
            h ^= round64(0, int64(b, i));
            h = Long.rotateLeft(h, 27) * P64_1 + P64_4;
        }
        if (i + 4 <= n) {
            h ^= (int32(b, i) & 0xffffffffL) * P64_1;
            h = Long.rotateLeft(h, 23) * P64_2 + P64_3;
            i += 4;
        }
        for (; i < n; i++) {
            h ^= (b[i] & 0xff) * P64_5;
            h = Long.rotateLeft(h, 11) * P64_1;
        }
        h ^= h >>> 33;
        h *= P64_2;
        h ^= h >>> 29;
        h *= P64_3;
        h ^= h >>> 32;
        return h;
    }
}
