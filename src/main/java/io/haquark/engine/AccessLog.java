package io.haquark.engine;

import io.haquark.logging.LogSink;
import io.haquark.logging.LogTarget;
import io.haquark.model.GlobalSettings;
import io.haquark.model.Proxy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A frontend's access log (configuration.txt §8.2): "option httplog" lines, or the default
 * TCP format, sent to its "log" targets ("log global" = the global ones) through the
 * asynchronous {@link LogSink}. Building a line happens on the event loop; writing never does.
 */
final class AccessLog {
    private static final DateTimeFormatter ACCEPT_DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());
    private static final int INFO = 6;

    final List<LogTarget> targets;
    final boolean http;
    final boolean dontLogNull;
    /** log-format: replaces the httplog/tcplog line when set. */
    private final io.haquark.rules.LogFormat format;

    private AccessLog(List<LogTarget> targets, boolean http, boolean dontLogNull, io.haquark.rules.LogFormat format) {
        this.targets = targets;
        this.http = http;
        this.dontLogNull = dontLogNull;
        this.format = format;
    }

    static AccessLog of(Proxy p, GlobalSettings g) {
        List<LogTarget> targets = new ArrayList<>();
        for (String spec : p.logTargets()) {
            List<String> specs = spec.equals("global") ? g.logTargets() : List.of(spec);
            for (String one : specs) {
                LogTarget t = LogTarget.parse(one);
                if (t != null) {
                    targets.add(t);
                }
            }
        }
        io.haquark.rules.LogFormat format = p.logFormat() == null ? null
                : io.haquark.rules.LogFormat.parseLog(p.logFormat(), java.nio.file.Path.of("."));
        return new AccessLog(List.copyOf(targets), p.option("httplog"), p.option("dontlognull"), format);
    }

    /** A log-format replaces the built-in line. */
    boolean formatted() {
        return format != null;
    }

    /** One log-format line about a finished transaction or TCP session. */
    void format(io.haquark.acl.SampleSource s, io.haquark.logging.LogFields f) {
        StringBuilder sb = new StringBuilder(200);
        format.append(sb, s, f);
        emit(sb.toString());
    }

    boolean enabled() {
        return !targets.isEmpty();
    }

    private void emit(String line) {
        LogSink sink = LogSink.shared();
        for (LogTarget t : targets) {
            sink.log(t, INFO, line);
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return fromNanos == 0 || toNanos == 0 ? -1 : (toNanos - fromNanos) / 1_000_000;
    }

    /** One line per HTTP transaction, in HAProxy's httplog format (or its TCP format without httplog). */
    void http(HttpSession s, HttpTxn t, Map<String, Integer> conns) {
        long end = System.nanoTime();
        t.endNanos = end;
        if (format != null) {
            format(t, t);
            return;
        }
        StringBuilder sb = new StringBuilder(200);
        endpoint(sb, s.remote);
        sb.append(" [").append(ACCEPT_DATE.format(Instant.ofEpochMilli(t.startMillis))).append("] ");
        sb.append(s.frontend.name()).append(s.tlsEngine() != null ? "~" : "").append(' ');
        sb.append(t.backend == null ? s.frontend.name() : t.backend.name()).append('/')
                .append(t.loggedServer == null ? "<NOSRV>" : t.loggedServer).append(' ');
        long tw = ms(t.queueStart, t.queueEnd);
        long tc = ms(t.connectStart, t.connected);
        long tr = ms(t.connected, t.responseAt);
        long ta = (end - t.startNanos) / 1_000_000;
        if (http) {
            sb.append(0).append('/').append(t.queueStart == 0 ? 0 : tw).append('/').append(tc).append('/').append(tr)
                    .append('/').append(ta).append(' ').append(t.status).append(' ').append(t.bytesOut)
                    .append(' ').append(s.frontend.captures.cookieField(t.captures, false))
                    .append(' ').append(s.frontend.captures.cookieField(t.captures, true))
                    .append(' ').append(t.termination()).append(' ');
            counts(sb, s, t, conns);
            s.frontend.captures.appendLog(sb, t.captures);
            sb.append(" \"").append(t.requestLine).append('"');
        } else {
            sb.append(t.queueStart == 0 ? 0 : tw).append('/').append(tc).append('/').append(ta).append(' ')
                    .append(t.bytesOut).append(' ').append(t.termination(), 0, 2).append(' ');
            counts(sb, s, t, conns);
        }
        emit(sb.toString());
    }

    /** One line per mode tcp session: HAProxy's tcplog format. */
    void tcp(java.net.InetSocketAddress remote, long startMillis, String frontend, String backend, String server,
             long tw, long tc, long tt, long bytes, String termination, int feConns, int beConns, int srvConns, int retries) {
        StringBuilder sb = new StringBuilder(160);
        endpoint(sb, remote);
        sb.append(" [").append(ACCEPT_DATE.format(Instant.ofEpochMilli(startMillis))).append("] ").append(frontend).append(' ')
                .append(backend == null ? frontend : backend).append('/').append(server == null ? "<NOSRV>" : server).append(' ')
                .append(tw).append('/').append(tc).append('/').append(tt).append(' ').append(bytes).append(' ')
                .append(termination).append(' ').append(feConns).append('/').append(feConns).append('/').append(beConns)
                .append('/').append(srvConns).append('/').append(retries).append(" 0/0");
        emit(sb.toString());
    }

    /** "ip:port" of a connection end as logs and "show sess" print it; "-:-" when unknown. */
    static StringBuilder endpoint(StringBuilder sb, java.net.InetSocketAddress a) {
        return a == null ? sb.append("-:-") : sb.append(a.getAddress().getHostAddress()).append(':').append(a.getPort());
    }

    /** %ac/%fc/%bc/%sc/%rc %sq/%bq. */
    private static void counts(StringBuilder sb, HttpSession s, HttpTxn t, Map<String, Integer> conns) {
        int fe = s.frontend.state.counters.sessionsCurrent.get();
        int be = t.backend == null ? 0 : t.backend.state.counters.sessionsCurrent.get();
        int sv = t.loggedServerState == null ? 0 : t.loggedServerState.counters.sessionsCurrent.get();
        sb.append(conns.getOrDefault("all", fe)).append('/').append(fe).append('/').append(be).append('/').append(sv)
                .append('/').append(Math.max(0, t.connectAttempts - 1)).append(" 0/").append(t.backend == null ? 0
                        : t.backend.state.queueLength());
    }
}
