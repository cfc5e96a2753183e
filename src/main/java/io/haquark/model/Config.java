package io.haquark.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole routing model of one configuration load: immutable, compiled once, swapped as
 * a unit on reload.
 */
public record Config(List<String> files, GlobalSettings global, List<Proxy> proxies,
                     Map<String, Userlist> userlists, Map<String, Map<Integer, ErrorFile>> httpErrors,
                     List<String> ignoredSections, Map<String, Ring> rings, List<Proxy> ruleDefaults) {
    public Config {
        ruleDefaults = List.copyOf(ruleDefaults);
        rings = Map.copyOf(rings);
        files = List.copyOf(files);
        proxies = List.copyOf(proxies);
        userlists = Map.copyOf(userlists);
        httpErrors = Map.copyOf(httpErrors);
        ignoredSections = List.copyOf(ignoredSections);
    }

    public Optional<Proxy> proxy(String name) {
        return proxies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** A proxy that can act as a backend (backend or listen). */
    public Optional<Proxy> backend(String name) {
        return proxies.stream().filter(p -> p.type().hasBackend() && p.name().equals(name)).findFirst();
    }

    public List<Proxy> frontends() {
        return proxies.stream().filter(p -> p.type().hasFrontend()).toList();
    }
}
