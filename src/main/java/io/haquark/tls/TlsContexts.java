package io.haquark.tls;

import io.haquark.model.Bind;
import io.haquark.model.CrtListLine;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * TLS for "bind ... ssl crt <file|dir>" and "crt-list <file>" (configuration.txt §5.1): one
 * context per certificate, built from the {@link SslStore}; the client's SNI picks one by the
 * crt-list line's filters or else the certificate's CN/SAN names, the first being the default.
 * ALPN offers what "alpn" lists of h2 and http/1.1 (HTTP/1.1 alone without it). A bind's
 * contexts are rebuilt when the runtime API commits a change to the store.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The TLS of one bind: what new connections use, replaced as a whole when the store changes. */
    public static final class Tls {
        private volatile SniSelector current;
        private final Bind bind;
        private final Path base;
        private final io.haquark.model.GlobalSettings global;
        private final SslStore store;

        Tls(Bind bind, Path base, io.haquark.model.GlobalSettings global, SslStore store) throws IOException {
            this.bind = bind;
            this.base = base;
            this.global = global;
            this.store = store;
            this.current = select(bind, base, global, store);
        }

        public io.netty.channel.ChannelHandler newHandler(io.netty.buffer.ByteBufAllocator alloc) {
            return current.newHandler(alloc);
        }

        /** After a commit: new contexts from the store; the old ones stay when the new ones cannot be built. */
        void rebuild() {
            try {
                current = select(bind, base, global, store);
            } catch (IOException | RuntimeException e) {
                org.jboss.logging.Logger.getLogger("haquark.tls").warnf("[WARNING] bind %s: TLS not rebuilt after a runtime"
                        + " change: %s", bind.spec(), e.getMessage());
            }
        }
    }

    /** The TLS version words that apply to a bind: global ssl-default-bind-options, then the bind's own. */
    public static List<String> versionWords(Map<String, String> options, io.haquark.model.GlobalSettings g) {
        return versionWords(options, g, "ssl-default-bind-options");
    }

    /** The TLS version words of a bind's or a server's options, after the global defaults named. */
    static List<String> versionWords(Map<String, String> options, io.haquark.model.GlobalSettings g, String defaultsKey) {
        List<String> words = new ArrayList<>();
        String defaults = g == null ? null : g.sslDefaults().get(defaultsKey);
        if (defaults != null) {
            words.addAll(List.of(defaults.trim().split("\\s+")));
        }
        options.forEach((k, v) -> {
            if (k.equals("ssl-min-ver") || k.equals("ssl-max-ver")) {
                words.add(k);
                words.add(v);
            } else if (k.startsWith("no-") || k.startsWith("force-")) {
                words.add(k);
            }
        });
        return words;
    }

    /** ciphers and ciphersuites of the bind, else the global defaults, as one list for Netty. */
    public static List<String> ciphers(Map<String, String> options, io.haquark.model.GlobalSettings g) {
        return ciphers(options, g, "ssl-default-bind-");
    }

    /** ciphers and ciphersuites of a bind's or a server's options, else the global "<prefix>ciphers" ones. */
    static List<String> ciphers(Map<String, String> options, io.haquark.model.GlobalSettings g, String defaultsPrefix) {
        List<String> out = new ArrayList<>();
        for (String k : new String[] {"ciphers", "ciphersuites"}) {
            String v = options.get(k);
            if (v == null && g != null) {
                v = g.sslDefaults().get(defaultsPrefix + k);
            }
            if (v != null && !v.isBlank()) {
                for (String c : v.split("[:;, ]+")) {
                    if (!c.isEmpty()) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    /** "alpn h2,http/1.1": the protocols offered, in the bind's order; HTTP/1.1 alone without it. */
    public static List<String> alpn(List<String> alpn) {
        List<String> offered = alpn.stream()
                .filter(p -> p.equals(ApplicationProtocolNames.HTTP_2) || p.equals(ApplicationProtocolNames.HTTP_1_1)).toList();
        return offered.isEmpty() ? List.of(ApplicationProtocolNames.HTTP_1_1) : offered;
    }

    /** A bind's TLS, kept up to date with the store's commits. */
    public static Tls build(Bind b, Path base, io.haquark.model.GlobalSettings global, SslStore store) throws IOException {
        Tls tls = new Tls(b, base, global, store);
        store.onCommit(tls::rebuild);
        if (b.certificates().isEmpty() && b.crtList() != null && !b.options().containsKey("strict-sni")) {
            store.usedAsDefault(b.crtList(), String.valueOf(b.where()));
        }
        return tls;
    }

    /** The bind's certificates as crt-list lines: its crt files (a directory's files in name order), then its crt-list. */
    static List<CrtListLine> entries(Bind b, Path base, SslStore store) throws IOException {
        List<CrtListLine> out = new ArrayList<>();
        for (String c : b.certificates()) {
            Path p = base.resolve(c);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path f : s.filter(Files::isRegularFile).filter(f -> !ignored(f.getFileName().toString())).sorted().toList()) {
                        out.add(new CrtListLine(f.toString(), List.of(), List.of(), 0));
                    }
                }
            } else {
                out.add(new CrtListLine(p.toString(), List.of(), List.of(), 0));
            }
        }
        if (b.crtList() != null) {
            out.addAll(store.crtList(b.crtList(), b.crtListLines()));
        }
        return out;
    }

    private static SniSelector select(Bind b, Path base, io.haquark.model.GlobalSettings global, SslStore store) throws IOException {
        List<CrtListLine> entries = entries(b, base, store);
        if (entries.isEmpty()) {
            throw new IOException("no certificate found in " + b.certificates());
        }
        List<SniSelector.Entry> built = new ArrayList<>();
        for (CrtListLine e : entries) {
            SslStore.Cert cert = store.cert(e.certificate());
            if (cert.key() == null) {
                throw new IOException("File does not contain valid private key: " + e.certificate());
            }
            Map<String, String> options = new LinkedHashMap<>(b.options());
            options.putAll(lineOptions(e.options()));
            List<String> alpn = options.containsKey("alpn") && !e.options().isEmpty() && lineOptions(e.options()).containsKey("alpn")
                    ? List.of(options.get("alpn").split(",")) : b.alpn();
            SslContext context = context(b.spec(), options, alpn, cert, base, global, store);
            List<String> positive = e.filters().stream().filter(f -> !f.startsWith("!")).toList();
            List<String> negative = e.filters().stream().filter(f -> f.startsWith("!")).map(f -> f.substring(1)).toList();
            built.add(new SniSelector.Entry(context, positive.isEmpty() ? hostNames(cert.chain()) : positive, negative));
        }
        return new SniSelector(built, b.options().containsKey("strict-sni"));
    }

    /** The bracketed options of a crt-list line as keyword -> value ("" for a flag). */
    static Map<String, String> lineOptions(List<String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("allow-0rtt") || w.equals("no-ca-names") || w.startsWith("no-") || w.startsWith("force-")) {
                out.put(w, "");
            } else if (i + 1 < words.size()) {
                out.put(w, words.get(++i));
            }
        }
        return out;
    }

    private static SslContext context(String spec, Map<String, String> options, List<String> alpn, SslStore.Cert cert, Path base,
                                      io.haquark.model.GlobalSettings global, SslStore store) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forServer(PemFiles.keyManager(cert.key(), cert.chain()));
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn(alpn)));
        List<String> versions = versionWords(options, global);
        if (!versions.isEmpty()) {
            builder.protocols(io.haquark.config.TlsOptions.protocols(versions));
        }
        List<String> ciphers = ciphers(options, global);
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers);
        }
        // curves <list>, else global ssl-default-bind-curves (a curves list too), else ecdhe <curve>,
        // which a curves list overrides (compared): the key exchange groups offered, in OpenSSL's
        // names (BoringSSL knows P-256/prime256v1, P-384/secp384r1, P-521, X25519).
        String curves = options.get("curves");
        if (curves == null && global != null) {
            curves = global.sslDefaults().get("ssl-default-bind-curves");
        }
        if (curves == null) {
            curves = options.get("ecdhe");
        }
        if (curves != null) {
            builder.option(io.netty.handler.ssl.OpenSslContextOption.GROUPS, curves.split(":"));
        }
        String verify = options.getOrDefault("verify", "none");
        if (!verify.equals("none") && (options.containsKey("ca-file") || options.containsKey("ca-verify-file"))) {
            builder.trustManager(verifier(options, base, store));
        }
        // verify none (the default) asks for no certificate; optional asks, required insists.
        builder.clientAuth(switch (verify) {
            case "required" -> io.netty.handler.ssl.ClientAuth.REQUIRE;
            case "optional" -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            default -> io.netty.handler.ssl.ClientAuth.NONE;
        });
        return sessions(build(builder, ciphers, "bind " + spec), global);
    }

    /**
     * The session cache as HAProxy sizes it: global tune.ssl.cachesize (20000 by default, 0 none)
     * and tune.ssl.lifetime (300s by default). Tickets stay on ("no-tls-tickets" is not yet).
     */
    private static SslContext sessions(SslContext ctx, io.haquark.model.GlobalSettings global) {
        if (!(ctx instanceof io.netty.handler.ssl.ReferenceCountedOpenSslContext openssl)) {
            return ctx;
        }
        java.util.Map<String, String> tune = global == null ? java.util.Map.of() : global.tune();
        int size = Integer.parseInt(tune.getOrDefault("tune.ssl.cachesize", "20000"));
        io.netty.handler.ssl.OpenSslSessionContext sessions = openssl.sessionContext();
        if (size == 0) {
            sessions.setSessionCacheEnabled(false);
        } else {
            sessions.setSessionCacheSize(size);
        }
        sessions.setSessionTimeout((int) Long.parseLong(tune.getOrDefault("tune.ssl.lifetime", "300")));
        return ctx;
    }

    /**
     * Builds a context; OpenSSL takes cipher strings BoringSSL refuses (aliases such as EECDH,
     * ciphers it lacks): HAProxy would start, so haquark starts too, with the library's ciphers,
     * and says so.
     */
    static SslContext build(SslContextBuilder builder, List<String> ciphers, String what) throws javax.net.ssl.SSLException {
        try {
            return builder.build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException refused) {
            if (ciphers.isEmpty()) {
                throw refused;
            }
            org.jboss.logging.Logger.getLogger("haquark.tls").warnf("[WARNING] %s: cipher list '%s' is not understood by the"
                    + " TLS library (%s); its default ciphers are used instead.", what, String.join(":", ciphers), refused.getMessage());
            builder.ciphers(null);
            return builder.build();
        }
    }

    /**
     * The check of client certificates: ca-file (sent to the client as acceptable issuers and
     * trusted), ca-verify-file (trusted only), crl-file, and the ignored errors.
     */
    private static CertVerifier verifier(Map<String, String> options, Path base, SslStore store) throws IOException {
        List<X509Certificate> advertised = caFile(options.get("ca-file"), base, store);
        List<X509Certificate> trusted = new ArrayList<>(advertised);
        trusted.addAll(caFile(options.get("ca-verify-file"), base, store));
        String crl = options.get("crl-file");
        return new CertVerifier(advertised, trusted, crl == null ? List.of() : store.crlFile(storeName(crl, base, store)),
                io.haquark.config.TlsOptions.ignoreList(options.get("crt-ignore-err")),
                io.haquark.config.TlsOptions.ignoreList(options.get("ca-ignore-err")));
    }

    private static List<X509Certificate> caFile(String name, Path base, SslStore store) throws IOException {
        return name == null ? List.of() : store.caFile(storeName(name, base, store));
    }

    /** A file named in an option: as the store knows it (a runtime "new ssl ca-file" name), else resolved against the base. */
    private static String storeName(String name, Path base, SslStore store) {
        return store.knows(name) ? name : base.resolve(name).toString();
    }

    private static boolean ignored(String name) {
        return name.endsWith(".key") || name.endsWith(".ocsp") || name.endsWith(".issuer") || name.endsWith(".sctl");
    }

    /** CN and DNS SANs of a chain's first certificate. */
    static List<String> hostNames(List<X509Certificate> chain) {
        List<String> out = new ArrayList<>();
        if (chain.isEmpty()) {
            return out;
        }
        X509Certificate c = chain.get(0);
        try {
            for (Rdn r : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (r.getType().equalsIgnoreCase("CN")) {
                    out.add(r.getValue().toString());
                }
            }
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(san.get(1).toString());
                    }
                }
            }
        } catch (Exception e) {
            // unreadable names: the certificate is reached by default only
        }
        return out;
    }
}
