package io.haquark.model;

import java.util.List;

/** A "filter <name> [args]" line of a proxy (configuration.txt §9), kept as written. */
public record FilterDecl(String name, List<String> args, Location where) {
    public FilterDecl {
        args = List.copyOf(args);
    }
}
