package io.haquark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.TestConfigs;
import io.haquark.support.Twin;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A UNIX socket bind's file (configuration.txt §5.1 "mode", "user", "group", "uid", "gid"): its
 * permissions and owner are what the bind line says, as HAProxy 2.6 sets them (run as root,
 * which may give files away).
 */
class UnixBindTwinTest {
    @Test
    void socketFileOwnerAndModeAsHaproxySetsThem() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: changing a file's owner needs root");
        try (Twin t = Twin.start(TestConfigs.HTTP_DEFAULTS + """
                frontend probe
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend by_name
                  bind /tmp/hq-unix-@A@.sock mode 640 user nobody group nogroup
                  http-request return status 200
                frontend by_number
                  bind /tmp/hq-unix-@B@.sock mode 600 uid 65534 gid 0
                  http-request return status 200
                """)) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < t.ports().size(); i++) {
                java.util.Map<String, Integer> p = i == 0 ? t.haquarkExtra : t.haproxyExtra;
                StringBuilder sb = new StringBuilder();
                for (String k : new String[] {"A", "B"}) {
                    Path f = Path.of("/tmp/hq-unix-" + p.get(k) + ".sock");
                    PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    sb.append(k).append(' ').append(PosixFilePermissions.toString(a.permissions())).append(' ')
                            .append(a.owner().getName()).append(':').append(a.group().getName()).append('\n');
                }
                seen.add(sb.toString());
            }
            assertEquals("A rw-r----- nobody:nogroup\nB rw------- nobody:root\n", seen.get(0));
            if (seen.size() > 1) {
                assertEquals(seen.get(1), seen.get(0), "haquark vs HAProxy");
            }
        }
    }
}
