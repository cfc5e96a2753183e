package io.haquark.config;

import io.haquark.model.AclDecl;
import io.haquark.model.Balance;
import io.haquark.model.Bind;
import io.haquark.model.Condition;
import io.haquark.model.Cookie;
import io.haquark.model.ErrorFile;
import io.haquark.model.ForwardFor;
import io.haquark.model.HealthCheck;
import io.haquark.model.Location;
import io.haquark.model.Mode;
import io.haquark.model.Proxy;
import io.haquark.model.ProxyType;
import io.haquark.model.Rule;
import io.haquark.model.Server;
import io.haquark.model.StatsSettings;
import io.haquark.model.SwitchingRule;
import io.haquark.model.Timeouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of one proxy section while its lines are read. A defaults section is a
 * ProxyBuilder too: a new proxy starts as a copy of the defaults in force (what HAProxy's
 * init_new_proxy + defaults copy do), then its own keywords overwrite that.
 */
public final class ProxyBuilder {
    final String name;
    final ProxyType type;
    final Location where;

    Mode mode = Mode.TCP;
    boolean disabled;
    final List<Bind> binds = new ArrayList<>();
    int maxconn;
    int fullconn;
    final List<AclDecl> acls = new ArrayList<>();
    final List<SwitchingRule> switchingRules = new ArrayList<>();
    String defaultBackend;
    ConfigLine defaultBackendLine;
    Balance balance = Balance.DEFAULT;
    final List<Server> servers = new ArrayList<>();
    ServerSettings defaultServer = new ServerSettings();
    // Timeouts are kept as separate fields because each keyword sets one.
    long tClient, tServer, tConnect, tQueue, tHttpRequest, tHttpKeepAlive, tCheck, tTunnel, tClientFin, tServerFin, tTarpit;
    final Map<String, Boolean> options = new LinkedHashMap<>();
    /** Valued keywords without a field of their own (Proxy.settings). */
    final Map<String, String> settings = new LinkedHashMap<>();
    ForwardFor forwardFor;
    /** option originalto: the same shape as forwardfor (except network, header name). */
    ForwardFor originalTo;
    int retries = 3;
    // Stats
    boolean statsEnabled;
    String statsUri;
    String statsRealm;
    final List<String> statsAuth = new ArrayList<>();
    boolean statsHideVersion;
    int statsRefresh;
    boolean statsShowLegends;
    String statsShowNode;
    String statsShowDesc;
    final List<String> statsScopes = new ArrayList<>();
    final List<Condition> statsAdmin = new ArrayList<>();
    // Checks
    String checkType = "tcp";
    String httpchkMethod;
    String httpchkUri;
    String httpchkVersion;
    final List<Rule> checkSteps = new ArrayList<>();
    Cookie cookie;
    final List<Rule> httpRequestRules = new ArrayList<>();
    final List<Rule> httpResponseRules = new ArrayList<>();
    final List<Rule> tcpRequestRules = new ArrayList<>();
    final List<Rule> tcpResponseRules = new ArrayList<>();
    final List<Rule> redirects = new ArrayList<>();
    final Map<Integer, ErrorFile> errorFiles = new LinkedHashMap<>();
    /**
     * errorfile, errorloc*, http-error and errorfiles lines in their order: a later line wins
     * for the codes it covers (configuration.txt "errorfiles"), including over lines inherited
     * from defaults. errorfiles names a section that may come later in the file, so the
     * final map is built once everything is read ({@link #resolveErrorFiles}).
     */
    final List<Object> errorDirectives = new ArrayList<>();

    /** "errorfiles <name> [<code> ...]": the section's pages for those codes (all when none). */
    record ErrorSection(String name, java.util.Set<Integer> codes) {
    }

    void errorFile(ErrorFile e) {
        errorFiles.put(e.status(), e);
        errorDirectives.add(e);
    }

