package io.haquark.config;

/** How far haquark implements an HAProxy keyword; docs/compatibility.md is generated from it. */
public enum Support {
    SUPPORTED("supported"), PARTIAL("partial"), NOT_YET("not yet"),
    /** Removed from HAProxy before 2.6: HAProxy 2.6 refuses it, and so does haquark, with its message. */
    REJECTED("rejected");

    private final String label;

    Support(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
