package io.haquark.engine;

import io.haquark.acl.AclCompiler;
import io.haquark.acl.AclException;
import io.haquark.acl.Cond;
import io.haquark.acl.SampleExpr;
import io.haquark.acl.SampleSource;
import io.haquark.model.Proxy;
import io.haquark.model.Rule;
import io.haquark.model.StickRule;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.haquark.state.StickTable;
import java.nio.file.Path;
import java.util.List;

/**
 * A backend's persistence decisions besides the cookie: force-persist / ignore-persist
 * (first matching line wins), "option persist", and stick-table persistence
 * ("stick on|match|store-request", configuration.txt §4.2 "stick match").
 */
final class Persistence {
    static final Persistence NONE = new Persistence(new Cond[0], new boolean[0], false, new Cond[0], new SampleExpr[0],
            new String[0], new int[0], new Cond[0], new String[0], new DynamicName[0]);

    enum Override { NONE, FORCE, IGNORE }

    private final Cond[] persistConds;
    private final boolean[] persistForce;
    /** option persist: a sticky server is used even when it is DOWN. */
    final boolean optionPersist;
    private final Cond[] stickConds;
    private final SampleExpr[] stickKeys;
    private final String[] stickTables;
    /** bit 1: match, bit 2: store-request, bit 4: store-response. */
    private final int[] stickKinds;
    private final boolean responseStores;

    /** use-server rules: condition, then a fixed server name or one built per request. */
    private final Cond[] useServerConds;
    private final String[] useServerNames;
    private final DynamicName[] useServerDynamic;

    private Persistence(Cond[] pc, boolean[] pf, boolean optionPersist, Cond[] sc, SampleExpr[] sk, String[] st, int[] kinds,
                        Cond[] uc, String[] un, DynamicName[] ud) {
        this.responseStores = java.util.Arrays.stream(kinds).anyMatch(k -> (k & 4) != 0);
        this.useServerConds = uc;
        this.useServerNames = un;
        this.useServerDynamic = ud;
        this.persistConds = pc;
        this.persistForce = pf;
        this.optionPersist = optionPersist;
        this.stickConds = sc;
        this.stickKeys = sk;
        this.stickTables = st;
        this.stickKinds = kinds;
    }

    static Persistence compile(Proxy p, AclCompiler acls, Path base) {
        List<Rule> pr = p.persistRules().stream().filter(r -> !r.keyword().equals("use-server")).toList();
        List<Rule> ur = p.persistRules().stream().filter(r -> r.keyword().equals("use-server")).toList();
        List<StickRule> sr = p.stickRules();
        if (pr.isEmpty() && ur.isEmpty() && sr.isEmpty() && !p.option("persist")) {
            return NONE;
        }
        Cond[] uc = new Cond[ur.size()];
        String[] un = new String[ur.size()];
        DynamicName[] ud = new DynamicName[ur.size()];
        for (int i = 0; i < uc.length; i++) {
            Rule r = ur.get(i);
            uc[i] = ConfigCompiler.condition(acls, r.condition(), r.where(), "'use-server' rule");
            un[i] = r.args().get(0);
            if (un[i].contains("%[")) {
                try {
                    ud[i] = DynamicName.parse(un[i]);
                } catch (AclException e) {
                    throw new AclException("parsing [" + r.where() + "] : 'use-server' : " + e.getMessage() + ".");
                }
            } else if (p.server(un[i]) == null) {
                throw new AclException("parsing [" + r.where() + "] : backend '" + p.name() + "' : unable to find server '" + un[i]
                        + "' referenced in a 'use-server' rule.");
            }
        }
        Cond[] pc = new Cond[pr.size()];
        boolean[] pf = new boolean[pr.size()];
        for (int i = 0; i < pc.length; i++) {
            pc[i] = ConfigCompiler.condition(acls, pr.get(i).condition(), pr.get(i).where(), "'" + pr.get(i).keyword() + "' rule");
            pf[i] = pr.get(i).keyword().equals("force-persist");
        }
        Cond[] sc = new Cond[sr.size()];
        SampleExpr[] sk = new SampleExpr[sr.size()];
        String[] st = new String[sr.size()];
        int[] kinds = new int[sr.size()];
        for (int i = 0; i < sc.length; i++) {
            StickRule r = sr.get(i);
            sc[i] = ConfigCompiler.condition(acls, r.condition(), r.where(), "'stick' rule");
            try {
                sk[i] = SampleExpr.parse(r.pattern(), base, null);
            } catch (AclException e) {
                throw new AclException("parsing [" + r.where() + "] : 'stick " + r.kind() + "' : " + e.getMessage());
            }
            st[i] = r.table() != null ? r.table() : p.name();
            kinds[i] = (r.matches() ? 1 : 0) | (r.storesRequest() ? 2 : 0) | (r.kind().equals("store-response") ? 4 : 0);
        }
        return new Persistence(pc, pf, p.option("persist"), sc, sk, st, kinds, uc, un, ud);
    }

