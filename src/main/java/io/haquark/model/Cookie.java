package io.haquark.model;

import java.util.List;

/** {@code cookie <name> [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] ...}. */
public record Cookie(String name, String mode, List<String> flags, String domain, long maxIdle, long maxLife) {
    public Cookie {
        flags = List.copyOf(flags);
    }
}
