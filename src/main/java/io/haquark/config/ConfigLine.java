package io.haquark.config;

import java.util.List;

/** One logical line of a config file, already split into words the way HAProxy splits them. */
public record ConfigLine(String file, int number, List<String> words) {

    public ConfigLine {
        words = List.copyOf(words);
    }

    public String keyword() {
        return words.isEmpty() ? "" : words.get(0);
    }

    /** Word at index i, or "" when the line is shorter (HAProxy's args[] are "" past the end too). */
    public String arg(int i) {
        return i < words.size() ? words.get(i) : "";
    }

    public int size() {
        return words.size();
    }

    public List<String> from(int i) {
        return i >= words.size() ? List.of() : words.subList(i, words.size());
    }

    public String location() {
        return file + ":" + number;
    }
}
