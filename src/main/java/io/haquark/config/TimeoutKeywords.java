package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/** {@code timeout <event> <time>} (configuration.txt §4 "timeout ..."). */
final class TimeoutKeywords {
    record Def(String event, int caps, Support support, ObjLongConsumer<ProxyBuilder> setter) {
    }

    static final Map<String, Def> EVENTS = new LinkedHashMap<>();

    private static void add(String e, int caps, Support s, ObjLongConsumer<ProxyBuilder> setter) {
        EVENTS.put(e, new Def(e, caps, s, setter));
    }

    static {
        int fe = ProxyKeywords.FE | ProxyKeywords.DEF;
        int be = ProxyKeywords.BE | ProxyKeywords.DEF;
        int all = ProxyKeywords.ALL;
        add("client", fe, Support.SUPPORTED, (p, v) -> p.tClient = v);
        add("server", be, Support.SUPPORTED, (p, v) -> p.tServer = v);
        add("connect", be, Support.SUPPORTED, (p, v) -> p.tConnect = v);
        add("queue", be, Support.SUPPORTED, (p, v) -> p.tQueue = v);
        add("http-request", all, Support.SUPPORTED, (p, v) -> p.tHttpRequest = v);
        add("http-keep-alive", all, Support.SUPPORTED, (p, v) -> p.tHttpKeepAlive = v);
        add("check", be, Support.SUPPORTED, (p, v) -> p.tCheck = v);
        add("tunnel", be, Support.PARTIAL, (p, v) -> p.tTunnel = v);
        add("client-fin", fe, Support.PARTIAL, (p, v) -> p.tClientFin = v);
        add("server-fin", be, Support.PARTIAL, (p, v) -> p.tServerFin = v);
        add("tarpit", all, Support.PARTIAL, (p, v) -> p.tTarpit = v);
        // Pre-1.5 spellings HAProxy 2.6 no longer accepts are rejected like unknown events.
    }

    static void parse(ProxyBuilder p, ConfigLine line) {
        String event = line.arg(1);
        Def def = EVENTS.get(event);
        if (def == null) {
            throw new KeywordError("'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '" + event + "')");
        }
        String ctx = "timeout " + event;
        if (line.size() < 3 || line.arg(2).isEmpty()) {
            throw new KeywordError("'" + ctx + "' expects an integer value (in milliseconds)");
        }
        long v = Values.time(line.arg(2), ctx);
        if (line.size() > 3) {
            throw new KeywordError("'" + ctx + "' : unexpected extra argument '" + line.arg(3) + "' after value '" + line.arg(2) + "'.");
        }
        if ((def.caps() & LoadContext.capsOf(p)) == 0) {
            throw new LoadContext.CapabilityWarning("'" + ctx + "' ignored because " + p.describe()
                    + " has no " + (p.type.hasFrontend() ? "backend" : "frontend") + " capability");
        }
        def.setter().accept(p, v);
    }

    private TimeoutKeywords() {
    }
}
