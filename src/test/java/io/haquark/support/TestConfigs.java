package io.haquark.support;

/** Config fragments the socket-level tests share. */
public final class TestConfigs {
    /** HTTP mode with short timeouts, so a stuck test fails fast. */
    public static final String HTTP_DEFAULTS = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;

    /** The same for mode tcp. */
    public static final String TCP_DEFAULTS = """
            defaults
              mode tcp
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;

    private TestConfigs() {
    }
}
