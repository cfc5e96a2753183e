package io.haquark.filters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The filters HAProxy 2.6 knows ("filter <name> ..."), each with its parser, or the reason
 * haquark does not run it yet. docs/compatibility.md lists them from here.
 */
public final class FilterRegistry {

    /** A filter kind: its parser (null when not supported yet) and a note. */
    public record Kind(String name, Function<List<String>, HttpFilter> parser, String note) {
        public boolean supported() {
            return parser != null;
        }
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("trace", new Kind("trace", TraceFilter::parse, "callbacks reported on stderr; random-parsing/random-forwarding accepted, no effect"));
        KINDS.put("compression", new Kind("compression", null, "HTTP compression filter"));
        KINDS.put("cache", new Kind("cache", null, "HTTP cache filter"));
        KINDS.put("spoe", new Kind("spoe", null, "stream processing offload"));
        KINDS.put("fcgi-app", new Kind("fcgi-app", null, "FastCGI applications"));
        KINDS.put("opentracing", new Kind("opentracing", null, "OpenTracing"));
    }

    private FilterRegistry() {
    }

    /** The kind of that name, or null when HAProxy 2.6 has no such filter. */
    public static Kind kind(String name) {
        return KINDS.get(name);
    }

    public static Iterable<Kind> kinds() {
        return KINDS.values();
    }

    /** "'filter' : unknown keyword 'x'. Registered keywords : ..." as HAProxy words it. */
    public static String unknown(String name) {
        return "'filter' : unknown keyword '" + name + "'. Registered keywords : " + String.join(", ", KINDS.keySet());
    }
}
