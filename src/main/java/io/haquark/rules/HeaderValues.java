package io.haquark.rules;

/**
 * Header values built from formats (set-header, add-header, unique-id-header): made acceptable to
 * the HTTP codec instead of failing the request.
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** Drops control characters (CR, LF, NUL ...; HTAB stays) and the blanks before the value. */
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
        // Leading blanks are dropped (the codec refuses a value that starts with one); trailing ones
        // stay, as HAProxy sends them (they are trimmed when the value is read back, see HeaderSamples).
        return (sb == null ? v : sb.toString()).stripLeading();
    }
}
