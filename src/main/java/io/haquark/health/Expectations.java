package io.haquark.health;

import java.nio.charset.StandardCharsets;

/** Matching of check answers: status lists and ranges, strings, regexes, binary, protocol greetings. */
final class Expectations {
    private Expectations() {
    }

    /** "200", "200,301", "200-399" (HAProxy 2.x accepts lists and ranges). */
    static boolean statusMatches(String spec, int code) {
        for (String part : spec.split(",")) {
            int dash = part.indexOf('-');
            try {
                if (dash > 0) {
                    if (code >= Integer.parseInt(part.substring(0, dash).trim()) && code <= Integer.parseInt(part.substring(dash + 1).trim())) {
                        return true;
                    }
                } else if (Integer.parseInt(part.trim()) == code) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /** @return true/false when decided, null when more bytes are needed */
    static Boolean raw(CheckPlan.Expect e, byte[] data, boolean closed) {
        if (!closed && e.minRecv() > 0 && data.length < e.minRecv()) {
            return null;
        }
        // With min-recv the bytes in are conclusive; without, a mismatch waits for more.
        closed |= e.minRecv() >= 0;
        String text = new String(data, StandardCharsets.ISO_8859_1);
        Boolean r = switch (e.kind()) {
            case "string" -> text.contains(e.value()) ? Boolean.TRUE : closed ? Boolean.FALSE : null;
            case "rstring" -> e.regex().matcher(text).find() ? Boolean.TRUE : closed ? Boolean.FALSE : null;
            case "binary" -> {
                String hex = java.util.HexFormat.of().formatHex(data);
                yield hex.contains(e.value().toLowerCase()) ? Boolean.TRUE : closed ? Boolean.FALSE : null;
            }
            case "rbinary" -> e.regex().matcher(java.util.HexFormat.of().formatHex(data)).find() ? Boolean.TRUE
                    : closed ? Boolean.FALSE : null;
            // A TLS record back, a handshake (0x16) or an alert (0x15): something speaks TLS there.
            case "ssl" -> data.length < 1 ? (closed ? Boolean.FALSE : null) : data[0] == 0x16 || data[0] == 0x15;
            default -> Boolean.TRUE;
        };
        if (r == null) {
            return null;
        }
        return e.negate() ? !r : r;
    }
}