    /** @return the names of the sections referred to that do not exist */
    List<String> resolveErrorFiles(Map<String, Map<Integer, ErrorFile>> sections) {
        List<String> missing = new ArrayList<>();
        errorFiles.clear();
        for (Object d : errorDirectives) {
            if (d instanceof ErrorFile e) {
                errorFiles.put(e.status(), e);
            } else if (d instanceof ErrorSection s) {
                Map<Integer, ErrorFile> errs = sections.get(s.name());
                if (errs == null) {
                    missing.add(s.name());
                    continue;
                }
                errs.forEach((code, e) -> {
                    if (s.codes().isEmpty() || s.codes().contains(code)) {
                        errorFiles.put(code, e);
                    }
                });
            }
        }
        return missing;
    }
    String monitorUri;
    final List<String> logTargets = new ArrayList<>();
    String logFormat;
    String uniqueIdFormat;
    String uniqueIdHeader;
    int id;
    io.haquark.model.StickTableSpec stickTable;
    final List<io.haquark.model.Capture> captures = new ArrayList<>();
    final List<io.haquark.model.StickRule> stickRules = new ArrayList<>();
    final List<Rule> persistRules = new ArrayList<>();
    final List<Condition> monitorFail = new ArrayList<>();
    /** option redispatch <interval>; -1 (the last retry) by default. */
    int redispatchInterval = -1;
    /** http-reuse never|safe|aggressive|always (configuration.txt §4.2), "safe" by default. */
    String httpReuse = "safe";
    /** retry-on (configuration.txt §4.2): the events a request is retried on; connection failures by default. */
    java.util.Set<String> retryOn = java.util.Set.of("conn-failure");
    /** dispatch <address>:<port>: where a backend without servers sends its traffic (configuration.txt §4.2). */
    String dispatch;
    /** http-send-name-header <name>, or null. */
    String sendNameHeader;
    /** rate-limit sessions <n>: new sessions per second a frontend accepts, 0 for no limit. */
    int rateLimitSessions;
    /** source <addr>[:<port>]: where server connections leave from, or null. */
    String source;
    final List<ConfigLine> useBackendLines = new ArrayList<>();
    final List<io.haquark.model.FilterDecl> filters = new ArrayList<>();

    ProxyBuilder(String name, ProxyType type, Location where) {
        this.name = name;
        this.type = type;
        this.where = where;
    }

    /** A new proxy that inherits what a defaults section may carry (not binds, ACLs or servers; rules of a named one). */
    ProxyBuilder inherit(String newName, ProxyType newType, Location at) {
        ProxyBuilder p = new ProxyBuilder(newName, newType, at);
        p.mode = mode;
        p.maxconn = maxconn;
        p.fullconn = fullconn;
        p.defaultBackend = defaultBackend;
        p.defaultBackendLine = defaultBackendLine;
        p.balance = balance;
        p.defaultServer = defaultServer.copy();
        p.tClient = tClient;
        p.tServer = tServer;
        p.tConnect = tConnect;
        p.tQueue = tQueue;
        p.tHttpRequest = tHttpRequest;
        p.tHttpKeepAlive = tHttpKeepAlive;
        p.tCheck = tCheck;
        p.tTunnel = tTunnel;
        p.tClientFin = tClientFin;
        p.tServerFin = tServerFin;
        p.tTarpit = tTarpit;
        p.options.putAll(options);
        p.settings.putAll(settings);
        p.forwardFor = forwardFor;
        p.originalTo = originalTo;
        p.retries = retries;
        p.statsEnabled = statsEnabled;
        p.statsUri = statsUri;
        p.statsRealm = statsRealm;
        p.statsAuth.addAll(statsAuth);
        p.statsHideVersion = statsHideVersion;
        p.statsRefresh = statsRefresh;
        p.statsShowLegends = statsShowLegends;
        p.statsShowNode = statsShowNode;
        p.statsShowDesc = statsShowDesc;
        p.statsScopes.addAll(statsScopes);
        p.statsAdmin.addAll(statsAdmin);
        p.checkType = checkType;
        p.httpchkMethod = httpchkMethod;
        p.httpchkUri = httpchkUri;
        p.httpchkVersion = httpchkVersion;
        p.checkSteps.addAll(checkSteps);
        p.cookie = cookie;
        p.errorFiles.putAll(errorFiles);
        p.errorDirectives.addAll(errorDirectives);
        p.monitorUri = monitorUri;
        p.logTargets.addAll(logTargets);
        p.logFormat = logFormat;
        p.uniqueIdFormat = uniqueIdFormat;
        p.uniqueIdHeader = uniqueIdHeader;
        p.redispatchInterval = redispatchInterval;
        p.httpReuse = httpReuse;
        p.retryOn = retryOn;
        p.sendNameHeader = sendNameHeader;
        p.rateLimitSessions = rateLimitSessions;
        p.source = source;
        // A named defaults section's rules run before the proxy's own (configuration.txt §4).
        p.httpRequestRules.addAll(httpRequestRules);
        p.httpResponseRules.addAll(httpResponseRules);
        p.tcpRequestRules.addAll(tcpRequestRules);
        p.tcpResponseRules.addAll(tcpResponseRules);
        return p;
    }

