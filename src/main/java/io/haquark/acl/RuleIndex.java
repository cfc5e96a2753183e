package io.haquark.acl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first rule of an ordered list whose condition holds, found without testing every rule.
 *
 * <p>Long use_backend lists are mostly "if one ACL" where the ACLs read a few samples (the
 * path, the Host header, the source address) with exact, prefix, suffix or network patterns.
 * Rules reading the same sample with the same match method form a group: the sample is fetched
 * once and looked up in a hash table, a prefix or suffix tree, or a network list, which gives
 * the lowest matching rule of the group. Every other rule is tested in order, and only while it
 * comes before the best indexed match, so the answer is the one a walk from the top gives: the
 * indexed samples are pure request reads, evaluating them early changes nothing.
 */
public final class RuleIndex {
    /** Below this many indexable rules a plain walk is as fast and simpler to reason about. */
    private static final int MIN_INDEXED = 4;
    private static final int NONE = Integer.MAX_VALUE;

    private final Cond[] conds;
    private final Group[] groups;
    /** Rules outside every group, ascending. */
    private final int[] walked;

    private RuleIndex(Cond[] conds, Group[] groups, int[] walked) {
        this.conds = conds;
        this.groups = groups;
        this.walked = walked;
    }

    /** @param parsed for each rule, its condition as one positive ACL, or null (see {@link AclCompiler#single}) */
    public static RuleIndex of(Cond[] conds, AclCompiler.Parsed[] parsed) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < conds.length; i++) {
            AclCompiler.Parsed p = parsed[i];
            String key = p == null ? null : groupKey(p);
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        int indexable = byKey.values().stream().mapToInt(List::size).sum();
        boolean[] grouped = new boolean[conds.length];
        List<Group> groups = new ArrayList<>();
        if (indexable >= MIN_INDEXED) {
            for (List<Integer> rules : byKey.values()) {
                groups.add(Group.build(rules, parsed));
                rules.forEach(r -> grouped[r] = true);
            }
        }
        int[] walked = java.util.stream.IntStream.range(0, conds.length).filter(i -> !grouped[i]).toArray();
        return new RuleIndex(conds, groups.toArray(new Group[0]), walked);
    }

    /** Every rule walked in order: for lists that are never indexed. */
    public static RuleIndex walk(Cond[] conds) {
        return new RuleIndex(conds, new Group[0], java.util.stream.IntStream.range(0, conds.length).toArray());
    }

    private static String groupKey(AclCompiler.Parsed p) {
        if (p.key() == null) {
            return null;
        }
        String fetch = p.expr().fetchName();
        if (p.method().equals("found") && (fetch.equals("url_param") || fetch.equals("urlp")) && p.expr().args().size() == 1
                && !p.expr().args().get(0).isEmpty()) {
            // url_param(a) -m found, url_param(b) -m found ...: one pass over the query answers them all
            return "url_param -m found";
        }
        return switch (p.method()) {
            case "str", "beg", "end" -> p.key() + ' ' + p.method() + (p.ignoreCase() ? " -i" : "");
            case "ip", "found" -> p.key() + ' ' + p.method();
            default -> null;
        };
    }

    public int size() {
        return conds.length;
    }

    /** How many groups share a fetch (0: the list is walked). */
    public int indexedGroups() {
        return groups.length;
    }

    /** Index of the first rule whose condition holds, or -1. */
    public int first(SampleSource s) {
        int best = NONE;
        for (Group g : groups) {
            if (g.lowest < best) {
                best = Math.min(best, g.lookup(s, best));
            }
        }
        for (int i : walked) {
            if (i >= best) {
                break;
            }
            if (conds[i].test(s)) {
                return i;
            }
        }
        return best == NONE ? -1 : best;
    }

    /** The first rule at or after {@code from} whose condition holds, or -1 (after a rule whose target was missing). */
    public int next(SampleSource s, int from) {
        for (int i = from; i < conds.length; i++) {
            if (conds[i].test(s)) {
                return i;
            }
        }
        return -1;
    }

    /** Rules reading one sample with one match method. */
    private abstract static class Group {
        final SampleExpr expr;
        /** The first rule of the group: when a better match is known, the group is skipped. */
        final int lowest;

        Group(SampleExpr expr, int lowest) {
            this.expr = expr;
            this.lowest = lowest;
        }

        static Group build(List<Integer> rules, AclCompiler.Parsed[] parsed) {
            AclCompiler.Parsed first = parsed[rules.get(0)];
            if (groupKey(first).equals("url_param -m found")) {
                return new ParamsFound(first, rules, parsed);
            }
            return switch (first.method()) {
                case "str" -> new Exact(first, rules, parsed);
                case "beg", "end" -> new Affix(first, rules, parsed, first.method().equals("end"));
                case "ip" -> new Networks(first, rules, parsed);
                default -> new Found(first, rules.get(0));
            };
        }

        /** The lowest rule of the group below {@code best} that the request matches, else NONE. */
        int lookup(SampleSource s, int best) {
            Object v = expr.eval(s);
            if (v == null) {
                return NONE;
            }
            if (v instanceof List<?> list) {
                int found = NONE;
                for (Object o : list) {
                    if (o != null) {
                        found = Math.min(found, lookupOne(o, Math.min(best, found)));
                    }
                }
                return found;
            }
            return lookupOne(v, best);
        }

        abstract int lookupOne(Object value, int best);
    }

    /** -m found: any value matches, so the group's answer is its first rule. */
    private static final class Found extends Group {
        Found(AclCompiler.Parsed p, int rule) {
            super(p.expr(), rule);
        }

        @Override
        int lookupOne(Object value, int best) {
            return lowest;
        }
    }

    /**
     * url_param(name) -m found for many names: the query's parameter names are looked up in a
     * table of the names (hashed as String.hashCode does, so no substring is cut).
     */
    private static final class ParamsFound extends Group {
        private final String[] names;
        private final int[] rules;
        private final int mask;

        ParamsFound(AclCompiler.Parsed first, List<Integer> members, AclCompiler.Parsed[] parsed) {
            super(first.expr(), members.get(0));
            int size = Integer.highestOneBit(Math.max(4, members.size() * 4));
            names = new String[size];
            rules = new int[size];
            mask = size - 1;
            for (int r : members) {
                String n = parsed[r].expr().args().get(0);
                int slot = n.hashCode() & mask;
                while (names[slot] != null && !names[slot].equals(n)) {
                    slot = (slot + 1) & mask;
                }
                if (names[slot] == null) {
                    names[slot] = n;
                    rules[slot] = r;
                }
            }
        }

        @Override
        int lookupOne(Object value, int best) {
            throw new IllegalStateException("ParamsFound reads the query itself");
        }

        @Override
        int lookup(SampleSource s, int best) {
            String q = s.query();
            if (q == null) {
                return NONE;
            }
            int found = NONE;
            int start = 0;
            int len = q.length();
            while (start <= len) {
                int h = 0;
                int end = start;
                boolean inName = true;
                int nameEnd = -1;
                while (end < len && q.charAt(end) != '&') {
                    char c = q.charAt(end);
                    if (inName) {
                        if (c == '=') {
                            inName = false;
                            nameEnd = end;
                        } else {
                            h = 31 * h + c;
                        }
                    }
                    end++;
                }
                if (nameEnd < 0) {
                    nameEnd = end;
                }
                int slot = h & mask;
                for (String n = names[slot]; n != null; n = names[slot = (slot + 1) & mask]) {
                    if (n.length() == nameEnd - start && q.startsWith(n, start)) {
                        found = Math.min(found, rules[slot]);
                        break;
                    }
                }
                start = end + 1;
            }
            return found;
        }
    }

    /** -m str [-i]: a hash table from pattern to its first rule. */
    private static final class Exact extends Group {
        private final Map<String, Integer> rules = new HashMap<>();
        private final boolean ignoreCase;

        Exact(AclCompiler.Parsed first, List<Integer> members, AclCompiler.Parsed[] parsed) {
            super(first.expr(), members.get(0));
            this.ignoreCase = first.ignoreCase();
            for (int r : members) {
                for (String p : parsed[r].patterns()) {
                    rules.putIfAbsent(ignoreCase ? p.toLowerCase(Locale.ROOT) : p, r);
                }
            }
        }

        @Override
        int lookupOne(Object value, int best) {
            String s = Matcher.text(value);
            if (ignoreCase && hasUpper(s)) {
                s = s.toLowerCase(Locale.ROOT);
            }
            Integer r = rules.get(s);
            return r == null ? NONE : r;
        }

        private static boolean hasUpper(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != Character.toLowerCase(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** -m beg / -m end [-i]: a character tree of the patterns, read forwards or backwards. */
    private static final class Affix extends Group {
        private final Node root = new Node();
        private final boolean fromEnd;
        private final boolean ignoreCase;

        Affix(AclCompiler.Parsed first, List<Integer> members, AclCompiler.Parsed[] parsed, boolean fromEnd) {
            super(first.expr(), members.get(0));
            this.fromEnd = fromEnd;
            this.ignoreCase = first.ignoreCase();
            for (int r : members) {
                for (String p : parsed[r].patterns()) {
                    Node n = root;
                    for (int i = 0; i < p.length(); i++) {
                        n = n.child(fold(p.charAt(fromEnd ? p.length() - 1 - i : i)));
                    }
                    n.rule = Math.min(n.rule, r);
                }
            }
        }

        private char fold(char c) {
            return ignoreCase ? Character.toLowerCase(c) : c;
        }

        @Override
        int lookupOne(Object value, int best) {
            String s = Matcher.text(value);
            Node n = root;
            int found = n.rule;
            int len = s.length();
            for (int i = 0; i < len && n != null; i++) {
                n = n.find(fold(s.charAt(fromEnd ? len - 1 - i : i)));
                if (n != null && n.rule < found) {
                    found = n.rule;
                }
            }
            return found;
        }

        private static final class Node {
            char[] keys = new char[0];
            Node[] kids = new Node[0];
            int rule = NONE;

            Node find(char c) {
                char[] k = keys;
                for (int i = 0; i < k.length; i++) {
                    if (k[i] == c) {
                        return kids[i];
                    }
                }
                return null;
            }

            Node child(char c) {
                Node n = find(c);
                if (n == null) {
                    n = new Node();
                    keys = Arrays.copyOf(keys, keys.length + 1);
                    kids = Arrays.copyOf(kids, kids.length + 1);
                    keys[keys.length - 1] = c;
                    kids[kids.length - 1] = n;
                }
                return n;
            }
        }
    }

    /**
     * -m ip: IPv4 networks in one hash table per prefix length (the address masked once per
     * length), IPv6 networks in rule order.
     */
    private static final class Networks extends Group {
        /** Distinct IPv4 prefix lengths, and per length: masked network -> first rule. */
        private final int[] prefixes;
        private final int[][] keys;
        private final int[][] values;
        private final Patterns.Network[] v6;
        private final int[] v6Rules;

        Networks(AclCompiler.Parsed first, List<Integer> members, AclCompiler.Parsed[] parsed) {
            super(first.expr(), members.get(0));
            java.util.TreeMap<Integer, Map<Integer, Integer>> v4 = new java.util.TreeMap<>();
            List<Patterns.Network> six = new ArrayList<>();
            List<Integer> sixRules = new ArrayList<>();
            for (int rule : members) {
                for (String p : parsed[rule].patterns()) {
                    Patterns.Network n = Patterns.network(p);
                    if (n.address().length == 4) {
                        v4.computeIfAbsent(n.prefix(), k -> new HashMap<>()).putIfAbsent(toInt(n.address()) & mask(n.prefix()), rule);
                    } else {
                        six.add(n);
                        sixRules.add(rule);
                    }
                }
            }
            prefixes = v4.keySet().stream().mapToInt(Integer::intValue).toArray();
            keys = new int[prefixes.length][];
            values = new int[prefixes.length][];
            int i = 0;
            for (Map<Integer, Integer> table : v4.values()) {
                int size = Integer.highestOneBit(Math.max(4, table.size() * 4));
                keys[i] = new int[size];
                values[i] = new int[size];
                Arrays.fill(values[i], NONE);
                for (Map.Entry<Integer, Integer> e : table.entrySet()) {
                    int slot = spread(e.getKey()) & (size - 1);
                    while (values[i][slot] != NONE) {
                        slot = (slot + 1) & (size - 1);
                    }
                    keys[i][slot] = e.getKey();
                    values[i][slot] = e.getValue();
                }
                i++;
            }
            v6 = six.toArray(new Patterns.Network[0]);
            v6Rules = sixRules.stream().mapToInt(Integer::intValue).toArray();
        }

        private static int toInt(byte[] b) {
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        private static int mask(int prefix) {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        private static int spread(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        @Override
        int lookupOne(Object value, int best) {
            InetAddress a = value instanceof InetAddress ia ? ia : Patterns.parseIp(Matcher.text(value).trim());
            if (a == null) {
                return NONE;
            }
            byte[] b = Patterns.normalize(a.getAddress());
            int found = NONE;
            if (b.length == 4) {
                int addr = toInt(b);
                for (int i = 0; i < prefixes.length; i++) {
                    int key = addr & mask(prefixes[i]);
                    int[] k = keys[i];
                    int[] v = values[i];
                    int m = k.length - 1;
                    for (int slot = spread(key) & m; v[slot] != NONE; slot = (slot + 1) & m) {
                        if (k[slot] == key) {
                            found = Math.min(found, v[slot]);
                            break;
                        }
                    }
                }
                return found;
            }
            for (int k = 0; k < v6.length && v6Rules[k] < Math.min(best, found); k++) {
                if (v6[k].containsNormalized(b)) {
                    found = v6Rules[k];
                }
            }
            return found;
        }
    }
}
