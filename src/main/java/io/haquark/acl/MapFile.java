package io.haquark.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A map or pattern file: one entry per line, "#" comments, key and optional value (§7.3.1 "map"). */
public record MapFile(List<String[]> entries) {

    public static MapFile load(String file) {
        List<String[]> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AclException("failed to open pattern file <" + file + ">.");
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = indexOfBlank(line);
            if (sp < 0) {
                out.add(new String[] {line, ""});
            } else {
                out.add(new String[] {line.substring(0, sp), line.substring(sp).strip()});
            }
        }
        return new MapFile(out);
    }

    /** Only the first word of each line: what "-f file" in an ACL reads. */
    public List<String> keys() {
        return entries.stream().map(e -> e[0]).toList();
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }
}
