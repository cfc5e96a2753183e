package io.haquark.engine;

/** Header values built from formats: made acceptable to the HTTP codec instead of failing the request. */
final class HeaderValues {
    private HeaderValues() {
    }

    /** Drops control characters (CR, LF, NUL ...; HTAB stays) and the blanks around the value. */
    static String sanitize(String v) {
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
