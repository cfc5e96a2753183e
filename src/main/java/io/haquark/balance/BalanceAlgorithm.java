package io.haquark.balance;

import io.haquark.acl.SampleExpr;
import io.haquark.model.Balance;
import io.haquark.model.KeywordError;
import io.haquark.model.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of {@code balance} algorithms (configuration.txt §4.2 "balance"): each entry
 * owns its name, what its arguments may be, whether it hashes a request key, and the
 * {@link Balancer} it builds. The config parser, the engine and the runtime API all ask here.
 */
public enum BalanceAlgorithm {
    ROUNDROBIN("roundrobin", false),
    STATIC_RR("static-rr", false),
    LEASTCONN("leastconn", false),
    FIRST("first", false),
    RANDOM("random", false),
    SOURCE("source", true),
    URI("uri", true),
    URL_PARAM("url_param", true),
    HDR("hdr", true),
    RDP_COOKIE("rdp-cookie", true),
    HASH("hash", true);

    /** The name in "balance". */
    public final String keyword;
    /**
     * Hashes a request key onto the servers: a retry keeps its server (no redispatch to spread
     * load), and only consistent hashing lets servers be added at run time.
     */
    public final boolean hashBased;

    BalanceAlgorithm(String keyword, boolean hashBased) {
        this.keyword = keyword;
        this.hashBased = hashBased;
    }

    public static BalanceAlgorithm named(String name) {
        for (BalanceAlgorithm a : values()) {
            if (a.keyword.equals(name)) {
                return a;
            }
        }
        return null;
    }

    public static BalanceAlgorithm of(Balance b) {
        BalanceAlgorithm a = named(b == null ? "roundrobin" : b.algorithm());
        if (a == null) {
            throw new IllegalStateException("balance algorithm not in the registry: " + b.algorithm());
        }
        return a;
    }

    /**
     * Parses "balance ARG1 [opts...]" as HAProxy 2.6 accepts it, keeping the backend's hash-type.
     * @throws KeywordError with HAProxy's wording for what it refuses
     */
    public static Balance parse(String arg1, List<String> opts, Balance previous) {
        String algo = arg1;
        String param = null;
        int paren = arg1.indexOf('(');
        if (paren > 0 && arg1.endsWith(")")) {
            algo = arg1.substring(0, paren);
            param = arg1.substring(paren + 1, arg1.length() - 1);
        }
        BalanceAlgorithm a = named(algo);
        if (a == null) {
            throw unknown();
        }
        List<String> rest = new ArrayList<>(opts);
        switch (a) {
            case ROUNDROBIN, STATIC_RR, LEASTCONN, FIRST, SOURCE -> {
                if (param != null) {
                    throw unknown();
                }
            }
            case URI -> {
                for (int i = 0; i < rest.size(); i++) {
                    String o = rest.get(i);
                    if (o.equals("len") || o.equals("depth")) {
                        Values.integer(i + 1 < rest.size() ? rest.get(++i) : "", "balance uri " + o);
                    } else if (!o.equals("whole") && !o.equals("path-only")) {
                        throw new KeywordError("'balance uri' only accepts parameters 'whole', 'len', 'depth' and 'path-only' (got '" + o + "').");
                    }
                }
            }
            case URL_PARAM -> {
                if (rest.isEmpty()) {
                    throw new KeywordError("'balance url_param' requires an URL parameter name.");
                }
                param = rest.remove(0);
            }
            case HDR, RDP_COOKIE -> {
                if (param == null || param.isEmpty()) {
                    if (a == RDP_COOKIE && param == null) {
                        param = "mstshash";
                    } else {
                        throw new KeywordError("'balance " + algo + "(name)' requires a name.");
                    }
                }
            }
            case RANDOM -> {
                if (param != null) {
                    Values.integer(param, "balance random");
                }
            }
            case HASH -> {
                if (rest.isEmpty()) {
                    throw new KeywordError("'balance hash' requires a sample expression.");
                }
                param = rest.get(0);
            }
        }
        return new Balance(algo, param, rest, previous.hashType(), previous.hashFunction());
    }

    private static KeywordError unknown() {
        return new KeywordError("balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.");
    }

    /** The balancer for a backend's "balance" and "hash-type". */
    public static Balancer create(Balance b) {
        Balance bal = b == null ? Balance.DEFAULT : b;
        boolean consistent = "consistent".equals(bal.hashType());
        String fn = bal.hashFunction() == null ? "sdbm" : bal.hashFunction();
        return switch (of(bal)) {
            case ROUNDROBIN -> new RoundRobin();
            case STATIC_RR -> new StaticRoundRobin();
            case LEASTCONN -> new LeastConn();
            case FIRST -> new First();
            case RANDOM -> new RandomDraws(bal.parameter() == null ? 2 : Integer.parseInt(bal.parameter()));
            case SOURCE -> new HashBalancer(s -> s.source() == null ? null : s.source().getAddress(), consistent, fn);
            case URI -> new HashBalancer(HashKeys.uriKey(bal.options())::apply, consistent, fn);
            case URL_PARAM -> new HashBalancer(HashKeys.urlParamKey(bal.parameter())::apply, consistent, fn);
            case HDR -> new HashBalancer(HashKeys.headerKey(bal.parameter(), bal.options().contains("use_domain_only"))::apply, consistent, fn);
            // The RDP connection request's cookie (configuration.txt "balance rdp-cookie"), not an HTTP one.
            case RDP_COOKIE -> new HashBalancer(s -> io.haquark.acl.ContentFetches.rdpCookie(s, bal.parameter()), consistent, fn);
            case HASH -> {
                SampleExpr e = SampleExpr.parse(bal.parameter(), Path.of("."), null);
                yield new HashBalancer(e::evalString, consistent, fn);
            }
        };
    }

    /**
     * add server: HAProxy 2.6 takes dynamic servers only where the balancer can grow without
     * remapping every key: not static-rr, not a map-based hash.
     */
    public static boolean acceptsDynamicServers(Balance b) {
        BalanceAlgorithm a = of(b);
        boolean consistent = b != null && "consistent".equals(b.hashType());
        return a != STATIC_RR && (!a.hashBased || consistent);
    }
}
