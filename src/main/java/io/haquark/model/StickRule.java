package io.haquark.model;

/**
 * A backend's "stick on|match|store-request|store-response <pattern> [table t] [if cond]" line
 * (configuration.txt §4.2 "stick match"): server persistence through a stick table.
 */
public record StickRule(String kind, String pattern, String table, Condition condition, Location where) {
    public boolean matches() {
        return kind.equals("on") || kind.equals("match");
    }

    public boolean storesRequest() {
        return kind.equals("on") || kind.equals("store-request");
    }
}
