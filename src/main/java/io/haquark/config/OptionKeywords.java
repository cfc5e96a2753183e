package io.haquark.config;

import io.haquark.model.ForwardFor;
import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code option <name> [args]} and {@code no option <name>} (configuration.txt §4,
 * "option ..."). Boolean options land in the proxy's option map; options with arguments
 * (forwardfor, httpchk, the check types) have their own small parse function.
 */
final class OptionKeywords {
    interface Parser {
        void parse(LoadContext ctx, ProxyBuilder p, ConfigLine line, boolean enable, int argStart);
    }

    record Def(String name, int caps, Support support, String note, boolean negatable, Parser parser) {
    }

    static final Map<String, Def> OPTIONS = new LinkedHashMap<>();

    private static void bool(String name, int caps, Support s, String note) {
        OPTIONS.put(name, new Def(name, caps, s, note, true, (ctx, p, line, on, a) -> {
            ProxyKeywords.noExtra(line, a + 1);
            p.options.put(name, on);
        }));
    }

    /** An option HAProxy removed before 2.6: refused with HAProxy's message, negated or not. */
    private static void rejected(String name, String message) {
        OPTIONS.put(name, new Def(name, ProxyKeywords.DEF | ProxyKeywords.FE | ProxyKeywords.BE, Support.REJECTED,
                "removed from HAProxy", true, (ctx, p, line, on, a) -> {
                    throw new KeywordError(message);
                }));
    }

    private static void withArgs(String name, int caps, Support s, String note, Parser parser) {
        OPTIONS.put(name, new Def(name, caps, s, note, false, parser));
    }

    /** A health check type: {@code option httpchk}, {@code option mysql-check user x} ... */
    private static void checkType(String name, String type, Support s, String note) {
        withArgs(name, ProxyKeywords.BE | ProxyKeywords.DEF, s, note, (ctx, p, line, on, a) -> {
            p.checkType = type;
            p.options.put(name, true);
        });
    }

    /** option mysql-check [user <name> [post-41|pre-41]] / option pgsql-check user <name>: the arguments are kept for the check plan. */
    private static void databaseCheck(String name, String type, Support s, String note) {
        withArgs(name, ProxyKeywords.BE | ProxyKeywords.DEF, s, note, (ctx, p, line, on, a) -> {
            List<String> args = new java.util.ArrayList<>();
            for (int i = a + 1; i < line.size(); i++) {
                args.add(line.arg(i));
            }
            if (type.equals("pgsql") && (args.isEmpty() || !args.get(0).equals("user"))) {
                throw new KeywordError("'option pgsql-check' expects 'user <username>' as argument.");
            }
            if (!args.isEmpty() && args.get(0).equals("user") && args.size() < 2) {
                throw new KeywordError("'option " + name + " user' expects <username> as argument.");
            }
            if (args.size() > 2 && type.equals("mysql") && !args.get(2).equals("post-41") && !args.get(2).equals("pre-41")) {
                throw new KeywordError("'option mysql-check user <username>' only supports 'post-41' or 'pre-41', got '" + args.get(2) + "'.");
            }
            p.checkType = type;
            p.options.put(name, true);
            p.checkSteps.removeIf(r -> r.keyword().equals("option"));
            p.checkSteps.add(new io.haquark.model.Rule("option", name, args, null, ProxyKeywords.loc(line)));
        });
    }