    /** The stick tables the rules name, to check at load time that they exist. */
    List<String> tables() {
        return List.of(stickTables);
    }

    Override override(SampleSource s) {
        for (int i = 0; i < persistConds.length; i++) {
            if (persistConds[i].test(s)) {
                return persistForce[i] ? Override.FORCE : Override.IGNORE;
            }
        }
        return Override.NONE;
    }

    boolean hasUseServer() {
        return useServerConds.length > 0;
    }

    /**
     * The server of the first use-server rule that matches and may take the request
     * (configuration.txt §4.2 "use-server"): a server that is down is passed over unless
     * persistence is forced, and the next rules are tried; a built name that names no server
     * ends the search. Null: balance as usual.
     */
    ServerState useServer(SampleSource s, BackendState b, boolean forced) {
        for (int i = 0; i < useServerConds.length; i++) {
            if (!useServerConds[i].test(s)) {
                continue;
            }
            String name = useServerDynamic[i] == null ? useServerNames[i] : useServerDynamic[i].resolve(s);
            ServerState srv = name == null ? null : server(b, name);
            if (srv == null) {
                return null;
            }
            if (forced || (srv.isUp() && srv.admin() != ServerState.Admin.MAINT)) {
                return srv;
            }
        }
        return null;
    }

    private static ServerState server(BackendState b, String name) {
        for (ServerState srv : b.servers()) {
            if (srv.name().equals(name)) {
                return srv;
            }
        }
        return null;
    }

    /** use-server's server (configuration.txt §4.2: before cookies and stick tables), reserved on the balancer, or null. */
    ServerState reserveUseServer(SampleSource s, BackendRuntime b, boolean forced) {
        if (!hasUseServer()) {
            return null;
        }
        ServerState chosen = useServer(s, b.state, forced);
        return chosen != null && b.lb.reserve(chosen, true) ? chosen : null;
    }

    /** The server a stick table names for this request or stream, reserved on the balancer, or null. */
    ServerState reserveStick(SampleSource s, Routing routing, BackendRuntime b, Override override, boolean forced) {
        if (!hasStickRules() || override == Override.IGNORE) {
            return null;
        }
        ServerState sticky = match(s, routing, b.state);
        return sticky != null && b.lb.reserve(sticky, forced) ? sticky : null;
    }

    boolean hasStickRules() {
        return stickConds.length > 0;
    }

    /** stick match / stick on: the server an entry of the table names, when a rule matches. */
    ServerState match(SampleSource s, Routing routing, BackendState b) {
        for (int i = 0; i < stickConds.length; i++) {
            if ((stickKinds[i] & 1) == 0 || !stickConds[i].test(s)) {
                continue;
            }
            StickTable t = routing.table(stickTables[i]);
            String key = stickKeys[i].evalString(s);
            StickTable.Entry e = t == null || key == null ? null : t.lookup(key);
            String name = e == null ? null : e.server;
            ServerState srv = name == null ? null : server(b, name);
            if (srv != null) {
                return srv;
            }
        }
        return null;
    }

    /** stick store-request / stick on: remember the chosen server under the key. */
    void store(SampleSource s, Routing routing, ServerState server) {
        store(s, routing, server, 2);
    }

    boolean hasResponseStores() {
        return responseStores;
    }

    /**
     * stick store-response: the key read from the server's answer (a session cookie it sets,
     * say) now names the server that answered; runs before the http-response rules, as
     * HAProxy's store analyser does (configuration.txt §4.2 "stick store-response").
     */
    void storeResponse(SampleSource s, Routing routing, ServerState server) {
        store(s, routing, server, 4);
    }

    private void store(SampleSource s, Routing routing, ServerState server, int kind) {
        if (server.server.options().containsKey("non-stick")) {
            return;                                // configuration.txt "non-stick": never stored
        }
        for (int i = 0; i < stickConds.length; i++) {
            if ((stickKinds[i] & kind) == 0 || !stickConds[i].test(s)) {
                continue;
            }
            StickTable t = routing.table(stickTables[i]);
            String key = stickKeys[i].evalString(s);
            StickTable.Entry e = t == null || key == null ? null : t.track(key);
            if (e != null) {
                e.stickTo(server.name());
            }
        }
    }
}
