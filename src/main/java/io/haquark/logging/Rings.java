package io.haquark.logging;

import io.haquark.model.Ring;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process's rings by name: installed from each loaded configuration (a reload keeps the lines of rings it keeps). */
public final class Rings {
    private static final Map<String, RingBuffer> RINGS = new LinkedHashMap<>();

    private Rings() {
    }

    public static synchronized void install(Map<String, Ring> rings) {
        RINGS.keySet().removeIf(name -> {
            if (!rings.containsKey(name)) {
                RINGS.get(name).close();
                return true;
            }
            return false;
        });
        rings.forEach((name, spec) -> {
            RingBuffer existing = RINGS.get(name);
            if (existing != null) {
                existing.configure(spec);
            } else {
                RINGS.put(name, new RingBuffer(spec));
            }
        });
    }

    public static synchronized RingBuffer get(String name) {
        return RINGS.get(name);
    }

    public static synchronized Collection<RingBuffer> all() {
        return List.copyOf(RINGS.values());
    }
}
