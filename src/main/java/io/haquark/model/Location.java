package io.haquark.model;

/** Where a model element was declared: file and line, as HAProxy's messages print them. */
public record Location(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
