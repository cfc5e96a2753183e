package io.haquark.tls;

import io.haquark.acl.DistinguishedNames;
import io.haquark.model.CrtListLine;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS commands of the runtime API (management.txt §9.3 "show/set/commit/abort/new/del ssl
 * cert", "... ssl ca-file", "... ssl crl-file", "add/del/show ssl crt-list"), with HAProxy 2.6's
 * answers, over an {@link SslStore}.
 */
public final class SslRuntime {
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final SslStore store;

    public SslRuntime(SslStore store) {
        this.store = store;
    }

    /** Runs "<verb> ssl <kind> ..." (words as split by the API, payload lines of "<<"); the answer's text. */
    public String run(String[] w, List<String> payload) {
        if (w.length < 3) {
            return "Missing arguments.\n";
        }
        String verb = w[0];
        String kind = w[2];
        String arg = w.length > 3 ? w[3] : null;
        String inline = w.length > 4 ? String.join(" ", java.util.Arrays.copyOfRange(w, 4, w.length)) : null;
        String body = !payload.isEmpty() ? String.join("\n", payload) : inline;
        synchronized (store) {
            return switch (kind) {
                case "cert" -> cert(verb, arg, body);
                case "ca-file" -> caFile(verb, arg, body);
                case "crl-file" -> crlFile(verb, arg, body);
                case "crt-list" -> crtList(verb, w, body);
                default -> "Unknown command.\n";
            };
        }
    }

    // ---- certificates

    private String cert(String verb, String path, String body) {
        SslStore.Transaction<SslStore.Cert> txn = store.certTxn;
        if (verb.equals("show")) {
            if (path == null) {
                return list(txn, store.certs(), c -> "");
            }
            boolean staged = path.startsWith("*");
            String name = staged ? path.substring(1) : path;
            SslStore.Cert c = staged ? (txn != null && txn.path().equals(name) ? txn.content() : null) : store.certs().get(name);
            if (c == null) {
                return "Can't display the certificate: Not found or the certificate is a bundle!\n";
            }
            StringBuilder sb = new StringBuilder("Filename: ").append(path).append('\n');
            if (c.empty()) {
                return sb.append("Status: Empty\nOCSP Response Key: \n").toString();
            }
            sb.append("Status: ").append(!staged && store.isUsed(name) ? "Used" : "Unused").append('\n');
            describe(sb, c.chain().get(0));
            for (X509Certificate extra : c.chain().subList(1, c.chain().size())) {
                sb.append("Chain Subject: ").append(DistinguishedNames.oneLine(extra.getSubjectX500Principal())).append('\n');
                sb.append("Chain Issuer: ").append(DistinguishedNames.oneLine(extra.getIssuerX500Principal())).append('\n');
            }
            return sb.append("OCSP Response Key: \n").toString();
        }
        if (path == null) {
            return "'" + verb + " ssl cert' expects a filename\n";
        }
        switch (verb) {
            case "set" -> {
                if (txn != null && !txn.path().equals(path)) {
                    return ongoing(txn.path(), path) + "Can't update " + path + "!\n";
                }
                SslStore.Cert old = store.certs().get(path);
                if (old == null) {
                    return "Can't replace a certificate which is not referenced by the configuration!\nCan't update " + path + "!\n";
                }
                SslStore.Cert c;
                try {
                    c = SslStore.Cert.parse(body == null ? "" : body, path);
                    if (c.key() == null) {
                        c = new SslStore.Cert(old.key(), c.chain());
                    }
                    if (c.key() == null) {
                        throw new IOException("no private key");
                    }
                } catch (IOException e) {
                    return "unable to load certificate from file '" + path + "'.\nCan't load the payload\nCan't update " + path + "!\n";
                }
                store.certTxn = new SslStore.Transaction<>(path, c);
                return "Transaction " + (txn == null ? "created" : "updated") + " for certificate " + path + "!\n";
            }
            case "commit" -> {
                if (txn == null) {
                    return "No ongoing transaction! !\nCan't commit " + path + "!\n";
                }
                if (!txn.path().equals(path)) {
                    return ongoing(txn.path(), path) + "Can't commit " + path + "!\n";
                }
                store.putCert(path, txn.content());
                store.certTxn = null;
                store.rebuildAll();
                // HAProxy prints a dot per TLS context it rebuilt with the certificate.
                return "Committing " + path + ".".repeat(store.uses(path)) + "\nSuccess!\n";
            }
            case "abort" -> {
                if (txn == null || !txn.path().equals(path)) {
                    return "No ongoing transaction!\n";
                }
                store.certTxn = null;
                return "Transaction aborted for certificate '" + path + "'!\n";
            }
            case "new" -> {
                if (store.certs().containsKey(path)) {
                    return "Certificate '" + path + "' already exists!\n";
                }
                store.putCert(path, SslStore.Cert.EMPTY);
                return "New empty certificate store '" + path + "'!\n";
            }
            case "del" -> {
                if (!store.certs().containsKey(path)) {
                    return "Can't remove the certificate: certificate '" + path + "' doesn't exist!\n\n";
                }
                if (store.isUsed(path) || txn != null && txn.path().equals(path)) {
                    return "Can't remove the certificate: certificate '" + path + "' in use, can't be deleted!\n\n";
                }
                store.removeCert(path);
                return "Certificate '" + path + "' deleted!\n";
            }
            default -> {
                return "Unknown command.\n";
            }
        }
    }

    private static String ongoing(String current, String asked) {
        return "The ongoing transaction is about '" + current + "' but you are trying to set '" + asked + "'\n";
    }

    /** Serial to Issuer of one certificate, as "show ssl cert" and "show ssl ca-file" print them. */
    private static void describe(StringBuilder sb, X509Certificate c) {
        byte[] serial = c.getSerialNumber().toByteArray();
        if (serial.length > 1 && serial[0] == 0) {
            serial = java.util.Arrays.copyOfRange(serial, 1, serial.length);
        }
        sb.append("Serial: ").append(HexFormat.of().withUpperCase().formatHex(serial)).append('\n');
        sb.append("notBefore: ").append(OPENSSL_TIME.format(c.getNotBefore().toInstant())).append('\n');
        sb.append("notAfter: ").append(OPENSSL_TIME.format(c.getNotAfter().toInstant())).append('\n');
        sb.append("Subject Alternative Name: ").append(alternativeNames(c)).append('\n');
        sb.append("Algorithm: ").append(algorithm(c)).append('\n');
        try {
            sb.append("SHA1 FingerPrint: ").append(HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(c.getEncoded()))).append('\n');
        } catch (java.security.GeneralSecurityException e) {
            sb.append("SHA1 FingerPrint: \n");
        }
        sb.append("Subject: ").append(DistinguishedNames.oneLine(c.getSubjectX500Principal())).append('\n');
        sb.append("Issuer: ").append(DistinguishedNames.oneLine(c.getIssuerX500Principal())).append('\n');
    }

    private static String alternativeNames(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    String tag = switch ((Integer) san.get(0)) {
                        case 1 -> "email";
                        case 2 -> "DNS";
                        case 6 -> "URI";
                        case 7 -> "IP Address";
                        default -> null;
                    };
                    if (tag != null) {
                        out.add(tag + ":" + san.get(1));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // printed empty, as when there are none
        }
        return String.join(", ", out);
    }

    /** "RSA2048", "EC256": the key type and size as HAProxy prints them. */
    private static String algorithm(X509Certificate c) {
        if (c.getPublicKey() instanceof RSAPublicKey rsa) {
            return "RSA" + rsa.getModulus().bitLength();
        }
        if (c.getPublicKey() instanceof ECPublicKey ec) {
            return "EC" + ec.getParams().getOrder().bitLength();
        }
        return c.getPublicKey().getAlgorithm();
    }

    // ---- CA files and CRL files

    private String caFile(String verb, String name, String body) {
        SslStore.Transaction<List<X509Certificate>> txn = store.caTxn;
        Map<String, List<X509Certificate>> files = store.caFiles();
        if (verb.equals("show")) {
            if (name == null) {
                return list(txn, files, c -> " - " + c.size() + " certificate(s)");
            }
            return showFile(name, files, txn, "CA file", "Certificate", SslRuntime::describe);
        }
        return transaction(verb, name, body, "CA file", "CA", files.containsKey(name), txn,
                text -> PemFiles.certificates(PemFiles.blocks(text), name), t -> store.caTxn = t, c -> store.putCaFile(name, c),
                () -> store.removeCaFile(name), List.of());
    }

    private String crlFile(String verb, String name, String body) {
        SslStore.Transaction<List<X509CRL>> txn = store.crlTxn;
        Map<String, List<X509CRL>> files = store.crlFiles();
        if (verb.equals("show")) {
            if (name == null) {
                return list(txn, files, crl -> "");
            }
            return showFile(name, files, txn, "CRL file", "Certificate Revocation List", SslRuntime::describe);
        }
        return transaction(verb, name, body, "CRL file", "CRL", files.containsKey(name), txn,
                text -> PemFiles.crls(PemFiles.blocks(text), name),
                t -> store.crlTxn = t, c -> store.putCrlFile(name, c), () -> store.removeCrlFile(name), List.of());
    }

    /** "show ssl cert|ca-file|crl-file" without a name: the file in a transaction ("*" before it), then every file of the store. */
    private static <T> String list(SslStore.Transaction<T> txn, Map<String, T> files, java.util.function.Function<T, String> suffix) {
        StringBuilder sb = new StringBuilder();
        if (txn != null) {
            sb.append("# transaction\n*").append(txn.path()).append(suffix.apply(txn.content())).append('\n');
        }
        sb.append("# filename\n");
        files.forEach((k, v) -> sb.append(k).append(suffix.apply(v)).append('\n'));
        return sb.toString();
    }

    /** "show ssl ca-file|crl-file <file>[:<n>]" ("*<file>": the one in a transaction): every entry of the file, or its n-th. */
    private <T> String showFile(String name, Map<String, List<T>> files, SslStore.Transaction<List<T>> txn, String what,
                                String entryTitle, java.util.function.BiConsumer<StringBuilder, T> describe) {
        int only = index(name);
        String shown = only > 0 ? name.substring(0, name.lastIndexOf(':')) : name;
        boolean staged = shown.startsWith("*");
        String n = staged ? shown.substring(1) : shown;
        List<T> entries = staged ? (txn != null && txn.path().equals(n) ? txn.content() : null) : files.get(n);
        if (entries == null || only > entries.size()) {
            return "Can't display the " + what + " : Not found!\n";
        }
        StringBuilder sb = new StringBuilder("Filename: ").append(shown).append('\n');
        sb.append("Status: ").append(!staged && store.isUsed(n) ? "Used" : "Unused").append('\n');
        for (int i = 0; i < entries.size(); i++) {
            if (only == 0 || i == only - 1) {
                sb.append(" \n").append(entryTitle).append(" #").append(i + 1).append(":\n");
                describe.accept(sb, entries.get(i));
            }
        }
        return sb.toString();
    }

    /** One CRL as "show ssl crl-file" prints it. */
    private static void describe(StringBuilder sb, X509CRL crl) {
        sb.append("Version ").append(crl.getVersion()).append('\n');
        sb.append("Signature Algorithm: ").append(crl.getSigAlgName()).append('\n');
        sb.append("Issuer: ").append(DistinguishedNames.oneLine(crl.getIssuerX500Principal())).append('\n');
        sb.append("Last Update: ").append(OPENSSL_TIME.format(crl.getThisUpdate().toInstant())).append('\n');
        if (crl.getNextUpdate() != null) {
            sb.append("Next Update: ").append(OPENSSL_TIME.format(crl.getNextUpdate().toInstant())).append('\n');
        }
        var revoked = crl.getRevokedCertificates();
        if (revoked == null || revoked.isEmpty()) {
            sb.append("No Revoked Certificates.\n");
        } else {
            sb.append("Revoked Certificates:\n");
            for (X509CRLEntry e : revoked) {
                sb.append("    Serial Number: ").append(HexFormat.of().withUpperCase().formatHex(
                        e.getSerialNumber().toByteArray())).append('\n');
                sb.append("        Revocation Date: ").append(OPENSSL_TIME.format(e.getRevocationDate().toInstant())).append('\n');
            }
        }
    }

    /** "<file>:<n>" shows the n-th certificate or CRL of a file only; 0 without that suffix. */
    private static int index(String name) {
        int colon = name.lastIndexOf(':');
        if (colon < 0 || colon == name.length() - 1 || !name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Integer.parseInt(name.substring(colon + 1));
    }

    private interface Parser<T> {
        T parse(String text) throws IOException;
    }

    /** new / set / commit / abort / del of a CA or CRL file, which answer alike. */
    private <T> String transaction(String verb, String name, String body, String what, String shortName, boolean exists,
                                   SslStore.Transaction<T> txn, Parser<T> parser,
                                   java.util.function.Consumer<SslStore.Transaction<T>> setTxn,
                                   java.util.function.Consumer<T> commit, Runnable remove, T empty) {
        if (name == null) {
            return "'" + verb + "' expects a filename\n";
        }
        switch (verb) {
            case "new" -> {
                if (exists) {
                    return what + " '" + name + "' already exists!\n";
                }
                commit.accept(empty);
                return "New " + what + " created '" + name + "'!\n";
            }
            case "set" -> {
                if (txn != null && !txn.path().equals(name)) {
                    return ongoing(txn.path(), name) + "Can't update " + name + "!\n";
                }
                if (!exists) {
                    return "Can't replace a " + what + " which is not referenced by the configuration!\nCan't update " + name + "!\n";
                }
                try {
                    setTxn.accept(new SslStore.Transaction<>(name, parser.parse(body == null ? "" : body)));
                } catch (IOException e) {
                    return "Invalid payload\nCan't update " + name + "!\n";
                }
                return "transaction " + (txn == null ? "created" : "updated") + " for " + shortName + " " + name + "!\n";
            }
            case "commit" -> {
                if (txn == null) {
                    return "No ongoing transaction! !\nCan't commit " + name + "!\n";
                }
                if (!txn.path().equals(name)) {
                    return ongoing(txn.path(), name) + "Can't commit " + name + "!\n";
                }
                commit.accept(txn.content());
                setTxn.accept(null);
                store.rebuildAll();
                return "Committing " + name + "\nSuccess!\n";
            }
            case "abort" -> {
                if (txn == null || !txn.path().equals(name)) {
                    return "No ongoing transaction!\n";
                }
                setTxn.accept(null);
                return "Transaction aborted for certificate '" + name + "'!\n";
            }
            case "del" -> {
                if (!exists) {
                    return "Can't remove the " + what + ": " + what + " '" + name + "' doesn't exist!\n\n";
                }
                if (store.isUsed(name) || txn != null && txn.path().equals(name)) {
                    return "Can't remove the " + what + ": " + what + " '" + name + "' in use, can't be deleted!\n\n";
                }
                remove.run();
                return what + " '" + name + "' deleted!\n";
            }
            default -> {
                return "Unknown command.\n";
            }
        }
    }

    // ---- crt-lists

    private String crtList(String verb, String[] w, String body) {
        Map<String, List<CrtListLine>> lists = store.crtLists();
        if (verb.equals("show")) {
            boolean numbers = w.length > 3 && w[3].equals("-n");
            String name = w.length > (numbers ? 4 : 3) ? listName(w[numbers ? 4 : 3]) : null;
            if (name == null) {
                StringBuilder sb = new StringBuilder();
                lists.keySet().forEach(k -> sb.append(k).append('\n'));
                return sb.toString();
            }
            List<CrtListLine> lines = lists.get(name);
            if (lines == null) {
                return "didn't find the specified filename\n";
            }
            StringBuilder sb = new StringBuilder("# ").append(name).append('\n');
            lines.forEach(l -> sb.append(l.describe(numbers)).append('\n'));
            return sb.toString();
        }
        if (w.length < 4) {
            return "'" + verb + " ssl crt-list' expects a filename\n";
        }
        String name = listName(w[3]);
        List<CrtListLine> lines = lists.get(name);
        if (verb.equals("add")) {
            if (lines == null) {
                return "Can't edit the crt-list: crt-list '" + name + "' does not exist!\n";
            }
            if (body == null || body.isBlank()) {
                return "Can't edit the crt-list: no certificate given!\n";
            }
            int next = lines.stream().mapToInt(CrtListLine::line).max().orElse(0) + 1;
            CrtListLine line;
            try {
                line = CrtListLine.parse(body.lines().findFirst().orElse(""), next, f -> f);
            } catch (IllegalArgumentException e) {
                return "Can't edit the crt-list: " + e.getMessage() + "\n";
            }
            if (line == null) {
                return "Can't edit the crt-list: no certificate given!\n";
            }
            SslStore.Cert cert = store.certs().get(line.certificate());
            if (cert == null) {
                return "Can't edit the crt-list: certificate '" + line.certificate() + "' does not exist!\n";
            }
            if (cert.empty()) {
                return "Can't edit the crt-list: certificate '" + line.certificate() + "' is empty!\n";
            }
            Map<String, String> options = TlsContexts.lineOptions(line.options());
            for (String file : List.of("ca-file", "ca-verify-file", "crl-file")) {
                String f = options.get(file);
                if (f != null && !(file.equals("crl-file") ? store.crlFiles() : store.caFiles()).containsKey(f)) {
                    return "Can't edit the crt-list: '" + file + "' : unable to load " + f + "\n";
                }
            }
            store.addCrtListLine(name, line);
            store.rebuildAll();
            return "Inserting certificate '" + line.certificate() + "' in crt-list '" + name + "'.\nSuccess!\n";
        }
        if (verb.equals("del")) {
            if (lines == null) {
                return "Can't delete the entry: crt-list '" + name + "' does not exist!\n";
            }
            if (w.length < 5) {
                return "'del ssl crt-list' expects a filename and a certificate name\n";
            }
            String cert = w[4];
            Integer lineNo = null;
            int colon = cert.lastIndexOf(':');
            if (colon > 0 && cert.substring(colon + 1).matches("\\d+")) {
                lineNo = Integer.parseInt(cert.substring(colon + 1));
                cert = cert.substring(0, colon);
            }
            String file = cert;
            List<CrtListLine> found = lines.stream().filter(l -> l.certificate().equals(file)).toList();
            if (found.isEmpty()) {
                return "Can't delete the entry: certificate '" + cert + "' does not exist!\n";
            }
            Integer wanted = lineNo;
            List<CrtListLine> chosen = wanted == null ? found : found.stream().filter(l -> l.line() == wanted).toList();
            if (chosen.size() != 1) {
                return "Can't delete the entry: found the certificate '" + cert + "' in several entries, please specify a line number"
                        + " preceded by colons (" + String.join(", ", found.stream().map(l -> String.valueOf(l.line())).toList()) + ")!\n";
            }
            List<String> defaultFor = store.binds(name);
            if (chosen.get(0).equals(lines.get(0)) && !defaultFor.isEmpty()) {
                StringBuilder sb = new StringBuilder("Can't delete the entry: certificate '").append(cert)
                        .append("' cannot be deleted, it is used as default certificate by the following frontends:\n");
                defaultFor.forEach(b -> sb.append("\t- ").append(b).append('\n'));
                return sb.toString();
            }
            if (lines.size() == 1) {
                return "Can't delete the entry: it is the last one of the crt-list '" + name + "'!\n";
            }
            store.removeCrtListLine(name, chosen.get(0));
            store.rebuildAll();
            return "Entry '" + cert + "' deleted in crtlist '" + name + "'!\n";
        }
        return "Unknown command.\n";
    }

    /** A crt-list named with trailing slashes is the same list (HAProxy trims them). */
    private static String listName(String raw) {
        String n = raw;
        while (n.length() > 1 && n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }
}
