package io.haquark.balance;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** The hash functions of "hash-type ... <function>" (configuration.txt "hash-type"). */
final class HashFunctions {
    private HashFunctions() {
    }

    static long hash(String function, String key) {
        byte[] b = key.getBytes(StandardCharsets.ISO_8859_1);
        long h;
        switch (function) {
            case "djb2" -> {
                h = 5381;
                for (byte x : b) {
                    h = ((h << 5) + h + (x & 0xff)) & 0xffffffffL;
                }
            }
            case "crc32" -> {
                CRC32 c = new CRC32();
                c.update(b);
                h = c.getValue();
            }
            case "wt6" -> {
                long h0 = 0xa53c965aL;
                long h1 = 0x5ca6953aL;
                int step0 = 6;
                int step1 = 18;
                for (byte x : b) {
                    int t = x & 0xff;
                    h0 = (~(h0 ^ t)) & 0xffffffffL;
                    h1 = (~(h1 + t)) & 0xffffffffL;
                    h1 = ((h1 << step1) | (h1 >>> (32 - step1))) & 0xffffffffL;
                    h0 = (h0 + h1) & 0xffffffffL;
                    step0 = (step0 + 1) & 31;
                    step1 = (step1 + 1) & 31;
                    h0 = ((h0 << step0) | (h0 >>> (32 - step0))) & 0xffffffffL;
                }
                h = (h0 ^ h1) & 0xffffffffL;
            }
            case "none" -> {
                long v = 0;
                for (byte x : b) {
                    v = (v * 31 + (x & 0xff)) & 0xffffffffL;
                }
                h = v;
            }
            default -> {
                h = 0;
                for (byte x : b) {
                    h = ((x & 0xff) + (h << 6) + (h << 16) - h) & 0xffffffffL;
                }
            }
        }
        return h;
    }

    /** Spreads nearby hashes apart before they index a map-based table (full avalanche). */
    static long avalanche(long a) {
        a = (a ^ 61) ^ (a >>> 16);
        a = (a + (a << 3)) & 0xffffffffL;
        a = a ^ (a >>> 4);
        a = (a * 0x27d4eb2dL) & 0xffffffffL;
        a = a ^ (a >>> 15);
        return a;
    }
}
