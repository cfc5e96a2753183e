package io.haquark.model;

/** Raised by a keyword's parse function; the loader turns it into an alert at that line. */
public final class KeywordError extends RuntimeException {
    private final boolean prefixed;

    public KeywordError(String message) {
        this(message, false);
    }

    /** @param prefixed the message already carries its own "[file:line]" prefix (server lines do). */
    public KeywordError(String message, boolean prefixed) {
        super(message, null, false, false);
        this.prefixed = prefixed;
    }

    public boolean prefixed() {
        return prefixed;
    }
}
