package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Server;
import io.haquark.model.Values;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code server <name> <address>[:[port]] [param*]} and {@code default-server [param*]}. */
public final class ServerLines {

    static void parse(LoadContext ctx, ProxyBuilder p, ConfigLine line, boolean defaults) {
        int paramsFrom;
        String name = null;
        String addr = null;
        if (defaults) {
            paramsFrom = 1;
        } else {
            if (line.size() < 3 || line.arg(1).isEmpty() || line.arg(2).isEmpty()) {
                throw new KeywordError("[" + line.location() + "] : 'server' expects <name> and <addr>[:<port>] as arguments.", true);
            }
            name = line.arg(1);
            addr = line.arg(2);
            paramsFrom = 3;
            for (Server s : p.servers) {
                if (s.name().equals(name)) {
                    throw new KeywordError(p.describe() + ", another server named '" + name
                            + "' was already defined at line " + s.where().line() + ", please use distinct names.");
                }
            }
        }
        String id = defaults ? null : p.name + "/" + name;
        ServerSettings s = defaults ? p.defaultServer : p.defaultServer.copy();
        String[] w = line.words().toArray(new String[0]);
        keywords(s, w, paramsFrom, msg -> serverError(line, id, msg), def -> {
            if (def.support() == Support.NOT_YET) {
                ctx.unsupported(line, "server keyword '" + def.keyword() + "'");
            }
        });
        for (String warning : s.warnings) {
            ctx.diag.warning(line, warning);
        }
        if (s.options.containsKey("crt")) {
            // configuration.txt §5.2 "crt": relative to crt-base; a file that cannot be read stops the load.
            String crt = LoadContext.under(ctx.crtBase, s.options.get("crt"));
            java.nio.file.Path f = ctx.path(crt);
            if (!java.nio.file.Files.isReadable(f)) {
                throw new KeywordError("[" + line.location() + "] : '" + (defaults ? "default-server" : "server " + id)
                        + "' : unable to stat SSL certificate from file '" + crt + "' : No such file or directory.", true);
            }
            s.options.put("crt", f.toString());
        }
        s.warnings.clear();
        if (defaults) {
            return;
        }
        if (s.options.containsKey("agent-check") && !s.options.containsKey("agent-port")) {
            // HAProxy 2.6 refuses the line (its message says the agent is disabled, and exits).
            throw new KeywordError("[" + line.location() + "] : '" + "server " + id + "' : server " + name
                    + " does not have agent port. Agent check has been disabled.", true);
        }
        Target t = target(addr, s.resolveLater, msg -> serverError(line, id, msg));
        String customId = s.options.get("id");
        if (customId != null) {
            for (io.haquark.model.Server o : p.servers) {
                if (customId.equals(o.options().get("id"))) {
                    throw new KeywordError("'server " + p.name + "/" + name + "' : 'id' : custom id " + customId + " already used at "
                            + o.where() + " ('server " + o.name() + "').");
                }
            }
        }
        p.servers.add(s.toServer(name, t.host, t.port, t.offset, LoadContext.loc(line)));
    }

    /**
     * "add server b/name addr[:port] [param*]" of the runtime API: the same keywords as a
     * server line, without default-server settings (as HAProxy 2.6) and without the keywords
     * a dynamic server cannot take. The address must be an IP: no name lookup at run time.
     * @throws IllegalArgumentException with HAProxy's message
     */
    public static Server dynamic(String name, String addr, java.util.List<String> params) {
        ServerSettings s = new ServerSettings();
        keywords(s, params.toArray(new String[0]), 0, IllegalArgumentException::new, def -> {
            if (def.keyword().equals("cookie") || def.keyword().equals("redir")) {
                throw new IllegalArgumentException("'" + def.keyword() + "' option is not accepted for dynamic server");
            }
        });
        Target t = target(addr, true, IllegalArgumentException::new);
        if (!Addresses.isIpv4(t.host) && !Addresses.isIpv6(t.host) && !t.host.startsWith("unix@")) {
            throw new IllegalArgumentException("could not resolve address '" + t.host + "'.");
        }
        return s.toServer(name, t.host, t.port, t.offset, new io.haquark.model.Location("runtime", 0));
    }

