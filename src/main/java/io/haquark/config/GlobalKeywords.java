package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Keywords of the {@code global} section (configuration.txt §3). */
final class GlobalKeywords {
    interface Parser {
        void parse(LoadContext ctx, GlobalBuilder g, ConfigLine line);
    }

    record Def(String keyword, Support support, String note, Parser parser) {
    }

    static final Map<String, Def> KEYWORDS = new LinkedHashMap<>();
    /** setenv/presetenv/unsetenv/resetenv change the environment later lines expand. */
    static Function<String, String> envOverlay;

    private static void add(String kw, Support s, String note, Parser p) {
        KEYWORDS.put(kw, new Def(kw, s, note, p));
    }

    private static void notYet(String note, String... kws) {
        for (String kw : kws) {
            add(kw, Support.NOT_YET, note, (ctx, g, line) -> ctx.unsupported(line, kw));
        }
    }

    /** Process-level settings that a JVM process has no use for: accepted without effect. */
    private static void noEffect(String note, String... kws) {
        for (String kw : kws) {
            add(kw, Support.PARTIAL, note, (ctx, g, line) -> { });
        }
    }

    private static void caseAdjust(GlobalBuilder g, String from, String to) {
        if (!from.equalsIgnoreCase(to)) {
            throw new KeywordError("'h1-case-adjust' : '" + from + "' and '" + to + "' are not the same name in different cases.");
        }
        g.tune.put("h1-case-adjust:" + from.toLowerCase(java.util.Locale.ROOT), to);
    }

    private static int positiveInt(ConfigLine line) {
        ProxyKeywords.needArgs(line, 1, "an integer argument");
        ProxyKeywords.noExtra(line, 2);
        int v = Values.integer(line.arg(1), line.keyword());
        if (v < 0) {
            throw new KeywordError("'" + line.keyword() + "' expects a positive integer argument.");
        }
        return v;
    }

