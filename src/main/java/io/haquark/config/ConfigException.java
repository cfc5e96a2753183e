package io.haquark.config;

/** A configuration could not be loaded; the diagnostics say why, with file:line. */
public final class ConfigException extends Exception {
    private final transient Diagnostics diagnostics;

    public ConfigException(Diagnostics diagnostics) {
        super(diagnostics.alerts().isEmpty() ? "invalid configuration"
                : diagnostics.alerts().get(0).format(ProcessHandle.current().pid()));
        this.diagnostics = diagnostics;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
