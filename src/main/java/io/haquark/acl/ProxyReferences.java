package io.haquark.acl;

import java.util.Set;
import java.util.function.Function;

/**
 * What fetches naming a proxy or a server (srv_conn(be/srv), be_conn(be) ...) resolve against
 * while a proxy's rules compile: the proxy itself (the default backend or frontend of such a
 * fetch) and the configuration's backends with their servers. HAProxy resolves these names when
 * it loads the configuration and refuses names it cannot find; with nothing bound (a single ACL
 * compiled in a test) nothing is checked.
 */
public final class ProxyReferences {
    private static final ThreadLocal<ProxyReferences> COMPILING = new ThreadLocal<>();

    final String proxy;
    final boolean frontend;
    final boolean backend;
    private final Function<String, Set<String>> serversOf;
    private final Set<String> frontends;

    /**
     * @param proxy     the proxy whose rules compile ("defaults" sections have neither capability)
     * @param serversOf the server names of a backend, null when there is no such backend
     */
    public ProxyReferences(String proxy, boolean frontend, boolean backend, Set<String> frontends,
                           Function<String, Set<String>> serversOf) {
        this.proxy = proxy;
        this.frontend = frontend;
        this.backend = backend;
        this.frontends = frontends;
        this.serversOf = serversOf;
    }

    public PatternReferences.Scope bind() {
        ProxyReferences previous = COMPILING.get();
        COMPILING.set(this);
        return () -> COMPILING.set(previous);
    }

    static ProxyReferences current() {
        return COMPILING.get();
    }

    /**
     * The backend a fetch argument names (checked), or null without one: the transaction's
     * backend at run time, as be_conn without argument means.
     */
    static String backend(String fetch, String arg) {
        ProxyReferences r = COMPILING.get();
        if (arg != null && !arg.isEmpty()) {
            if (r != null && r.serversOf.apply(arg) == null) {
                throw new AclException("no such backend '" + arg + "' in arg 1 of sample fetch keyword '" + fetch + "'"
                        + r.inProxy());
            }
            return arg;
        }
        return null;
    }

    /** The frontend a fetch argument names (checked), or null: the transaction's frontend. */
    static String frontend(String fetch, String arg) {
        ProxyReferences r = COMPILING.get();
        if (arg != null && !arg.isEmpty()) {
            if (r != null && !r.frontends.contains(arg)) {
                throw new AclException("no such frontend '" + arg + "' in arg 1 of sample fetch keyword '" + fetch + "'"
                        + r.inProxy());
            }
            return arg;
        }
        return null;
    }

    /**
     * "[backend/]server": {backend, server}. Without a backend, the server is looked up in the
     * compiling proxy, which must then be a backend (a defaults section or a frontend has none).
     */
    static String[] server(String fetch, String arg) {
        int slash = arg.indexOf('/');
        ProxyReferences r = COMPILING.get();
        String be = slash < 0 ? null : backend(fetch, arg.substring(0, slash));
        if (slash < 0 && r != null) {
            if (!r.backend) {
                throw new AclException("backend name must be set in arg 1 of sample fetch keyword '" + fetch + "'" + r.inProxy());
            }
            be = r.proxy;
        }
        String srv = slash < 0 ? arg : arg.substring(slash + 1);
        if (r != null && be != null) {
            Set<String> servers = r.serversOf.apply(be);
            if (servers != null && !servers.contains(srv)) {
                throw new AclException("unable to find server '" + srv + "' in proxy '" + be + "', referenced in arg 1 of "
                        + "sample fetch keyword '" + fetch + "'" + r.inProxy());
            }
        }
        return new String[] {be, srv};
    }

    private String inProxy() {
        return " in proxy '" + proxy + "'.";
    }
}