    static {
        add("daemon", Support.SUPPORTED, null, (ctx, g, line) -> g.daemon = true);
        add("master-worker", Support.PARTIAL, "one JVM process; the flag is accepted", (ctx, g, line) -> g.masterWorker = true);
        add("maxconn", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "an integer argument");
            ProxyKeywords.noExtra(line, 2);
            g.maxconn = ctx.lenientInt(line, line.arg(1), "maxconn");
        });
        add("nbthread", Support.SUPPORTED, "sets the number of Vert.x event loops (when launched with bin/haquark)", (ctx, g, line) -> {
            if (!Values.isCleanInteger(line.arg(1))) {
                throw new KeywordError("'nbthread' passed a missing or unparsable integer value in '" + line.arg(1) + "'");
            }
            g.nbthread = positiveInt(line);
        });
        add("pidfile", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a file name");
            g.pidfile = line.arg(1);
        });
        add("user", Support.PARTIAL, "accepted; a JVM cannot drop privileges itself", (ctx, g, line) -> g.user = line.arg(1));
        add("group", Support.PARTIAL, "accepted; a JVM cannot drop privileges itself", (ctx, g, line) -> g.group = line.arg(1));
        add("uid", Support.PARTIAL, "accepted; a JVM cannot drop privileges itself", (ctx, g, line) -> g.user = line.arg(1));
        add("gid", Support.PARTIAL, "accepted; a JVM cannot drop privileges itself", (ctx, g, line) -> g.group = line.arg(1));
        add("chroot", Support.PARTIAL, "accepted; a JVM cannot chroot itself", (ctx, g, line) -> g.chroot = line.arg(1));
        add("log", Support.PARTIAL, "stdout, stderr, UDP syslog and Unix datagram sockets (/dev/log) in rfc3164, rfc5424 or raw; ring@ and tcp@ targets not yet (warned)", (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "<address> and <facility>");
            g.logTargets.add(String.join(" ", line.from(1)));
            String cannot = io.haquark.logging.LogTarget.unsupported(String.join(" ", line.from(1)));
            if (cannot != null) {
                ctx.unsupported(line, cannot);
            }
        });
        add("stats", Support.PARTIAL, "stats socket: runtime API subset (show info/stat/servers state/backend, enable/disable server, set server state|health|weight, get/set weight), levels user/operator read-only", (ctx, g, line) -> {
            switch (line.arg(1)) {
                case "socket" -> {
                    ProxyKeywords.needArgs(line, 2, "an address");
                    g.statsSockets.add(String.join(" ", line.from(2)));
                }
                case "timeout" -> g.statsTimeout = Values.time(line.arg(2), "stats timeout");
                case "maxconn" -> Values.integer(line.arg(2), "stats maxconn");
                case "bind-process" -> { }
                default -> throw new KeywordError("'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got '" + line.arg(1) + "').");
            }
        });
        add("hard-stop-after", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a time");
            g.hardStopAfter = Values.time(line.arg(1), "hard-stop-after");
        });
        add("tune.bufsize", Support.SUPPORTED, null, (ctx, g, line) -> g.bufsize = positiveInt(line));
        // Idle server connections of one event loop may serve the others (HAProxy's threads), unless "off".
        add("tune.idle-pool.shared", Support.SUPPORTED, null, (ctx, g, line) -> {
            String v = line.arg(1);
            if (!v.equals("on") && !v.equals("off")) {
                throw new KeywordError("'tune.idle-pool.shared' expects either 'on' or 'off' but got '" + v + "'.");
            }
            g.tune.put("tune.idle-pool.shared", v);
        });
        add("tune.maxrewrite", Support.SUPPORTED, null, (ctx, g, line) -> g.maxrewrite = positiveInt(line));
        add("tune.http.maxhdr", Support.SUPPORTED, null, (ctx, g, line) -> {
            int v = positiveInt(line);
            if (v < 1 || v > 32767) {
                throw new KeywordError("'tune.http.maxhdr' expects a numeric value between 1 and 32767");
            }
            g.maxHeaders = v;
        });
        add("node", Support.SUPPORTED, null, (ctx, g, line) -> g.node = line.arg(1));
        add("description", Support.SUPPORTED, null, (ctx, g, line) -> g.description = String.join(" ", line.from(1)));
        add("quiet", Support.SUPPORTED, null, (ctx, g, line) -> g.quiet = true);
        // set-var / set-var-fmt <proc.name> <expr|fmt> (configuration.txt §3.1): evaluated once at
        // start-up, where only process-wide variables and fetches without a stream exist.
        for (String kw : new String[] {"set-var", "set-var-fmt"}) {
            add(kw, Support.SUPPORTED, "evaluated at start-up (and again at each reload, as a new HAProxy process does)", (ctx, g, line) -> {
                ProxyKeywords.needArgs(line, 2, "a variable name followed by a " + (kw.equals("set-var") ? "sample expression" : "log-format string"));
                ProxyKeywords.noExtra(line, 3);
                if (io.haquark.state.Variables.Scope.of(line.arg(1)) != io.haquark.state.Variables.Scope.PROC) {
                    throw new KeywordError("'" + kw + "': variable name '" + line.arg(1)
                            + "' must start with 'proc.' in the global section (only process-wide variables exist there).");
                }
                g.setVars.add(new io.haquark.model.Rule("global", kw + "(" + line.arg(1) + ")", List.of(line.arg(2)), null,
                        new io.haquark.model.Location(line.file(), line.number())));
            });
        }
        add("setenv", Support.SUPPORTED, null, (ctx, g, line) -> ProxyKeywords.needArgs(line, 2, "a name and a value"));
        add("presetenv", Support.SUPPORTED, null, (ctx, g, line) -> ProxyKeywords.needArgs(line, 2, "a name and a value"));
        add("unsetenv", Support.SUPPORTED, null, (ctx, g, line) -> ProxyKeywords.needArgs(line, 1, "a name"));
        add("resetenv", Support.SUPPORTED, null, (ctx, g, line) -> { });
        // Experimental directives (normalize-uri in 2.6) are refused unless this comes first, as in HAProxy.
        add("expose-experimental-directives", Support.SUPPORTED, null, (ctx, g, line) -> ctx.experimental = true);
        noEffect("no effect on a JVM (Netty picks the poller)", "ulimit-n", "maxpipes", "maxsslconn", "maxzlibmem",
                "noepoll", "nokqueue", "nopoll", "nosplice", "noevports", "nogetaddrinfo", "noreuseport",
                "spread-checks", "busy-polling", "max-spread-checks", "cpu-map", "numa-cpu-mapping",
                "tune.maxaccept", "tune.maxpollevents", "tune.recv_enough", "tune.idletimer", "tune.runqueue-depth",
                "tune.sched.low-latency", "tune.pipesize", "tune.rcvbuf.client", "tune.rcvbuf.server",
                "tune.sndbuf.client", "tune.sndbuf.server", "tune.pattern.cache-size",
                "tune.fd.edge-triggered", "tune.listener.multi-queue", "tune.pool-low-fd-ratio",
                "tune.pool-high-fd-ratio", "thread-groups", "thread-group",
                "strict-limits", "insecure-setuid-wanted", "mworker-max-reloads",
                "localpeer", "profiling.tasks", "set-dumpable", "unix-bind",
                "grace", "fd-hard-limit", "nbproc", "tune.zlib.memlevel", "tune.zlib.windowsize", "tune.comp.maxlevel",
                "tune.h2.header-table-size", "tune.h2.initial-window-size", "tune.h2.max-concurrent-streams",
                "tune.h2.max-frame-size", "tune.http.cookielen", "tune.http.logurilen", "tune.vars.global-max-size",
                "tune.vars.proc-max-size", "tune.vars.reqres-max-size", "tune.vars.sess-max-size",
                "tune.vars.txn-max-size", "tune.buffers.limit", "tune.buffers.reserve", "tune.chksize",
                "tune.peers.max-updates-at-once",
                "h2-workaround-bogus-websocket-clients",
                "pp2-never-send-local", "cluster-secret", "default-path",
                "httpclient.resolvers.id", "httpclient.resolvers.prefer", "httpclient.ssl.verify",
                "httpclient.ssl.ca-file");
        // log-tag <tag>: the syslog tag (program name) of every line; log-send-hostname [<name>]:
        // lines carry a host name (the machine's when none is given).
        add("log-tag", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a tag");
            g.tune.put("log-tag", line.arg(1));
        });
        add("log-send-hostname", Support.SUPPORTED, null, (ctx, g, line) ->
                g.tune.put("log-send-hostname", line.size() > 1 ? line.arg(1) : io.haquark.logging.LogSink.localHostName()));
        for (String kw : new String[] {"ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites", "ssl-default-server-ciphers",
            "ssl-default-server-ciphersuites"}) {
            boolean server = kw.contains("server");
            add(kw, server ? Support.PARTIAL : Support.SUPPORTED, server ? "accepted; connections to servers use the TLS library's cipher defaults"
                    : "OpenSSL cipher list (BoringSSL through netty-tcnative), for binds without their own 'ciphers'", (ctx, g, line) -> {
                ProxyKeywords.needArgs(line, 1, "a cipher suite");
                g.sslDefaults.put(kw, line.arg(1));
            });
        }
        add("crt-base", Support.SUPPORTED, "directory for relative 'crt' names", (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a directory");
            ctx.crtBase = line.arg(1);
        });
        add("ca-base", Support.SUPPORTED, "directory for relative 'ca-file' names", (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a directory");
            ctx.caBase = line.arg(1);
        });
        for (String kw : new String[] {"ssl-default-bind-options", "ssl-default-server-options"}) {
            add(kw, Support.PARTIAL, kw.contains("server") ? "accepted; connections to servers use the TLS library's version defaults"
                    : "ssl-min-ver, ssl-max-ver, no-sslv3, no-tlsv1x, force-tlsv1x; no-tls-tickets and prefer-client-ciphers accepted without effect",
                    (ctx, g, line) -> {
                        ProxyKeywords.needArgs(line, 1, "an option");
                        g.sslDefaults.put(kw, String.join(" ", line.from(1)));
                        for (String o : line.from(1)) {
                            if (!TlsOptions.known(o)) {
                                ctx.unsupported(line, kw + " '" + o + "'");
                            }
                        }
                    });
        }
        // ssl-server-verify none|required: what servers without their own "verify" do (required by default).
        add("ssl-server-verify", Support.SUPPORTED, null, (ctx, g, line) -> {
            String v = line.arg(1);
            if (!v.equals("none") && !v.equals("required")) {
                throw new KeywordError("'ssl-server-verify' expects 'none' or 'required' as argument.");
            }
            g.sslDefaults.put("ssl-server-verify", v);
        });
        // tune.ssl.cachesize <n> (0: no session cache) / tune.ssl.lifetime <time> (seconds by default).
        add("tune.ssl.cachesize", Support.PARTIAL, "sizes the TLS session cache (0: none); resumption by ticket is unaffected, as no-tls-tickets is not yet (not compared)", (ctx, g, line) ->
                g.tune.put("tune.ssl.cachesize", String.valueOf(positiveInt(line))));
        add("tune.ssl.lifetime", Support.PARTIAL, "how long a cached TLS session may be resumed (not compared)", (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a time argument");
            String v = line.arg(1);
            long secs = v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Values.time(v, "tune.ssl.lifetime") / 1000;
            g.tune.put("tune.ssl.lifetime", String.valueOf(secs));
        });
        add("ssl-default-bind-curves", Support.SUPPORTED, "the key exchange groups of binds without curves or ecdhe", (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a curves list");
            g.sslDefaults.put("ssl-default-bind-curves", line.arg(1));
        });
        notYet("TLS comes with the layer 4 / TLS issue", "ssl-dh-param-file", "ssl-mode-async", "ssl-load-extra-files", "ssl-load-extra-del-ext", "ssl-skip-self-issued-ca",
                "ssl-propquery", "ssl-provider", "ssl-provider-path", "issuers-chain-path",
                "tune.ssl.maxrecord",
                "tune.ssl.force-private-cache", "tune.ssl.capture-buffer-size", "tune.ssl.capture-cipherlist-size",
                "tune.ssl.ssl-ctx-cache-size", "tune.ssl.keylog", "tune.ssl.hard-maxrecord");
        // h1-case-adjust <from> <to>: the case a header name leaves in, towards HTTP/1 peers whose
        // proxy enables option h1-case-adjust-bogus-client / -server (configuration.txt §3.2).
        add("h1-case-adjust", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 2, "<from> and <to> as arguments");
            caseAdjust(g, line.arg(1), line.arg(2));
        });
        add("h1-case-adjust-file", Support.SUPPORTED, null, (ctx, g, line) -> {
            ProxyKeywords.needArgs(line, 1, "a filename as argument");
            java.util.List<String> lines;
            try {
                lines = java.nio.file.Files.readAllLines(ctx.path(line.arg(1)));
            } catch (java.io.IOException e) {
                throw new KeywordError("'h1-case-adjust-file' : failed to open file '" + line.arg(1) + "'.");
            }
            for (int n = 0; n < lines.size(); n++) {
                String l = lines.get(n).trim();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] w = l.split("\\s+");
                if (w.length != 2) {
                    throw new KeywordError("'h1-case-adjust-file' : expects exactly two words per line, at line " + (n + 1) + ".");
                }
                caseAdjust(g, w[0], w[1]);
            }
        });
        // HTTP/1.0 GET, HEAD and DELETE requests with a body are refused (413) unless this is set.
        add("h1-accept-payload-with-any-method", Support.SUPPORTED, null,
                (ctx, g, line) -> g.tune.put("h1-accept-payload-with-any-method", "on"));
        noEffect("memory and allocation debugging of HAProxy's C runtime; nothing to tune in the JVM",
                "no-memory-trimming", "tune.fail-alloc", "tune.vars.check-max-size");
        noEffect("accepted; idle connections are closed at once on a soft stop", "close-spread-time");
        notYet("Lua is not planned for a JVM proxy", "lua-load", "lua-load-per-thread", "lua-prepend-path",
                "tune.lua.forced-yield", "tune.lua.maxmem", "tune.lua.session-timeout", "tune.lua.task-timeout",
                "tune.lua.service-timeout");
        notYet("server state files", "server-state-file", "server-state-base");
        // BoringSSL, haquark's TLS engine, offers no finite-field DHE key exchange: there is no DH
        // parameter to size, so the setting is checked and has nothing to act on.
        add("tune.ssl.default-dh-param", Support.PARTIAL, "accepted; BoringSSL has no DHE key exchange, so no DH parameter is used",
                (ctx, g, line) -> {
                    ProxyKeywords.needArgs(line, 1, "an integer argument");
                    if (!Values.isCleanInteger(line.arg(1)) || Integer.parseInt(line.arg(1)) < 1024) {
                        throw new KeywordError("'tune.ssl.default-dh-param' expects a value >= 1024.");
                    }
                });
        add("external-check", Support.SUPPORTED, "allows 'option external-check' (the scripts run with a cleared environment, as HAProxy runs them; 'preserve-env' keeps it)",
                (ctx, g, line) -> {
                    g.externalCheck = true;
                    g.externalCheckPreserveEnv = line.arg(1).equals("preserve-env");
                });
        add("insecure-fork-wanted", Support.SUPPORTED, "external checks may start processes", (ctx, g, line) -> g.insecureFork = true);
    }

    private GlobalKeywords() {
    }
}
