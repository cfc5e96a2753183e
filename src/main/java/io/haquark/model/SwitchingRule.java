package io.haquark.model;

/** {@code use_backend <name|%[fmt]> [if|unless cond]}; a null condition always matches. */
public record SwitchingRule(String backend, boolean dynamic, Condition condition, Location where) {
}
