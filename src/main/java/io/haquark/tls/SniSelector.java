package io.haquark.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Locale;

/**
 * The choice of a bind's certificate by the name the client asks for (configuration.txt §5.1
 * "crt-list", "strict-sni"): a certificate whose names hold the name exactly wins over one
 * holding it by a wildcard ("*.example.com" covers one label), earlier lines first; a line's
 * negative filters ("!name", "!*.name", "!*") take names away from it. Without a match the first
 * certificate answers, unless strict-sni refuses the handshake.
 */
final class SniSelector implements io.netty.util.AsyncMapping<String, SslContext> {
    /** One certificate's context, the names it answers for and those it must not. */
    record Entry(SslContext context, List<String> names, List<String> excluded) {
        Entry {
            names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
            excluded = excluded.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        }

        boolean excludes(String host) {
            for (String x : excluded) {
                if (x.equals(host) || x.equals("*") || wildcard(x, host)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Entry> entries;
    private final boolean strict;

    SniSelector(List<Entry> entries, boolean strict) {
        this.entries = List.copyOf(entries);
        this.strict = strict;
    }

    io.netty.channel.ChannelHandler newHandler(io.netty.buffer.ByteBufAllocator alloc) {
        if (entries.size() == 1 && !strict) {
            return entries.get(0).context().newHandler(alloc);
        }
        return new io.netty.handler.ssl.SniHandler(this);
    }

    /** The context for a server name (null: none, the client sent no name); null when strict-sni refuses it. */
    SslContext select(String host) {
        if (host != null) {
            String h = host.toLowerCase(Locale.ROOT);
            for (Entry e : entries) {
                if (e.names().contains(h) && !e.excludes(h)) {
                    return e.context();
                }
            }
            for (Entry e : entries) {
                if (!e.excludes(h)) {
                    for (String n : e.names()) {
                        if (wildcard(n, h)) {
                            return e.context();
                        }
                    }
                }
            }
        }
        return strict ? null : entries.get(0).context();
    }

    @Override
    public Future<SslContext> map(String host, Promise<SslContext> promise) {
        SslContext c = select(host);
        return c != null ? promise.setSuccess(c)
                : promise.setFailure(new javax.net.ssl.SSLHandshakeException("strict-sni: no certificate for '" + host + "'"));
    }

    /** "*.example.com" covers "www.example.com", not "example.com" nor "a.b.example.com". */
    static boolean wildcard(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
}
