package io.haquark.tls;

import io.haquark.model.CrtListLine;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The certificates, CA files, CRL files and crt-lists of one configuration, by file name, as
 * HAProxy keeps them in memory (management.txt "set ssl cert", "add ssl crt-list" ...): each file
 * is read once at load time, the binds and servers that name it build their TLS contexts from
 * this store, and the runtime API changes it in transactions: "set" stages new content, "commit"
 * makes it current and rebuilds every TLS context (new handshakes use it, established
 * connections keep theirs), "abort" drops it. One transaction of each kind at a time.
 */
public final class SslStore {
    /** A certificate file: its key and its certificates, leaf first; both absent for "new ssl cert". */
    public record Cert(PrivateKey key, List<X509Certificate> chain) {
        public static final Cert EMPTY = new Cert(null, List.of());

        public boolean empty() {
            return chain.isEmpty();
        }

        static Cert parse(String pem, String name) throws IOException {
            List<PemFiles.Block> blocks = PemFiles.blocks(pem);
            List<X509Certificate> chain = PemFiles.certificates(blocks, name);
            PrivateKey key = PemFiles.privateKey(blocks, name);
            return new Cert(key, chain);
        }
    }

    /** A change under way: the file it is about and its new content. */
    public record Transaction<T>(String path, T content) {
    }

    private final Map<String, Cert> certs = new LinkedHashMap<>();
    private final Map<String, List<X509Certificate>> caFiles = new LinkedHashMap<>();
    private final Map<String, List<X509CRL>> crlFiles = new LinkedHashMap<>();
    private final Map<String, List<CrtListLine>> crtLists = new LinkedHashMap<>();
    /** Files the TLS contexts of binds and servers read, with how many contexts read each ("Status: Used"). */
    private final Map<String, Integer> used = new LinkedHashMap<>();
    private final List<Runnable> rebuilds = new CopyOnWriteArrayList<>();
    /** crt-list -> the binds (file:line) whose default certificate is its first line. */
    private final Map<String, List<String>> defaultOf = new LinkedHashMap<>();
    /** ssl-default-server-* of the global section, or null. */
    final io.haquark.model.GlobalSettings global;
    Transaction<Cert> certTxn;
    Transaction<List<X509Certificate>> caTxn;
    Transaction<List<X509CRL>> crlTxn;

    public SslStore() {
        this(null);
    }

    public SslStore(io.haquark.model.GlobalSettings global) {
        this.global = global;
    }

    private interface Loader<T> {
        T load(Path file) throws IOException;
    }

    /** A file of the store, read from disk on its first use; each use counts for "Status: Used". */
    private synchronized <T> T read(Map<String, T> files, String path, Loader<T> loader) throws IOException {
        T c = files.get(path);
        if (c == null) {
            c = loader.load(Path.of(path));
            files.put(path, c);
        }
        used.merge(path, 1, Integer::sum);
        return c;
    }

    /** A certificate file: the key from the file or from "<file>.key" beside it. */
    public Cert cert(String path) throws IOException {
        return read(certs, path, f -> {
            PrivateKey key = PemFiles.privateKey(f);
            Path beside = Path.of(f + ".key");
            if (key == null && java.nio.file.Files.exists(beside)) {
                key = PemFiles.privateKey(beside);
            }
            return new Cert(key, PemFiles.certificates(f));
        });
    }

    public List<X509Certificate> caFile(String path) throws IOException {
        return read(caFiles, path, PemFiles::certificates);
    }

    public List<X509CRL> crlFile(String path) throws IOException {
        return read(crlFiles, path, PemFiles::crls);
    }

    /** A crt-list: the lines read at load time the first time a bind names it, then as the runtime API left it. */
    public synchronized List<CrtListLine> crtList(String path, List<CrtListLine> loaded) {
        return List.copyOf(crtLists.computeIfAbsent(path, p -> new ArrayList<>(loaded)));
    }

    /** Whether the store holds a CA or CRL file of this name (one read at load time, or made by the runtime API). */
    public synchronized boolean knows(String name) {
        return caFiles.containsKey(name) || crlFiles.containsKey(name);
    }

    /** A bind without its own crt and without strict-sni answers with the list's first line when no name matches. */
    public synchronized void usedAsDefault(String list, String bind) {
        defaultOf.computeIfAbsent(list, k -> new ArrayList<>()).add(bind);
    }

    synchronized List<String> binds(String list) {
        return List.copyOf(defaultOf.getOrDefault(list, List.of()));
    }

    /** Something to rebuild after a commit: a bind's or a server's TLS context. */
    public void onCommit(Runnable rebuild) {
        rebuilds.add(rebuild);
    }

    /** Rebuilds every TLS context from the store as it is now. */
    synchronized void rebuildAll() {
        // What is used is what the rebuilt contexts read again.
        used.clear();
        for (Runnable r : rebuilds) {
            r.run();
        }
    }

    synchronized boolean isUsed(String path) {
        return used.containsKey(path) || crtLists.values().stream().anyMatch(l -> l.stream().anyMatch(e -> e.certificate().equals(path)));
    }

    /** How many TLS contexts (a bind's certificate, a server) read the file. */
    synchronized int uses(String path) {
        return used.getOrDefault(path, 0);
    }

    synchronized Map<String, Cert> certs() {
        return new LinkedHashMap<>(certs);
    }

    synchronized Map<String, List<X509Certificate>> caFiles() {
        return new LinkedHashMap<>(caFiles);
    }

    synchronized Map<String, List<X509CRL>> crlFiles() {
        return new LinkedHashMap<>(crlFiles);
    }

    synchronized Map<String, List<CrtListLine>> crtLists() {
        Map<String, List<CrtListLine>> out = new LinkedHashMap<>();
        crtLists.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    synchronized void putCert(String path, Cert c) {
        certs.put(path, c);
    }

    synchronized Cert removeCert(String path) {
        return certs.remove(path);
    }

    synchronized void putCaFile(String path, List<X509Certificate> c) {
        caFiles.put(path, c);
    }

    synchronized List<X509Certificate> removeCaFile(String path) {
        return caFiles.remove(path);
    }

    synchronized void putCrlFile(String path, List<X509CRL> c) {
        crlFiles.put(path, c);
    }

    synchronized List<X509CRL> removeCrlFile(String path) {
        return crlFiles.remove(path);
    }

    synchronized void addCrtListLine(String list, CrtListLine line) {
        crtLists.get(list).add(line);
    }

    synchronized boolean removeCrtListLine(String list, CrtListLine line) {
        return crtLists.get(list).remove(line);
    }
}
