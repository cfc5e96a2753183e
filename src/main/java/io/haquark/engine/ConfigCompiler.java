package io.haquark.engine;

import io.haquark.rules.ErrorPages;
import io.haquark.acl.AclCompiler;
import io.haquark.acl.AclException;
import io.haquark.acl.Cond;
import io.haquark.config.ConfigException;
import io.haquark.config.Diagnostics;
import io.haquark.model.Condition;
import io.haquark.model.Config;
import io.haquark.model.Location;
import io.haquark.model.Proxy;
import io.haquark.model.SwitchingRule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Second half of a load: turns the model's declarative ACLs and conditions into
 * predicates. Errors here are config errors too ("unknown fetch method"), so check mode
 * runs it as well.
 */
public final class ConfigCompiler {

    private ConfigCompiler() {
    }

    public static Map<String, CompiledProxy> compile(Config config, Diagnostics diag, Path baseDir) throws ConfigException {
        Map<String, CompiledProxy> out = new LinkedHashMap<>();
        java.util.List<Proxy> all = new java.util.ArrayList<>(config.ruleDefaults());
        all.addAll(config.proxies());
        for (Proxy p : all) {
            try (var refs = references(config, p).bind()) {
                CompiledProxy cp = compileProxy(p, diag, baseDir, config.httpErrors());
                if (p.type() != io.haquark.model.ProxyType.DEFAULTS) {
                    // A named defaults section's rules are compiled on their own to be checked there, as
                    // HAProxy does; they run as part of each proxy that inherits them.
                    out.put(key(p), cp);
                }
            } catch (AclException | IllegalArgumentException e) {
                // Every alert names its line; a message that has none yet gets its section's.
                String m = String.valueOf(e.getMessage());
                diag.alert((String) null, m.startsWith("parsing [") || m.startsWith("Parsing [") ? m
                        : "parsing [" + p.where() + "] : " + m);
            }
        }
        // stick rules must name a proxy that has a stick-table (their own by default).
        java.util.Set<String> tables = new java.util.HashSet<>();
        for (Proxy p : config.proxies()) {
            if (p.stickTable() != null) {
                tables.add(p.name());
            }
        }
        // So must track-sc actions (their table is the proxy's own unless "table" names one).
        for (Proxy p : all) {
            java.util.List<io.haquark.model.Rule> rules = new java.util.ArrayList<>(p.tcpRequestRules());
            rules.addAll(p.httpRequestRules());
            rules.addAll(p.httpResponseRules());
            java.util.Set<String> reported = new java.util.HashSet<>();
            for (io.haquark.model.Rule r : rules) {
                if (!r.action().startsWith("track-sc")) {
                    continue;
                }
                java.util.List<String> a = r.args();
                int t = a.indexOf("table");
                String table = t >= 0 && t + 1 < a.size() ? a.get(t + 1) : p.name();
                if (!tables.contains(table) && reported.add(table + r.action())) {
                    diag.alert((String) null, "Proxy '" + p.name() + "': unable to find table '" + table + "' referenced by "
                            + r.action() + ".");
                }
            }
        }
        for (Proxy p : config.proxies()) {
            for (io.haquark.model.StickRule r : p.stickRules()) {
                String table = r.table() != null ? r.table() : p.name();
                if (!tables.contains(table)) {
                    diag.alert((String) null, "parsing [" + r.where() + "] : Proxy '" + p.name() + "': unable to find stick-table '" + table + "'.");
                }
            }
        }
        if (diag.hasAlerts()) {
            throw new ConfigException(diag);
        }
        return out;
    }

    /** What srv_conn(be/srv), be_conn(be) ... in p's rules may name (checked while p compiles). */
    private static io.haquark.acl.ProxyReferences references(Config config, Proxy p) {
        java.util.Set<String> frontends = new java.util.HashSet<>();
        Map<String, java.util.Set<String>> servers = new java.util.HashMap<>();
        for (Proxy q : config.proxies()) {
            if (q.type().hasFrontend()) {
                frontends.add(q.name());
            }
            if (q.type().hasBackend()) {
                java.util.Set<String> names = new java.util.HashSet<>();
                q.servers().forEach(s -> names.add(s.name()));
                servers.put(q.name(), names);
            }
        }
        // A defaults section is neither: names its rules use must be complete there.
        boolean defaults = p.type() == io.haquark.model.ProxyType.DEFAULTS;
        return new io.haquark.acl.ProxyReferences(p.name(), !defaults && p.type().hasFrontend(),
                !defaults && p.type().hasBackend(), frontends, servers::get);
    }

    /** Frontends and backends may share a name; the map keys them apart. */
    public static String key(Proxy p) {
        return p.type().keyword() + ":" + p.name();
    }

