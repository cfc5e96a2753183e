package io.haquark.engine;

import io.haquark.acl.AclCompiler;
import io.haquark.acl.Cond;
import io.haquark.model.Proxy;

/**
 * A proxy with its conditions compiled: what the hot path reads. Built once per load by
 * {@link ConfigCompiler}; never mutated.
 */
public final class CompiledProxy {
    public final Proxy proxy;
    public final AclCompiler acls;
    /** use_backend rules in order: condition and target (a name, or a log-format when dynamic). */
    public final io.haquark.acl.RuleIndex switchRules;
    public final String[] switchTargets;
    /** The use_backend rules whose name is a log-format (null where the name is fixed). */
    final DynamicName[] switchNames;
    /** default_backend as a log-format, or null. */
    final DynamicName defaultName;
    public final Cond[] statsAdmin;
    public final io.haquark.rules.RuleSet httpRequest;
    public final io.haquark.rules.RuleSet redirects;
    public final io.haquark.rules.RuleSet httpResponse;
    public final io.haquark.rules.RuleSet httpAfterResponse;
    public final io.haquark.rules.TcpRules tcpRules;
    /** monitor fail conditions: the monitor-uri answers 503 when one holds. */
    final Cond[] monitorFail;
    final Persistence persistence;
    /** http-error status N ...: the proxy's own answers for the errors it generates. */
    final java.util.Map<Integer, io.haquark.rules.HttpAction> httpErrors;
    /** The proxy's "filter" lines, built once per load (configuration.txt §9). */
    final io.haquark.filters.FilterChain filters;

    CompiledProxy(Proxy proxy, AclCompiler acls, io.haquark.acl.RuleIndex switchRules, String[] switchTargets, DynamicName[] switchNames,
                  DynamicName defaultName,
                  Cond[] statsAdmin, io.haquark.rules.RuleSet httpRequest, io.haquark.rules.RuleSet redirects,
                  io.haquark.rules.RuleSet httpResponse, io.haquark.rules.RuleSet httpAfterResponse,
                  io.haquark.rules.TcpRules tcpRules, Cond[] monitorFail, Persistence persistence,
                  java.util.Map<Integer, io.haquark.rules.HttpAction> httpErrors) {
        this.httpErrors = httpErrors;
        this.filters = filters(proxy);
        this.monitorFail = monitorFail;
        this.persistence = persistence;
        this.tcpRules = tcpRules;
        this.httpRequest = httpRequest;
        this.redirects = redirects;
        this.httpResponse = httpResponse;
        this.httpAfterResponse = httpAfterResponse;
        this.proxy = proxy;
        this.acls = acls;
        this.switchRules = switchRules;
        this.switchTargets = switchTargets;
        this.switchNames = switchNames;
        this.defaultName = defaultName;
        this.statsAdmin = statsAdmin;
    }

    private static io.haquark.filters.FilterChain filters(Proxy proxy) {
        if (proxy.filters().isEmpty()) {
            return io.haquark.filters.FilterChain.NONE;
        }
        java.util.List<io.haquark.filters.HttpFilter> built = new java.util.ArrayList<>();
        for (io.haquark.model.FilterDecl d : proxy.filters()) {
            // The loader checked that the kind is known and supported and that its arguments parse.
            built.add(io.haquark.filters.FilterRegistry.kind(d.name()).parser().apply(d.args()));
        }
        return new io.haquark.filters.FilterChain(built);
    }

    public String name() {
        return proxy.name();
    }
}
