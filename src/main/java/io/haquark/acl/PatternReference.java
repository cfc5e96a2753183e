package io.haquark.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one pattern or map file ("acl ... -f file", "map(file)"), shared by every
 * ACL and converter of the configuration that names the file, and changed at run time by
 * the runtime API (add/del/set/clear acl|map) as HAProxy's pattern references are. Readers
 * see an immutable snapshot and rebuild their matcher when {@link #version()} moves; writes
 * are rare and copy the list.
 */
public final class PatternReference {
    /** One entry: key (the pattern) and value (maps only, "" for ACL files). */
    public record Entry(long id, String key, String value) {
    }

    private final int id;
    private final String file;
    private final String usedBy;
    private volatile List<Entry> entries;
    private volatile int version;
    private long nextId;

    PatternReference(int id, String file, String usedBy, List<String[]> loaded) {
        this.id = id;
        this.file = file;
        this.usedBy = usedBy;
        List<Entry> list = new ArrayList<>(loaded.size());
        for (String[] e : loaded) {
            list.add(new Entry(nextId++, e[0], e[1]));
        }
        this.entries = List.copyOf(list);
    }

    public int id() {
        return id;
    }

    public String file() {
        return file;
    }

    /** "acl" or "map": which kind of reader loaded the file first. */
    public String usedBy() {
        return usedBy;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int version() {
        return version;
    }

    public List<String> keys() {
        return entries.stream().map(Entry::key).toList();
    }

    public synchronized void add(String key, String value) {
        List<Entry> list = new ArrayList<>(entries);
        list.add(new Entry(nextId++, key, value));
        publish(list);
    }

    /** Removes every entry with this key; false when there was none. */
    public synchronized boolean delete(String key) {
        List<Entry> list = new ArrayList<>(entries);
        boolean removed = list.removeIf(e -> e.key().equals(key));
        if (removed) {
            publish(list);
        }
        return removed;
    }

    /** Sets the value of every entry with this key; false when there was none. */
    public synchronized boolean set(String key, String value) {
        boolean found = false;
        List<Entry> list = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.key().equals(key)) {
                found = true;
                list.add(new Entry(e.id(), key, value));
            } else {
                list.add(e);
            }
        }
        if (found) {
            publish(list);
        }
        return found;
    }

    public synchronized void clear() {
        publish(List.of());
    }

    private void publish(List<Entry> list) {
        entries = List.copyOf(list);
        version++;
    }
}
