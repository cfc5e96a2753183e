package io.haquark.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A frontend, backend or listen section after defaults were applied. A listen is both
 * sides in one: its frontend part routes to its own backend part unless rules say otherwise.
 */
public record Proxy(String name, ProxyType type, Location where, Mode mode, boolean disabled,
                    List<Bind> binds, int maxconn, int fullconn, List<AclDecl> acls,
                    List<SwitchingRule> switchingRules, String defaultBackend,
                    Balance balance, List<Server> servers, Timeouts timeouts,
                    Map<String, Boolean> options, ForwardFor forwardFor, ForwardFor originalTo, int retries,
                    StatsSettings stats, HealthCheck healthCheck, Cookie cookie,
                    List<Rule> httpRequestRules, List<Rule> httpResponseRules,
                    List<Rule> tcpRequestRules, List<Rule> tcpResponseRules,
                    List<Rule> redirects, Map<Integer, ErrorFile> errorFiles,
                    String monitorUri, List<String> logTargets, String logFormat,
                    String uniqueIdFormat, String uniqueIdHeader, int id, StickTableSpec stickTable,
                    List<Capture> captures, List<StickRule> stickRules, List<Rule> persistRules,
                    List<Condition> monitorFail, int redispatchInterval, List<FilterDecl> filters,
                    String httpReuse, String dispatch, String sendNameHeader,
                    int rateLimitSessions, String source, Set<String> retryOn,
                    Map<String, String> settings) {

    public Proxy {
        retryOn = Set.copyOf(retryOn);
        settings = Map.copyOf(settings);
        binds = List.copyOf(binds);
        acls = List.copyOf(acls);
        switchingRules = List.copyOf(switchingRules);
        servers = List.copyOf(servers);
        options = Map.copyOf(options);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        tcpRequestRules = List.copyOf(tcpRequestRules);
        tcpResponseRules = List.copyOf(tcpResponseRules);
        redirects = List.copyOf(redirects);
        errorFiles = Map.copyOf(errorFiles);
        logTargets = List.copyOf(logTargets);
        captures = List.copyOf(captures);
        stickRules = List.copyOf(stickRules);
        persistRules = List.copyOf(persistRules);
        monitorFail = List.copyOf(monitorFail);
        filters = List.copyOf(filters);
    }

    /** Index among this frontend's request (or response) capture slots, -1 when it has none of that kind. */
    public int captureSlots(boolean response) {
        int n = 0;
        for (Capture c : captures) {
            if (response ? c.kind().response() : c.kind().request()) {
                n++;
            }
        }
        return n;
    }

    /** {@code option <name>} state: explicitly set, inherited from defaults, or the given default. */
    public boolean option(String name, boolean dflt) {
        return options.getOrDefault(name, dflt);
    }

    public boolean option(String name) {
        return option(name, false);
    }

    public Set<String> enabledOptions() {
        return options.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Server server(String serverName) {
        for (Server s : servers) {
            if (s.name().equals(serverName)) {
                return s;
            }
        }
        return null;
    }

    /**
     * A valued setting without a field of its own (clitcpka-cnt, srvtcpka-idle ... as written), or
     * the default; "settings" holds them by keyword.
     */
    public String setting(String keyword, String dflt) {
        return settings.getOrDefault(keyword, dflt);
    }
}
