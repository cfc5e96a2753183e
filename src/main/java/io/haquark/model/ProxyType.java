package io.haquark.model;

/** The section a proxy came from; its capabilities follow from it. */
public enum ProxyType {
    FRONTEND(true, false), BACKEND(false, true), LISTEN(true, true), DEFAULTS(true, true);

    private final boolean frontend;
    private final boolean backend;

    ProxyType(boolean frontend, boolean backend) {
        this.frontend = frontend;
        this.backend = backend;
    }

    public boolean hasFrontend() {
        return frontend;
    }

    public boolean hasBackend() {
        return backend;
    }

    public String keyword() {
        return name().toLowerCase();
    }
}