    static {
        int fe = ProxyKeywords.FE | ProxyKeywords.DEF;
        int be = ProxyKeywords.BE | ProxyKeywords.DEF;
        int all = ProxyKeywords.ALL;
        Support ok = Support.SUPPORTED;
        Support part = Support.PARTIAL;
        Support no = Support.NOT_YET;
        bool("http-keep-alive", all, ok, null);
        bool("http-server-close", all, ok, null);
        bool("httpclose", all, ok, null);
        rejected("forceclose", "option 'forceclose' is not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' if absolutely needed.");
        withArgs("redispatch", be, ok, null, (ctx, p, line, on, a) -> {
            // option redispatch [<interval>]: every Pth retry (P > 0) or the Nth before the last (N < 0).
            ProxyKeywords.noExtra(line, a + 2);
            p.options.put("redispatch", on);
            if (line.size() > a + 1) {
                int v = Values.integer(line.arg(a + 1), "option redispatch");
                if (v == 0) {
                    throw new KeywordError("'option redispatch' : the interval must not be 0.");
                }
                p.redispatchInterval = v;
            }
        });
        bool("allbackups", be, ok, null);
        bool("abortonclose", be, ok, null);
        bool("accept-invalid-http-request", fe, part, "relaxes header name checks only");
        bool("accept-invalid-http-response", be, part, "relaxes header name checks only");
        bool("dontlognull", fe, ok, "connections without a request are never logged");
        bool("dontlog-normal", fe, part, "kept; access logs come with the operations issue");
        bool("log-separate-errors", fe, part, "kept; access logs come with the operations issue");
        bool("logasap", fe, part, "kept; access logs come with the operations issue");
        bool("log-health-checks", be, ok, "each check whose status or health changes is logged to the backend's log targets (and stderr) in HAProxy's wording");
        bool("clitcpka", fe, ok, "SO_KEEPALIVE on client sockets");
        bool("srvtcpka", be, ok, "SO_KEEPALIVE on server sockets");
        bool("tcpka", all, ok, "SO_KEEPALIVE on both sides");
        bool("tcp-smart-accept", fe, ok, "no effect needed: Netty accepts without delay");
        bool("tcp-smart-connect", be, ok, "no effect needed");
        bool("nolinger", all, part, "accepted");
        bool("contstats", fe, ok, "counters are always continuous");
        bool("socket-stats", fe, no, "per-listener stats");
        bool("checkcache", be, ok, "a cacheable response that sets a cookie is reported and replaced by the page of its status, as HAProxy 2.6 does");
        bool("http-buffer-request", all, part, "a frontend's http-request rules wait for the body (up to a buffer, timeout http-request); a backend's is not applied yet");
        bool("http-ignore-probes", fe, part, "accepted");
        bool("http-no-delay", all, ok, "TCP_NODELAY is always set");
        bool("http-pretend-keepalive", all, part, "accepted");
        bool("http-use-proxy-header", fe, ok, "HAProxy 2.6 gives it no effect of its own (Proxy-Connection is passed on either way; compared)");
        // option http-restrict-req-hdr-names preserve|delete|reject (configuration.txt §4.2).
        withArgs("http-restrict-req-hdr-names", all, ok, "headers whose name has a character other than a letter, a digit or '-' are kept, deleted or refused (403)",
                (ctx, p, line, on, a) -> {
                    String mode = line.arg(a + 1);
                    if (!Set.of("preserve", "delete", "reject").contains(mode)) {
                        throw new KeywordError("'option http-restrict-req-hdr-names' expects 'preserve', 'delete' or 'reject'.");
                    }
                    p.options.keySet().removeIf(k -> k.startsWith("http-restrict-req-hdr-names"));
                    p.options.put("http-restrict-req-hdr-names:" + mode, true);
                });
        bool("h1-case-adjust-bogus-client", fe, ok, "names listed by global h1-case-adjust leave in their case towards HTTP/1 clients");
        bool("h1-case-adjust-bogus-server", be, ok, "names listed by global h1-case-adjust leave in their case towards HTTP/1 servers");
        bool("disable-h2-upgrade", fe, ok, null);
        bool("independent-streams", all, part, "accepted");
        bool("persist", be, ok, null);
        bool("prefer-last-server", be, ok, "a client's next request goes to the server of the connection it holds (http-reuse never), when usable and not full (not with hash balancing); pooled connections are balanced again, as in HAProxy 2.6");
        bool("splice-auto", all, ok, "Netty decides; no effect");
        bool("splice-request", all, ok, "Netty decides; no effect");
        bool("splice-response", all, ok, "Netty decides; no effect");
        bool("transparent", be, ok, "a backend without servers connects to the address the client reached (set-dst and set-dst-port change it)");
        rejected("http_proxy", "option 'http_proxy' is not supported any more since HAProxy 2.5. This option stopped working in HAProxy 1.9 and usually had nasty side effects. It can be more reliably implemented with combinations of 'http-request set-dst' and 'http-request set-uri', and even 'http-request do-resolve' if DNS resolution is desired."); 
        bool("idle-close-on-response", fe, part, "accepted");
        withArgs("httplog", all, ok, "HAProxy's httplog line to the proxy's log targets (%B counts bytes sent to the client)", (ctx, p, line, on, a) -> {
            if (line.size() > a + 1 && !line.arg(a + 1).equals("clf")) {
                throw new KeywordError("'option httplog' only supports 'clf' option.");
            }
            p.options.put("httplog", on);
            p.options.remove("tcplog");
            p.logFormat = null;   // the last of log-format / option httplog|tcplog wins, as in HAProxy
        });
        withArgs("tcplog", all, ok, "HAProxy's tcplog line per mode tcp session", (ctx, p, line, on, a) -> {
            p.options.put("tcplog", on);
            p.options.remove("httplog");
            p.logFormat = null;
        });
        withArgs("forwardfor", all, ok, null, (ctx, p, line, on, a) -> {
            String except = null;
            String header = "X-Forwarded-For";
            boolean ifNone = false;
            for (int i = a + 1; i < line.size(); i++) {
                switch (line.arg(i)) {
                    case "except" -> {
                        except = line.arg(++i);
                        if (except.isEmpty()) {
                            throw new KeywordError("missing address/netmask after 'except' in 'option forwardfor'.");
                        }
                    }
                    case "header" -> {
                        header = line.arg(++i);
                        if (header.isEmpty()) {
                            throw new KeywordError("missing header name after 'header' in 'option forwardfor'.");
                        }
                    }
                    case "if-none" -> ifNone = true;
                    default -> throw new KeywordError("'option forwardfor' only supports optional values 'except', 'header' and 'if-none'.");
                }
            }
            p.forwardFor = new ForwardFor(except, header, ifNone);
            p.options.put("forwardfor", true);
        });
        // option originalto [except <network>] [header <name>]: X-Original-To with the destination address.
        withArgs("originalto", all, ok, null, (ctx, p, line, on, a) -> {
            String except = null;
            String header = "X-Original-To";
            for (int i = a + 1; i < line.size(); i++) {
                switch (line.arg(i)) {
                    case "except" -> {
                        except = line.arg(++i);
                        if (except.isEmpty()) {
                            throw new KeywordError("missing address/netmask after 'except' in 'option originalto'.");
                        }
                    }
                    case "header" -> {
                        header = line.arg(++i);
                        if (header.isEmpty()) {
                            throw new KeywordError("missing header name after 'header' in 'option originalto'.");
                        }
                    }
                    default -> throw new KeywordError("'option originalto' only supports optional values 'except' and 'header'.");
                }
            }
            p.originalTo = new ForwardFor(except, header, false);
            p.options.put("originalto", true);
        });
        withArgs("httpchk", be, ok, null, (ctx, p, line, on, a) -> {
            List<String> args = line.from(a + 1);
            p.checkType = "http";
            p.options.put("httpchk", true);
            // option httpchk [<uri>] | [<method> <uri> [<version>]]
            switch (args.size()) {
                case 0 -> { }
                case 1 -> p.httpchkUri = args.get(0);
                case 2 -> {
                    p.httpchkMethod = args.get(0);
                    p.httpchkUri = args.get(1);
                }
                default -> {
                    p.httpchkMethod = args.get(0);
                    p.httpchkUri = args.get(1);
                    p.httpchkVersion = String.join(" ", args.subList(2, args.size()));
                }
            }
        });
        checkType("tcp-check", "tcp-check", ok, null);
        checkType("ssl-hello-chk", "ssl-hello", part, "sends a TLS ClientHello, expects a handshake record");
        databaseCheck("mysql-check", "mysql", ok, "the server's greeting (version as info); with 'user', a login (post-41 or pre-41) and its answer, error code and message reported");
        databaseCheck("pgsql-check", "pgsql", ok, "a StartupMessage for 'user'; an authentication request passes, an error reports its severity");
        checkType("redis-check", "redis", part, "PING/+PONG");
        checkType("smtpchk", "smtp", part, "expects a 2xx greeting");
        checkType("ldap-check", "ldap", ok, "an anonymous LDAPv3 bind; resultCode 0 passes, others fail with their code");
        checkType("spop-check", "spop", no, "SPOP check");
        checkType("external-check", "external", ok, "runs 'external-check command' with HAProxy's arguments and environment; exit status 0 is a pass");
    }

    static void parse(LoadContext ctx, ProxyBuilder p, ConfigLine line, boolean enable, int nameIndex) {
        String name = line.arg(nameIndex);
        Def def = OPTIONS.get(name);
        if (def == null) {
            throw new KeywordError("unknown option '" + name + "'.");
        }
        if (!enable && !def.negatable() && !name.equals("forwardfor") && !name.equals("httplog") && !name.equals("tcplog")) {
            throw new KeywordError("negation/default is not supported for option '" + name + "'.");
        }
        int caps = LoadContext.capsOf(p);
        if ((def.caps() & caps) == 0) {
            throw new LoadContext.CapabilityWarning("'option " + name + "' ignored because " + p.describe()
                    + " has no " + (p.type.hasFrontend() ? "backend" : "frontend") + " capability.");
        }
        if (!enable) {
            p.options.put(name, false);
            if (name.equals("forwardfor")) {
                p.forwardFor = null;
            }
            return;
        }
        def.parser().parse(ctx, p, line, true, nameIndex);
        if (def.support() == Support.NOT_YET) {
            ctx.unsupported(line, "option " + name);
        }
    }

    private OptionKeywords() {
    }
}
