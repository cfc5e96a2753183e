package io.haquark.config;

import io.haquark.model.Condition;
import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.util.List;

/** {@code stats <param>} in a proxy (configuration.txt §4 "stats ..."). */
final class StatsKeywords {
    static final List<String> PARAMS = List.of("admin", "uri", "realm", "auth", "scope", "enable",
            "hide-version", "show-node", "show-desc", "show-legends", "refresh", "show-modules", "http-request");

    static void parse(LoadContext ctx, ProxyBuilder p, ConfigLine line) {
        String param = line.arg(1);
        switch (param) {
            case "enable" -> p.statsEnabled = true;
            case "uri" -> {
                ProxyKeywords.needArgs(line, 2, "an URI prefix");
                p.statsUri = line.arg(2);
                p.statsEnabled = true;
            }
            case "realm" -> {
                ProxyKeywords.needArgs(line, 2, "a realm");
                p.statsRealm = String.join(" ", line.from(2));
                p.statsEnabled = true;
            }
            case "auth" -> {
                if (!line.arg(2).contains(":")) {
                    throw new KeywordError("'stats auth' expects <user>:<password> in argument #1.");
                }
                p.statsAuth.add(line.arg(2));
                p.statsEnabled = true;
            }
            case "scope" -> {
                ProxyKeywords.needArgs(line, 2, "a proxy name or '.'");
                p.statsScopes.add(line.arg(2));
                p.statsEnabled = true;
            }
            case "hide-version" -> {
                p.statsHideVersion = true;
                p.statsEnabled = true;
            }
            case "show-legends" -> {
                p.statsShowLegends = true;
                p.statsEnabled = true;
            }
            case "show-node" -> {
                p.statsShowNode = line.size() > 2 ? line.arg(2) : "";
                p.statsEnabled = true;
            }
            case "show-desc" -> {
                p.statsShowDesc = String.join(" ", line.from(2));
                p.statsEnabled = true;
            }
            case "show-modules" -> p.statsEnabled = true;
            case "refresh" -> {
                ProxyKeywords.needArgs(line, 2, "a time");
                p.statsRefresh = (int) (Values.time(line.arg(2), "stats refresh") / 1000);
                p.statsEnabled = true;
            }
            case "admin" -> {
                if (p.isDefaults()) {
                    throw new KeywordError("'stats admin' not supported in 'defaults' section.");
                }
                if (!line.arg(2).equals("if") && !line.arg(2).equals("unless")) {
                    throw new KeywordError("'stats admin' requires either 'if' or 'unless' followed by a condition.");
                }
                Condition c = ConditionParser.parse(line.from(2));
                p.statsAdmin.add(c);
                p.statsEnabled = true;
            }
            case "http-request" -> {
                if (p.isDefaults()) {
                    throw new KeywordError("'stats http-request' not supported in 'defaults' section.");
                }
                ctx.unsupported(line, "stats http-request");
            }
            case "socket", "timeout", "maxconn", "bind-process" ->
                    throw new KeywordError("'stats " + param + "' is only supported in 'global' section.");
            default -> throw new KeywordError("unknown stats parameter '" + param + "', expects 'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends'.");
        }
    }

    private StatsKeywords() {
    }
}
