package io.haquark.acl;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pattern and map files of one loaded configuration, by file name as the configuration
 * writes it. While a configuration compiles, its registry is bound to the compiling thread so
 * that every "-f file" and "map(file)" of that load shares one {@link PatternReference}; the
 * runtime API then finds them here. A reload reads the files again, as HAProxy does.
 */
public final class PatternReferences {
    private static final ThreadLocal<PatternReferences> COMPILING = new ThreadLocal<>();

    private final Map<String, PatternReference> byFile = new LinkedHashMap<>();

    /** Binds this registry to the current thread until the returned scope closes. */
    public Scope bind() {
        PatternReferences previous = COMPILING.get();
        COMPILING.set(this);
        return () -> COMPILING.set(previous);
    }

    /** A binding of {@link #bind()}; closing it restores the previous one. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The reference an add-acl/del-acl/set-map/del-map action changes (configuration.txt
     * "http-request add-acl"): the one ACLs and maps of this configuration read the file through.
     */
    public static PatternReference forAction(String file, java.nio.file.Path base, String usedBy) {
        java.nio.file.Path resolved = base == null ? java.nio.file.Path.of(file) : base.resolve(file);
        return load(file, resolved, usedBy);
    }

    /**
     * The file's reference: shared within the configuration being compiled, or a private one
     * when nothing is being compiled (a benchmark, a test of one ACL).
     */
    static PatternReference load(String file, java.nio.file.Path resolved, String usedBy) {
        PatternReferences current = COMPILING.get();
        if (current == null) {
            return new PatternReference(-1, file, usedBy, MapFile.load(resolved.toString()).entries());
        }
        synchronized (current) {
            PatternReference ref = current.byFile.get(file);
            if (ref == null) {
                ref = new PatternReference(current.byFile.size(), file, usedBy, MapFile.load(resolved.toString()).entries());
                current.byFile.put(file, ref);
            }
            return ref;
        }
    }

    public synchronized Collection<PatternReference> all() {
        return Collections.unmodifiableCollection(List.copyOf(byFile.values()));
    }

    /** By file name, or "#id" as "show acl" numbers them. */
    public synchronized PatternReference find(String nameOrId) {
        if (nameOrId.startsWith("#")) {
            for (PatternReference r : byFile.values()) {
                if (("#" + r.id()).equals(nameOrId)) {
                    return r;
                }
            }
            return null;
        }
        return byFile.get(nameOrId);
    }
}
