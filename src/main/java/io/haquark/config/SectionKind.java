package io.haquark.config;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The section keywords of configuration.txt; a line starting with one opens a new section. */
enum SectionKind {
    GLOBAL("global", Support.SUPPORTED, null),
    DEFAULTS("defaults", Support.SUPPORTED, null),
    FRONTEND("frontend", Support.SUPPORTED, null),
    BACKEND("backend", Support.SUPPORTED, null),
    LISTEN("listen", Support.SUPPORTED, null),
    USERLIST("userlist", Support.SUPPORTED, null),
    HTTP_ERRORS("http-errors", Support.SUPPORTED, null),
    RESOLVERS("resolvers", Support.NOT_YET, "names resolve through the JVM once at load"),
    PEERS("peers", Support.NOT_YET, "stick-table replication"),
    MAILERS("mailers", Support.NOT_YET, "email alerts"),
    CACHE("cache", Support.NOT_YET, "HTTP caching"),
    PROGRAM("program", Support.NOT_YET, "master-worker programs"),
    RING("ring", Support.SUPPORTED, null),
    LOG_FORWARD("log-forward", Support.NOT_YET, "syslog forwarding"),
    FCGI_APP("fcgi-app", Support.NOT_YET, "FastCGI applications (servers with proto fcgi)");

    final String keyword;
    final Support support;
    final String note;

    SectionKind(String keyword, Support support, String note) {
        this.keyword = keyword;
        this.support = support;
        this.note = note;
    }

    static final Map<String, SectionKind> BY_KEYWORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(k -> k.keyword, Function.identity()));
}
