package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Location;
import io.haquark.model.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Services keyword parse functions share while one configuration is loaded. */
final class LoadContext {
    /** A keyword valid in HAProxy but meaningless where it stands: a warning, not an alert. */
    static final class CapabilityWarning extends RuntimeException {
        CapabilityWarning(String message) {
            super(message, null, false, false);
        }
    }

    final Diagnostics diag;
    /** global "expose-experimental-directives" was seen. */
    boolean experimental;
    private final Set<String> warnedUnsupported = new HashSet<>();
    private final Path baseDir;

    LoadContext(Diagnostics diag, Path baseDir) {
        this.diag = diag;
        this.baseDir = baseDir;
    }

    static int capsOf(ProxyBuilder p) {
        if (p.isDefaults()) {
            return ProxyKeywords.DEF;
        }
        return (p.type.hasFrontend() ? ProxyKeywords.FE : 0) | (p.type.hasBackend() ? ProxyKeywords.BE : 0);
    }

    /** Warns once per line that a valid HAProxy keyword is not implemented and is ignored. */
    void unsupported(ConfigLine line, String what) {
        if (warnedUnsupported.add(line.location() + what)) {
            String shown = what.indexOf('\'') >= 0 ? what : "'" + what + "'";
            diag.warning(line, shown + " is not supported by haquark yet, ignored (see docs/compatibility.md).");
        }
    }

    /** Files named in the config are relative to the working directory, as in HAProxy. */
    /** global crt-base / ca-base: directories for relative certificate and CA file names. */
    String crtBase;
    String caBase;

    /** A relative name under base (crt-base, ca-base) when one is set. */
    static String under(String base, String name) {
        return base == null || name.startsWith("/") ? name : base + "/" + name;
    }

    /** A file named in the config, relative to the working directory as in HAProxy. */
    Path path(String name) {
        return baseDir.resolve(name);
    }

    String resolveFile(String name, ConfigLine line) {
        Path p = baseDir.resolve(name);
        if (!Files.isReadable(p)) {
            throw new KeywordError("'" + line.keyword() + "' : unable to read file '" + name + "'.");
        }
        return p.toString();
    }

    int errorStatus(String code, String kw) {
        int c;
        try {
            c = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            c = -1;
        }
        if (!io.haquark.rules.ErrorPages.hasDefaultPage(c)) {
            throw new KeywordError("status code '" + code + "' not handled by '" + kw + "', error customization will be ignored.");
        }
        return c;
    }

    /** HAProxy reads many numbers with atol(): accept like it, but say when text was ignored. */
    int lenientInt(ConfigLine line, String text, String what) {
        if (!Values.isCleanInteger(text)) {
            diag.warning(line, "'" + what + "' : '" + text + "' is not a plain integer; read as "
                    + Values.atol(text) + " as HAProxy does.");
        }
        return (int) Values.atol(text);
    }

    void server(ProxyBuilder p, ConfigLine line, boolean defaults) {
        ServerLines.parse(this, p, line, defaults);
    }

    static Location loc(ConfigLine line) {
        return new Location(line.file(), line.number());
    }
}