    /**
     * The keywords of a server line from {@code from} on, into s; {@code seen} sees each keyword
     * before its value is read (warnings, refusals), errors leave through {@code error}.
     */
    private static void keywords(ServerSettings s, String[] w, int from, java.util.function.Function<String, RuntimeException> error,
                                 java.util.function.Consumer<ServerKeywords.Def> seen) {
        for (int i = from; i < w.length; i++) {
            ServerKeywords.Def def = ServerKeywords.KEYWORDS.get(w[i]);
            if (def == null) {
                throw error.apply("unknown keyword '" + w[i] + "'.");
            }
            seen.accept(def);
            try {
                i += def.parser().parse(s, w[i], w, i);
            } catch (KeywordError e) {
                throw error.apply(e.getMessage());
            }
        }
    }

    private record Target(String host, int port, boolean offset) {
    }

    private static Target target(String addr, boolean resolveLater, java.util.function.Function<String, RuntimeException> error) {
        String a = Addresses.expandEnv(addr);
        int at = a.indexOf('@');
        if (at > 0) {
            String prefix = a.substring(0, at);
            if (prefix.equals("unix") || prefix.equals("abns")) {
                return new Target(a, 0, false);
            }
            if (!prefix.equals("ipv4") && !prefix.equals("ipv6") && !prefix.equals("tcp") && !prefix.equals("tcp4")
                    && !prefix.equals("tcp6")) {
                throw error.apply("could not resolve address '" + a.substring(0, a.lastIndexOf(':') < 0 ? a.length() : a.lastIndexOf(':')) + "'.");
            }
            a = a.substring(at + 1);
        }
        if (a.startsWith("/")) {
            return new Target("unix@" + a, 0, false);
        }
        String host = a;
        String portText = null;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                throw error.apply("invalid address: '" + addr + "'");
            }
            host = a.substring(1, close);
            if (close + 1 < a.length() && a.charAt(close + 1) == ':') {
                portText = a.substring(close + 2);
            }
        } else if (a.indexOf(':') >= 0) {
            int colon = a.lastIndexOf(':');
            String maybeHost = a.substring(0, colon);
            // "::1" alone is an IPv6 address without a port; "1.2.3.4:80" has one.
            if (maybeHost.indexOf(':') >= 0 && Addresses.isIpv6(a)) {
                host = a;
            } else {
                host = maybeHost;
                portText = a.substring(colon + 1);
            }
        }
        int port = 0;
        boolean offset = false;
        if (portText != null && !portText.isEmpty()) {
            offset = portText.startsWith("+") || portText.startsWith("-");
            String digits = offset ? portText.substring(1) : portText;
            if (digits.isEmpty() || !Character.isDigit(digits.charAt(0))) {
                char bad = digits.isEmpty() ? ' ' : digits.charAt(0);
                throw error.apply("invalid character '" + bad + "' in port number '" + portText + "' in '" + addr + "'");
            }
            // Like HAProxy's strtol: leading digits make the port, offsets are not range-checked.
            port = (int) Values.atol(portText);
            if (!offset && (port < 1 || port > 65535)) {
                throw error.apply("invalid port '" + portText + "'");
            }
        }
        if (host.isEmpty() || host.equals("*")) {
            host = "0.0.0.0";
        }
        if (!Addresses.isIpv4(host) && !Addresses.isIpv6(host)) {
            if (!Addresses.isHost(host)) {
                throw error.apply("could not resolve address '" + host + "'.");
            }
            if (!resolveLater) {
                try {
                    // Config time only, like HAProxy's init-addr libc: never on the event loop.
                    InetAddress.getByName(host);
                } catch (UnknownHostException e) {
                    throw error.apply("could not resolve address '" + host + "'.");
                }
            }
        }
        return new Target(host, port, offset);
    }

    private static KeywordError serverError(ConfigLine line, String id, String msg) {
        String who = id == null ? "'default-server'" : "'server " + id + "'";
        return new KeywordError("[" + line.location() + "] : " + who + " : " + msg, true);
    }

    private ServerLines() {
    }
}
