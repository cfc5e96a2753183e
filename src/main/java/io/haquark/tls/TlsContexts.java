package io.haquark.tls;

import io.haquark.model.Bind;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * TLS for "bind ... ssl crt <file|dir>" (configuration.txt §5.1 "crt"): each PEM holds the
 * chain and the key (or the key sits beside it as "<file>.key"); with several certificates
 * the client's SNI picks one by CN/SAN, the first being the default. ALPN offers what "alpn"
 * lists of h2 and http/1.1 (HTTP/1.1 alone without it).
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * Either one context, or an SNI mapping over several; with strict-sni, {@code strict} refuses
     * a handshake whose server name no certificate carries.
     */
    public record Tls(SslContext single, Mapping<String, SslContext> sni, io.netty.util.AsyncMapping<String, SslContext> strict) {
        Tls(SslContext single, Mapping<String, SslContext> sni) {
            this(single, sni, null);
        }

        public io.netty.channel.ChannelHandler newHandler(io.netty.buffer.ByteBufAllocator alloc) {
            if (strict != null) {
                return new io.netty.handler.ssl.SniHandler(strict);
            }
            return single != null ? single.newHandler(alloc) : new io.netty.handler.ssl.SniHandler(sni);
        }
    }

    /** The TLS version words that apply to a bind: global ssl-default-bind-options, then the bind's own. */
    public static List<String> versionWords(Bind b, io.haquark.model.GlobalSettings g) {
        List<String> words = new ArrayList<>();
        String defaults = g == null ? null : g.sslDefaults().get("ssl-default-bind-options");
        if (defaults != null) {
            words.addAll(List.of(defaults.trim().split("\\s+")));
        }
        b.options().forEach((k, v) -> {
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
    public static List<String> ciphers(Bind b, io.haquark.model.GlobalSettings g) {
        List<String> out = new ArrayList<>();
        for (String[] k : new String[][] {{"ciphers", "ssl-default-bind-ciphers"}, {"ciphersuites", "ssl-default-bind-ciphersuites"}}) {
            String v = b.options().get(k[0]);
            if (v == null && g != null) {
                v = g.sslDefaults().get(k[1]);
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

    public static Tls build(Bind b, Path base) throws IOException {
        return build(b, base, null);
    }

    /** "alpn h2,http/1.1": the protocols offered, in the bind's order; HTTP/1.1 alone without it. */
    public static List<String> alpn(Bind b) {
        List<String> offered = b.alpn().stream()
                .filter(p -> p.equals(ApplicationProtocolNames.HTTP_2) || p.equals(ApplicationProtocolNames.HTTP_1_1)).toList();
        return offered.isEmpty() ? List.of(ApplicationProtocolNames.HTTP_1_1) : offered;
    }

    public static Tls build(Bind b, Path base, io.haquark.model.GlobalSettings global) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<String>> filters = new ArrayList<>();
        for (int i = 0; i < b.certificates().size(); i++) {
            Path p = base.resolve(b.certificates().get(i));
            List<String> sni = i < b.serverNames().size() ? b.serverNames().get(i) : List.of();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(f -> !ignored(f.getFileName().toString())).sorted().forEach(f -> {
                        files.add(f);
                        filters.add(List.of());
                    });
                }
            } else {
                files.add(p);
                filters.add(sni);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no certificate found in " + b.certificates());
        }
        List<SslContext> contexts = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        for (int fi = 0; fi < files.size(); fi++) {
            Path f = files.get(fi);
            Path key = Path.of(f + ".key");
            java.security.PrivateKey pk = PemFiles.privateKey(f);
            if (pk == null && Files.exists(key)) {
                pk = PemFiles.privateKey(key);
            }
            if (pk == null) {
                throw new IOException("File does not contain valid private key: " + f);
            }
            SslContextBuilder builder = SslContextBuilder.forServer(PemFiles.keyManager(pk, PemFiles.certificates(f)));
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn(b)));
            List<String> versions = versionWords(b, global);
            if (!versions.isEmpty()) {
                builder.protocols(io.haquark.config.TlsOptions.protocols(versions));
            }
            List<String> ciphers = ciphers(b, global);
            if (!ciphers.isEmpty()) {
                // OpenSSL separates with ':' and also ';', ',' or spaces
                builder.ciphers(ciphers);
            }
            String ca = b.options().get("ca-file");
            String verify = b.options().getOrDefault("verify", "none");
            if (ca != null && !verify.equals("none")) {
                builder.trustManager(verifier(b, base));
            }
            // verify none (the default) asks for no certificate; optional asks, required insists.
            builder.clientAuth(switch (verify) {
                case "required" -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                case "optional" -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                default -> io.netty.handler.ssl.ClientAuth.NONE;
            });
            SslContext context;
            try {
                context = builder.build();
            } catch (javax.net.ssl.SSLException | IllegalArgumentException refused) {
                if (ciphers.isEmpty()) {
                    throw refused;
                }
                // OpenSSL takes cipher strings BoringSSL refuses (aliases such as EECDH, ';' separators):
                // HAProxy would start, so haquark starts too, with the library's ciphers, and says so.
                org.jboss.logging.Logger.getLogger("haquark.tls").warnf("[WARNING] bind %s: cipher list '%s' is not understood by the"
                        + " TLS library (%s); its default ciphers are used instead.", b.spec(), String.join(":", ciphers), refused.getMessage());
                builder.ciphers(null);
                context = builder.build();
            }
            contexts.add(context);
            // A crt-list line's SNI filters replace the names the certificate carries.
            names.add(filters.get(fi).isEmpty() ? hostNames(f) : filters.get(fi));
        }
        if (b.options().containsKey("strict-sni")) {
            return strict(contexts, names);
        }
        if (contexts.size() == 1) {
            return new Tls(contexts.get(0), null);
        }
        DomainWildcardMappingBuilder<SslContext> m = new DomainWildcardMappingBuilder<>(contexts.get(0));
        for (int i = 0; i < contexts.size(); i++) {
            for (String n : names.get(i)) {
                try {
                    m.add(n, contexts.get(i));
                } catch (IllegalArgumentException e) {
                    // a name Netty cannot map (odd wildcard): that certificate is reached by default only
                }
            }
        }
        return new Tls(null, m.build());
    }

    /** The check of client certificates: the bind's ca-file, crl-file and ignored errors. */
    private static ClientCertVerifier verifier(Bind b, Path base) throws IOException {
        String crl = b.options().get("crl-file");
        return new ClientCertVerifier(PemFiles.certificates(base.resolve(b.options().get("ca-file"))),
                crl == null ? List.of() : PemFiles.crls(base.resolve(crl)),
                io.haquark.config.TlsOptions.ignoreList(b.options().get("crt-ignore-err")),
                io.haquark.config.TlsOptions.ignoreList(b.options().get("ca-ignore-err")));
    }

    /** strict-sni: only a server name one of the certificates carries (exactly, or by a wildcard) completes a handshake. */
    private static Tls strict(List<SslContext> contexts, List<List<String>> names) {
        io.netty.util.AsyncMapping<String, SslContext> m = (host, promise) -> {
            if (host != null) {
                String h = host.toLowerCase(java.util.Locale.ROOT);
                for (int i = 0; i < contexts.size(); i++) {
                    for (String n : names.get(i)) {
                        String p = n.toLowerCase(java.util.Locale.ROOT);
                        if (p.equals(h) || p.startsWith("*.") && h.endsWith(p.substring(1)) && h.indexOf('.') == h.length() - p.length() + 1) {
                            return promise.setSuccess(contexts.get(i));
                        }
                    }
                }
            }
            return promise.setFailure(new javax.net.ssl.SSLHandshakeException("strict-sni: no certificate for '" + host + "'"));
        };
        return new Tls(null, null, m);
    }

    private static boolean ignored(String name) {
        return name.endsWith(".key") || name.endsWith(".ocsp") || name.endsWith(".issuer") || name.endsWith(".sctl");
    }

    /** CN and DNS SANs of the first certificate of a PEM file. */
    public static List<String> hostNames(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("-----BEGIN CERTIFICATE-----");
        int end = text.indexOf("-----END CERTIFICATE-----", start);
        List<String> out = new ArrayList<>();
        if (start < 0 || end < 0) {
            return out;
        }
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(text.substring(start, end + 25).getBytes(StandardCharsets.ISO_8859_1)));
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
            // unreadable certificate: Netty's own loading reports it
        }
        return out;
    }
}
