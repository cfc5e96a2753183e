package io.haquark.engine;

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
final class TlsContexts {
    private TlsContexts() {
    }

    /** Either one context, or an SNI mapping over several. */
    record Tls(SslContext single, Mapping<String, SslContext> sni) {
    }

    /** "alpn h2,http/1.1": the protocols offered, in the bind's order; HTTP/1.1 alone without it. */
    static List<String> alpn(Bind b) {
        List<String> offered = b.alpn().stream()
                .filter(p -> p.equals(ApplicationProtocolNames.HTTP_2) || p.equals(ApplicationProtocolNames.HTTP_1_1)).toList();
        return offered.isEmpty() ? List.of(ApplicationProtocolNames.HTTP_1_1) : offered;
    }

    static Tls build(Bind b, Path base) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String crt : b.certificates()) {
            Path p = base.resolve(crt);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(f -> !ignored(f.getFileName().toString())).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no certificate found in " + b.certificates());
        }
        List<SslContext> contexts = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        for (Path f : files) {
            Path key = Path.of(f + ".key");
            SslContextBuilder builder = SslContextBuilder.forServer(f.toFile(), (Files.exists(key) ? key : f).toFile());
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn(b)));
            String min = b.options().get("ssl-min-ver");
            if (min != null) {
                builder.protocols(protocolsFrom(min));
            }
            contexts.add(builder.build());
            names.add(hostNames(f));
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

    private static boolean ignored(String name) {
        return name.endsWith(".key") || name.endsWith(".ocsp") || name.endsWith(".issuer") || name.endsWith(".sctl");
    }

    private static String[] protocolsFrom(String min) {
        return switch (min) {
            case "TLSv1.3" -> new String[] {"TLSv1.3"};
            case "TLSv1.2" -> new String[] {"TLSv1.2", "TLSv1.3"};
            default -> new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"};
        };
    }

    /** CN and DNS SANs of the first certificate of a PEM file. */
    static List<String> hostNames(Path pem) throws IOException {
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
