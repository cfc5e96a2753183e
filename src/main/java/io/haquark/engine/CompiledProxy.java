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

    CompiledProxy(Proxy proxy, AclCompiler acls, io.haquark.acl.RuleIndex switchRules, String[] switchTargets, DynamicName[] switchNames,
                  DynamicName defaultName,
                  Cond[] statsAdmin, io.haquark.rules.RuleSet httpRequest, io.haquark.rules.RuleSet redirects,
                  io.haquark.rules.RuleSet httpResponse, io.haquark.rules.RuleSet httpAfterResponse,
                  io.haquark.rules.TcpRules tcpRules, Cond[] monitorFail, Persistence persistence,
                  java.util.Map<Integer, io.haquark.rules.HttpAction> httpErrors) {
        this.httpErrors = httpErrors;
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

    public String name() {
        return proxy.name();
    }
}
