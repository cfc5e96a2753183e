package io.haquark.model;

import java.util.List;

/**
 * One line of a crt-list (configuration.txt §5.1 "crt-list"): a certificate file, the SSL
 * options in brackets that apply to it instead of the bind's ("verify none", "ca-file f" ...,
 * as words), and its SNI filters ("!name" excludes a name). {@code line} is its line in the file
 * (0 for a line added at run time).
 */
public record CrtListLine(String certificate, List<String> options, List<String> filters, int line) {
    public CrtListLine {
        options = List.copyOf(options);
        filters = List.copyOf(filters);
    }

    /**
     * Parses "<crtfile> [[<options>]] [[!]<filter> ...]"; the file name is resolved by the caller.
     * Returns null for a blank line or a comment.
     */
    public static CrtListLine parse(String text, int line, java.util.function.UnaryOperator<String> resolve) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] words = t.split("\\s+");
        List<String> options = new java.util.ArrayList<>();
        List<String> filters = new java.util.ArrayList<>();
        boolean inOptions = false;
        for (int k = 1; k < words.length; k++) {
            String w = words[k];
            if (!inOptions && w.startsWith("[")) {
                inOptions = true;
                w = w.substring(1);
            }
            if (inOptions) {
                boolean end = w.endsWith("]");
                String word = end ? w.substring(0, w.length() - 1) : w;
                if (!word.isEmpty()) {
                    options.add(word);
                }
                inOptions = !end;
            } else {
                filters.add(w);
            }
        }
        if (inOptions) {
            throw new IllegalArgumentException("missing ']' in the SSL options of '" + t + "'");
        }
        return new CrtListLine(resolve.apply(words[0]), options, filters, line);
    }

    /** The line as "show ssl crt-list" prints it: file, options in brackets, filters. */
    public String describe(boolean withLine) {
        StringBuilder sb = new StringBuilder(certificate);
        if (withLine) {
            sb.append(':').append(line);
        }
        if (!options.isEmpty()) {
            sb.append(" [").append(String.join(" ", options)).append(']');
        }
        for (String f : filters) {
            sb.append(' ').append(f);
        }
        return sb.toString();
    }
}
