package io.haquark.model;

import java.util.List;

/** {@code acl <name> <criterion> [flags] [operator] [<value>] ...} as written. */
public record AclDecl(String name, List<String> expression, Location where) {
    public AclDecl {
        expression = List.copyOf(expression);
    }
}
