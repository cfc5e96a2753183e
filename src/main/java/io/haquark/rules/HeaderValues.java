package io.haquark.rules;

/**
 * Header values built from formats (set-header, add-header, unique-id-header): made acceptable to
 * the HTTP codec instead of failing the request. HAProxy keeps a value without the blanks around
 * it too (a value read back with res.fhdr() has none).
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** Drops control characters (CR, LF, NUL ...; HTAB stays) and the blanks around the value. */
    public static String sanitize(String v) {
        StringBuilder sb = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean bad = (c < 0x20 && c != '\t') || c == 0x7f;
            if (bad && sb == null) {
                sb = new StringBuilder(v.length()).append(v, 0, i);
            } else if (!bad && sb != null) {
                sb.append(c);
            }
        }
        return (sb == null ? v : sb.toString()).strip();
    }
}