    /** Check mode: compile everything, keep nothing. Files are relative to baseDir (-C). */
    public static void check(Config config, Diagnostics diag, Path baseDir) throws ConfigException {
        compile(config, diag, baseDir);
    }

    private static CompiledProxy compileProxy(Proxy p, Diagnostics diag, Path baseDir,
                                              Map<String, Map<Integer, io.haquark.model.ErrorFile>> httpErrors) {
        AclCompiler acls = new AclCompiler(p, baseDir, (where, msg) -> diag.warning(where.isEmpty() ? null : where, msg));
        List<SwitchingRule> rules = p.switchingRules();
        Cond[] conds = new Cond[rules.size()];
        String[] targets = new String[rules.size()];
        DynamicName[] dynamic = new DynamicName[rules.size()];
        AclCompiler.Parsed[] single = new AclCompiler.Parsed[rules.size()];
        for (int i = 0; i < conds.length; i++) {
            SwitchingRule r = rules.get(i);
            conds[i] = condition(acls, r.condition(), r.where(), "switching rule");
            single[i] = acls.single(r.condition());
            targets[i] = r.backend();
            if (r.dynamic()) {
                try {
                    dynamic[i] = DynamicName.parse(r.backend());
                } catch (AclException e) {
                    throw new AclException("Parsing [" + r.where() + "]: failed to parse use_backend rule '" + r.backend()
                            + "' : " + e.getMessage() + ".");
                }
            }
        }
        DynamicName defaultName = null;
        if (p.defaultBackend() != null && p.defaultBackend().contains("%[")) {
            try {
                defaultName = DynamicName.parse(p.defaultBackend());
            } catch (AclException e) {
                throw new AclException("parsing [" + p.where() + "] : failed to parse default_backend '" + p.defaultBackend()
                        + "' : " + e.getMessage() + ".");
            }
        }
        Cond[] admin = new Cond[p.stats().admin().size()];
        for (int i = 0; i < admin.length; i++) {
            admin[i] = condition(acls, p.stats().admin().get(i), p.where(), "'stats admin' rule");
        }
        io.haquark.rules.RuleCompiler ruleCompiler = new io.haquark.rules.RuleCompiler(acls, baseDir,
                (where, msg) -> diag.warning(where.toString(), msg), httpErrors);
        // A TCP frontend that switches to HTTP (tcp-request content switch-mode http) runs its HTTP rules then.
        boolean http = p.mode() == io.haquark.model.Mode.HTTP
                || p.tcpRequestRules().stream().anyMatch(r -> r.action().equals("switch-mode"));
        java.util.List<io.haquark.model.Rule> after = p.httpResponseRules().stream()
                .filter(r -> r.keyword().equals("http-after-response")).toList();
        java.util.List<io.haquark.model.Rule> response = p.httpResponseRules().stream()
                .filter(r -> r.keyword().equals("http-response")).toList();
        java.util.List<io.haquark.model.Rule> errors = p.httpResponseRules().stream()
                .filter(r -> r.keyword().equals("http-error")).toList();
        // http-error lines are error-page settings, not rules (errors are rendered by ErrorPages).
        java.util.List<io.haquark.model.Rule> tcpRules = new java.util.ArrayList<>(p.tcpRequestRules());
        tcpRules.addAll(p.tcpResponseRules());
        io.haquark.rules.TcpRules tcp = io.haquark.rules.TcpRules.compile(tcpRules, acls, baseDir,
                (where, msg) -> diag.warning(where.toString(), msg));
        Cond[] monitorFail = new Cond[p.monitorFail().size()];
        for (int i = 0; i < monitorFail.length; i++) {
            monitorFail[i] = condition(acls, p.monitorFail().get(i), p.where(), "'monitor fail' condition");
        }
        Persistence persistence = Persistence.compile(p, acls, baseDir);
        CompiledProxy cp = new CompiledProxy(p, acls, io.haquark.acl.RuleIndex.of(conds, single), targets, dynamic, defaultName, admin,
                http ? ruleCompiler.compile(p.httpRequestRules()) : io.haquark.rules.RuleSet.EMPTY,
                http ? ruleCompiler.compile(p.redirects()) : io.haquark.rules.RuleSet.EMPTY,
                http ? ruleCompiler.compile(response) : io.haquark.rules.RuleSet.EMPTY,
                http ? ruleCompiler.compile(after) : io.haquark.rules.RuleSet.EMPTY, tcp, monitorFail, persistence,
                http ? ruleCompiler.httpErrors(errors) : java.util.Map.of());
        return cp;
    }

    static Cond condition(AclCompiler acls, Condition c, Location where, String what) {
        try {
            return acls.compile(c);
        } catch (AclException e) {
            throw new AclException("parsing [" + where + "] : error detected while parsing " + what + " : " + e.getMessage() + ".");
        }
    }
}