    /** A named defaults section's TCP/HTTP rules (configuration.txt §4 "defaults"): what inheriting needs to know. */
    boolean hasRules() {
        return !httpRequestRules.isEmpty() || !httpResponseRules.isEmpty()
                || tcpResponseRules.stream().anyMatch(r -> !r.action().equals("inspect-delay"))
                || tcpRequestRules.stream().anyMatch(r -> !r.action().equals("inspect-delay"));
    }

    boolean hasLayer4Rules() {
        return tcpRequestRules.stream().anyMatch(r -> r.keyword().equals("tcp-request connection")
                || r.keyword().equals("tcp-request session"));
    }

    /** Which kinds of proxies took this defaults section's rules: one kind only may. */
    boolean rulesUsedByFrontend;
    boolean rulesUsedByBackend;

    boolean isDefaults() {
        return type == ProxyType.DEFAULTS;
    }

    String describe() {
        return type.keyword() + " '" + name + "'";
    }

    Proxy build() {
        Timeouts t = new Timeouts(tClient, tServer, tConnect, tQueue, tHttpRequest, tHttpKeepAlive, tCheck,
                tTunnel, tClientFin, tServerFin, tTarpit);
        StatsSettings stats = new StatsSettings(statsEnabled,
                statsUri == null ? StatsSettings.DEFAULT_URI : statsUri,
                statsRealm == null ? StatsSettings.DEFAULT_REALM : statsRealm,
                statsAuth, statsHideVersion, statsRefresh, statsShowLegends, statsShowNode, statsShowDesc,
                statsScopes, statsAdmin);
        HealthCheck check = new HealthCheck(checkType, httpchkMethod, httpchkUri, httpchkVersion, checkSteps,
                checkSteps.stream().anyMatch(r -> r.action().equals("disable-on-404")),
                options.getOrDefault("log-health-checks", false));
        return new Proxy(name, type, where, mode, disabled, binds, maxconn, fullconn, acls, switchingRules,
                type.hasFrontend() ? defaultBackend : null, balance, servers, t, options, forwardFor, originalTo, retries,
                stats, check, cookie, httpRequestRules, httpResponseRules, tcpRequestRules, tcpResponseRules,
                redirects, errorFiles, monitorUri, logTargets, logFormat, uniqueIdFormat, uniqueIdHeader, id, stickTable,
                captures, stickRules, persistRules, monitorFail, redispatchInterval, filters, httpReuse, dispatch, sendNameHeader,
                type.hasFrontend() ? rateLimitSessions : 0, source, retryOn, settings);
    }
}
