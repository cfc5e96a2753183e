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

    /**
     * No format at all (neither option httplog, tcplog nor log-format): HAProxy then logs each
     * connection once, when it is accepted, as "Connect from <src> to <dst> (<frontend>/<MODE>)",
     * and nothing when it ends.
     */
    final boolean connectOnly;

    /** log-format-sd: the structured-data part of rfc5424 lines, or null ("-"). */
    private final io.haquark.rules.LogFormat sd;
    /** error-log-format: the line of a connection that failed before a request, or null for HAProxy's default. */
    private io.haquark.rules.LogFormat errorFormat;

    private AccessLog(List<LogTarget> targets, boolean http, boolean dontLogNull, io.haquark.rules.LogFormat format, boolean connectOnly,
                      io.haquark.rules.LogFormat sd) {
        this.sd = sd;
        this.targets = targets;
        this.http = http;
        this.dontLogNull = dontLogNull;
        this.format = format;
        this.connectOnly = connectOnly;
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
        boolean connectOnly = format == null && !p.option("httplog") && !p.option("tcplog") && !p.option("httpslog");
        String sdText = p.setting("log-format-sd", null);
        io.haquark.rules.LogFormat sd = sdText == null ? null : io.haquark.rules.LogFormat.parseLog(sdText, java.nio.file.Path.of("."));
        AccessLog log = new AccessLog(List.copyOf(targets), p.option("httplog"), p.option("dontlognull"), format, connectOnly, sd);
        String err = p.setting("error-log-format", null);
        log.errorFormat = err == null ? null : io.haquark.rules.LogFormat.parseLog(err, java.nio.file.Path.of("."));
        return log;
    }

    /**
     * A connection that failed before a request (TLS handshake, PROXY header): error-log-format's
     * line, else, when the frontend logs with a format, HAProxy's "<src>:<port> [<date>]
     * <frontend>/<bind>: <error>"; a frontend that only logs connections says nothing (as HAProxy).
     */
    void connectionError(ConnectionError e) {
        if (targets.isEmpty()) {
            return;
        }
        if (errorFormat != null) {
            StringBuilder sb = new StringBuilder(128);
            errorFormat.append(sb, e, e);
            emit(sb.toString(), structured(e, e));
            return;
        }
        if (connectOnly) {
            return;
        }
        StringBuilder sb = new StringBuilder(128);
        endpoint(sb, e.source());
        sb.append(" [").append(ACCEPT_DATE.format(Instant.ofEpochMilli(e.acceptMillis()))).append("] ").append(e.frontendName())
                .append('/').append(e.bindLabel()).append(": ").append(io.haquark.acl.ConnectionFetches.connectionErrorText(e.code));
        emit(sb.toString(), structured(e, e));
    }

    /** A connection accepted (after its PROXY header and the tcp-request connection rules) by a frontend without a log format. */
    void connected(java.net.InetSocketAddress src, java.net.InetSocketAddress dst, String frontend, boolean httpMode) {
        if (connectOnly && enabled()) {
            StringBuilder sb = new StringBuilder(96).append("Connect from ");
            endpoint(sb, src).append(" to ");
            endpoint(sb, dst).append(" (").append(frontend).append('/').append(httpMode ? "HTTP" : "TCP").append(')');
            emit(sb.toString(), null);
        }
    }

    /** One log-format line about a finished transaction or TCP session. */
    private void format(io.haquark.acl.SampleSource s, io.haquark.logging.LogFields f) {
        StringBuilder sb = new StringBuilder(200);
        format.append(sb, s, f);
        emit(sb.toString(), structured(s, f));
    }

    boolean enabled() {
        return !targets.isEmpty();
    }

    /** The line's structured data (log-format-sd), only built when some target writes rfc5424. */
    private String structured(io.haquark.acl.SampleSource s, io.haquark.logging.LogFields f) {
        if (sd == null) {
            return null;
        }
        for (LogTarget t : targets) {
            if (t.format().equals("rfc5424")) {
                StringBuilder sb = new StringBuilder(64);
                sd.append(sb, s, f);
                return sb.toString();
            }
        }
        return null;
    }

    private void emit(String line, String structuredData) {
        LogSink sink = LogSink.shared();
        for (LogTarget t : targets) {
            sink.log(t, INFO, line, structuredData);
        }
    }

    /** One line per HTTP transaction: the log-format, HAProxy's httplog line, or its TCP format without httplog. */
    void http(HttpTxn t) {
        t.endNanos = System.nanoTime();
        if (connectOnly) {
            return;
        }
        HttpTxnLog f = new HttpTxnLog(t);
        if (format != null) {
            format(t, f);
            return;
        }
        StringBuilder sb = head(t, f);
        if (http) {
            sb.append(f.requestTime()).append('/').append(f.queueTime()).append('/').append(f.connectTime()).append('/')
                    .append(f.responseTime()).append('/').append(f.activeTime()).append(' ').append(f.statusCode()).append(' ')
                    .append(f.bytesToClient()).append(' ').append(f.capturedCookie(false)).append(' ').append(f.capturedCookie(true))
                    .append(' ').append(f.terminationState()).append(' ');
            counts(sb, f, f.backendQueue());
            t.session.frontend.captures.appendLog(sb, t.captures);
            sb.append(" \"").append(f.requestLine()).append('"');
        } else {
            sb.append(f.queueTime()).append('/').append(f.connectTime()).append('/').append(f.activeTime()).append(' ')
                    .append(f.bytesToClient()).append(' ').append(f.terminationState(), 0, 2).append(' ');
            counts(sb, f, f.backendQueue());
        }
        emit(sb.toString(), structured(t, f));
    }

    /** One line per mode tcp session: the log-format, or HAProxy's tcplog line. */
    void tcp(TcpSession s) {
        if (connectOnly) {
            return;
        }
        if (format != null) {
            format(s, s);
            return;
        }
        StringBuilder sb = head(s, s);
        sb.append(s.queueTime()).append('/').append(s.connectTime()).append('/').append(s.totalTime()).append(' ')
                .append(s.bytesToClient()).append(' ').append(s.terminationState(), 0, 2).append(' ');
        counts(sb, s, 0);   // the tcplog line has always shown 0/0 for the queues
        emit(sb.toString(), structured(s, s));
    }

    /** "%ci:%cp [%tr] %ft %b/%s ": the start every built-in line shares. */
    private static StringBuilder head(io.haquark.acl.SampleSource s, io.haquark.logging.LogFields f) {
        StringBuilder sb = new StringBuilder(200);
        endpoint(sb, s.source());
        sb.append(" [").append(ACCEPT_DATE.format(Instant.ofEpochMilli(f.acceptMillis()))).append("] ").append(f.frontendLabel())
                .append(' ').append(s.backendName() == null ? s.frontendName() : s.backendName()).append('/').append(f.serverName())
                .append(' ');
        return sb;
    }

    /** %ac/%fc/%bc/%sc/%rc %sq/%bq. */
    private static void counts(StringBuilder sb, io.haquark.logging.LogFields f, int backendQueue) {
        sb.append(f.processConnections()).append('/').append(f.frontendConnections()).append('/').append(f.backendConnections())
                .append('/').append(f.serverConnections()).append('/').append(f.retries()).append(' ').append(f.serverQueue())
                .append('/').append(backendQueue);
    }

    /** "ip:port" of a connection end as logs and "show sess" print it; "-:-" when unknown. */
    static StringBuilder endpoint(StringBuilder sb, java.net.InetSocketAddress a) {
        return a == null ? sb.append("-:-") : sb.append(a.getAddress().getHostAddress()).append(':').append(a.getPort());
    }

}
