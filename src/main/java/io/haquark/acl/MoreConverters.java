package io.haquark.acl;

import io.haquark.model.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Converters of configuration.txt §7.3.1 kept out of {@link ConverterRegistry} for size: URL and
 * base64url encoding, byte slices, integer/binary conversions, host and port split, language
 * negotiation, dates, and the hash converters. Each one was compared with HAProxy 2.6.12 on the
 * same input (SampleParityTwinTest). Binary samples travel as ISO-8859-1 strings, one char a byte.
 */
final class MoreConverters {
    private MoreConverters() {
    }

    static void register(BiConsumer<String, ConverterRegistry.Factory> add) {
        // url_enc([query]): every byte but the unreserved ones (ALPHA DIGIT - . _ ~) as %XX.
        add.accept("url_enc", (a, b) -> {
            if (!a.isEmpty() && !a.get(0).isEmpty() && !a.get(0).equals("query")) {
                throw new AclException("url_enc: unknown encoding '" + a.get(0) + "'");
            }
            return (v, s) -> urlEncode(bytes(v));
        });
        add.accept("ub64enc", (a, b) -> (v, s) -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(v)));
        add.accept("ub64dec", (a, b) -> (v, s) -> {
            try {
                return latin1(Base64.getUrlDecoder().decode(text(v)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        // bytes(<offset>[,<length>]): a slice of the binary form (an integer is 8 bytes, big-endian).
        add.accept("bytes", (a, b) -> {
            int offset = Integer.parseInt(a.get(0).trim());
            int length = a.size() > 1 && !a.get(1).isEmpty() ? Integer.parseInt(a.get(1).trim()) : -1;
            return (v, s) -> {
                byte[] in = bytes(v);
                if (offset >= in.length) {
                    return null;
                }
                int end = length < 0 ? in.length : Math.min(in.length, offset + length);
                return latin1(java.util.Arrays.copyOfRange(in, offset, end));
            };
        });
        add.accept("hex2i", (a, b) -> (v, s) -> {
            String t = text(v);
            if (t.isEmpty() || !t.matches("[0-9a-fA-F]+")) {
                return null;
            }
            return new java.math.BigInteger(t, 16).longValue();
        });
        add.accept("htonl", (a, b) -> (v, s) -> {
            Long n = ConverterRegistry.toLong(v);
            if (n == null) {
                return null;
            }
            int x = n.intValue();
            return latin1(new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
        });
        add.accept("cut_crlf", (a, b) -> (v, s) -> {
            String t = text(v);
            int i = 0;
            while (i < t.length() && t.charAt(i) != '\r' && t.charAt(i) != '\n') {
                i++;
            }
            return t.substring(0, i);
        });
        // host_only / port_only: a Host header value split ("[::1]:80" keeps its brackets).
        add.accept("host_only", (a, b) -> (v, s) -> {
            String t = text(v);
            int colon = portColon(t);
            return colon < 0 ? t : t.substring(0, colon);
        });
        add.accept("port_only", (a, b) -> (v, s) -> {
            String t = text(v);
            int colon = portColon(t);
            if (colon < 0) {
                return 0L;
            }
            // As HAProxy reads it: each char after the colon counts as a digit, checked or not.
            long port = 0;
            for (int i = colon + 1; i < t.length(); i++) {
                port = (port * 10 + (t.charAt(i) - '0')) & 0xffffffffL;
            }
            return port;
        });
        add.accept("language", (a, b) -> language(a));
        add.accept("http_date", (a, b) -> {
            long offset = a.isEmpty() || a.get(0).isEmpty() ? 0 : Long.parseLong(a.get(0).trim());
            long unit = a.size() > 1 ? unitDivisor(a.get(1).trim()) : 1;
            return (v, s) -> {
                Long t = ConverterRegistry.toLong(v);
                if (t == null) {
                    return null;
                }
                long millis = unit == 1 ? (t + offset) * 1000 : unit == 1000 ? t + offset : (t + offset) / 1000;
                return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        java.time.Instant.ofEpochMilli(millis).atZone(java.time.ZoneOffset.UTC))
                        .replaceFirst("^(\\w{3}, )(\\d) ", "$10$2 ");
            };
        });
        add.accept("utime", (a, b) -> time(a, java.time.ZoneOffset.UTC));
        add.accept("ltime", (a, b) -> time(a, java.time.ZoneId.systemDefault()));
        hash(add, "djb2", Hashes::djb2);
        hash(add, "sdbm", Hashes::sdbm);
        hash(add, "wt6", Hashes::wt6);
        hash(add, "crc32c", Hashes::crc32c);
        add.accept("xxh32", (a, b) -> {
            int seed = a.isEmpty() || a.get(0).isEmpty() ? 0 : (int) Long.parseLong(a.get(0).trim());
            return (v, s) -> XxHash.xxh32(bytes(v), seed) & 0xffffffffL;
        });
        add.accept("xxh64", (a, b) -> {
            long seed = a.isEmpty() || a.get(0).isEmpty() ? 0 : Long.parseLong(a.get(0).trim());
            return (v, s) -> XxHash.xxh64(bytes(v), seed);
        });
        // debug([<prefix>[,<buffer>]]): HAProxy copies the sample to a ring; it passes through here.
        add.accept("debug", (a, b) -> (v, s) -> v);
    }

    private static void hash(BiConsumer<String, ConverterRegistry.Factory> add, String name, java.util.function.Function<byte[], Long> f) {
        add.accept(name, (a, b) -> {
            boolean avalanche = !a.isEmpty() && !a.get(0).isEmpty() && !a.get(0).equals("0");
            return (v, s) -> {
                long h = f.apply(bytes(v));
                return avalanche ? Hashes.fullHash(h) : h;
            };
        });
    }

    /** The binary form of a sample: an integer is 8 bytes big-endian, text its bytes. */
    static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Long n) {
            return java.nio.ByteBuffer.allocate(8).putLong(n).array();
        }
        return text(v).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(Object v) {
        return v instanceof List<?> l ? (l.isEmpty() ? "" : Matcher.text(l.get(l.size() - 1))) : Matcher.text(v);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String urlEncode(byte[] in) {
        StringBuilder sb = new StringBuilder(in.length * 3);
        for (byte x : in) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** The colon before a port in "host:port" / "[v6]:port", or -1. */
    private static int portColon(String t) {
        int close = t.lastIndexOf(']');
        int colon = t.lastIndexOf(':');
        if (t.startsWith("[")) {
            return colon > close ? colon : -1;
        }
        return colon;
    }

    /**
     * language(<value>[,<default>]): of an Accept-Language value, the language of the list with
     * the highest q (1 without one, 0 dropped); the default when none matches.
     */
    private static Converter language(List<String> a) {
        List<String> wanted = List.of(a.get(0).split(";"));
        String dflt = a.size() > 1 ? a.get(1) : null;
        return (v, s) -> {
            String best = null;
            double bestQ = 0;
            for (String part : text(v).split(",")) {
                String[] f = part.trim().split(";");
                String lang = f[0].trim();
                double q = 1;
                for (int i = 1; i < f.length; i++) {
                    String p = f[i].trim();
                    if (p.startsWith("q=")) {
                        try {
                            q = Double.parseDouble(p.substring(2));
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (q > bestQ && wanted.contains(lang)) {
                    best = lang;
                    bestQ = q;
                }
            }
            return best != null ? best : dflt;
        };
    }

    private static long unitDivisor(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "ms" -> 1000;
            case "us" -> 1000000;
            default -> throw new AclException("invalid unit '" + unit + "', expected 's', 'ms' or 'us'");
        };
    }

    /** utime/ltime(<format>[,<offset>]): the input as seconds since the epoch, strftime-formatted. */
    private static Converter time(List<String> a, java.time.ZoneId zone) {
        String fmt = a.get(0);
        long offset = a.size() > 1 && !a.get(1).isEmpty() ? Long.parseLong(a.get(1).trim()) : 0;
        return (v, s) -> {
            Long t = ConverterRegistry.toLong(v);
            return t == null ? null : Strftime.format(fmt, java.time.Instant.ofEpochSecond(t + offset).atZone(zone));
        };
    }
}
