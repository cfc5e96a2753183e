package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/compatibility.md must say exactly what the keyword tables say. */
class CompatibilityTableTest {
    private static final Path PAGE = Path.of("docs/compatibility.md");

    @Test
    void pageMatchesTheKeywordTables() throws IOException {
        String generated = CompatibilityTable.markdown();
        if (Boolean.getBoolean("haquark.writeCompat")) {
            Files.writeString(PAGE, generated);
        }
        assertEquals(generated, Files.readString(PAGE),
                "docs/compatibility.md is stale: run ./mvnw test -Dtest=CompatibilityTableTest -Dhaquark.writeCompat=true");
    }
}
