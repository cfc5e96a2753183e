package io.haquark.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The variables of one scope (configuration.txt §2.8 and "set-var"): "proc." lives as long as the
 * loaded configuration, "sess." as long as the client connection, "txn.", "req." and "res." as long
 * as the transaction. A variable's full name ("sess.int5") is its key, so req.x and txn.x differ.
 *
 * <p>HAProxy creates every proc variable a set-var of the configuration names when it parses it,
 * without a value: such a variable "exists" for set-var's "ifexists" condition but is not "set".
 * {@link #UNSET} marks that state; unset-var on a proc variable returns it there.
 */
public final class Variables {
    /** The scopes of §2.8, by the prefix of the name. */
    public enum Scope {
        PROC, SESS, TXN, REQ, RES, CHECK;

        /** The scope of "scope.name", or null when the prefix is none of HAProxy's. */
        public static Scope of(String name) {
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                return null;
            }
            return switch (name.substring(0, dot)) {
                case "proc" -> PROC;
                case "sess" -> SESS;
                case "txn" -> TXN;
                case "req" -> REQ;
                case "res" -> RES;
                case "check" -> CHECK;
                default -> null;
            };
        }
    }

    /**
     * The conditions of "set-var(name,cond...)" (configuration.txt "set-var"), as bits. All of
     * them must hold for the value to be stored.
     */
    public static final int IF_EXISTS = 1;
    public static final int IF_NOT_EXISTS = 2;
    public static final int IF_EMPTY = 4;
    public static final int IF_NOT_EMPTY = 8;
    public static final int IF_SET = 16;
    public static final int IF_NOT_SET = 32;
    public static final int IF_GT = 64;
    public static final int IF_LT = 128;

    private static final Map<String, Integer> CONDITIONS = Map.of("ifexists", IF_EXISTS, "ifnotexists", IF_NOT_EXISTS,
            "ifempty", IF_EMPTY, "ifnotempty", IF_NOT_EMPTY, "ifset", IF_SET, "ifnotset", IF_NOT_SET, "ifgt", IF_GT,
            "iflt", IF_LT);

    private static final Object UNSET = new Object();
    /** The proc scope of the configuration being compiled on this thread (see {@link #bind()}). */
    private static final ThreadLocal<Variables> COMPILING = new ThreadLocal<>();

    private final Map<String, Object> values;
    private final boolean permanent;

    private Variables(Map<String, Object> values, boolean permanent) {
        this.values = values;
        this.permanent = permanent;
    }

    /** The proc scope: shared by every event loop and the runtime API; its variables stay once created. */
    public static Variables process() {
        return new Variables(new ConcurrentHashMap<>(), true);
    }

    /** A session's or a transaction's: one event loop only. */
    public static Variables local() {
        return new Variables(new HashMap<>(4), false);
    }

    /** The bits of "ifexists,ifnotset..."; an unknown word is an error (HAProxy refuses the rule). */
    public static int conditions(List<String> words) {
        int bits = 0;
        for (String w : words) {
            Integer b = CONDITIONS.get(w.trim());
            if (b == null) {
                throw new IllegalArgumentException("unknown condition \"" + w.trim() + "\".");
            }
            bits |= b;
        }
        return bits;
    }

    /** Binds this proc scope to the compiling thread, so that each set-var parsed declares its proc variable. */
    public Binding bind() {
        Variables previous = COMPILING.get();
        COMPILING.set(this);
        return () -> COMPILING.set(previous);
    }

    /** A binding of {@link #bind()}; closing it restores the previous one. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A set-var (action or converter) naming this variable was parsed: a proc variable then exists
     * from the start, as HAProxy creates it at parse time; other scopes exist once set.
     */
    public static void parsed(String name) {
        Variables proc = COMPILING.get();
        if (proc != null && Scope.of(name) == Scope.PROC) {
            proc.declare(name);
        }
    }

    /** A proc variable the configuration names: it exists from the start, without a value. */
    public void declare(String name) {
        values.putIfAbsent(name, UNSET);
    }

    public Object get(String name) {
        Object v = values.get(name);
        return v == UNSET ? null : v;
    }

    /** Stores the value when every condition holds; a null value stores nothing. */
    public boolean set(String name, Object value, int conditions) {
        if (value == null) {
            return false;
        }
        if (conditions != 0 && !allowed(values.get(name), value, conditions)) {
            return false;
        }
        values.put(name, value);
        return true;
    }

    public void set(String name, Object value) {
        set(name, value, 0);
    }

    public void unset(String name) {
        if (permanent) {
            values.computeIfPresent(name, (k, v) -> UNSET);
        } else {
            values.remove(name);
        }
    }

    /** The names and values set now (the runtime API's "get var" reads one). */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new java.util.TreeMap<>();
        values.forEach((k, v) -> {
            if (v != UNSET) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static boolean allowed(Object old, Object value, int c) {
        boolean exists = old != null;
        boolean set = exists && old != UNSET;
        if ((c & IF_EXISTS) != 0 && !exists || (c & IF_NOT_EXISTS) != 0 && exists) {
            return false;
        }
        if ((c & IF_SET) != 0 && !set || (c & IF_NOT_SET) != 0 && set) {
            return false;
        }
        // Emptiness is the new value's: only strings and binaries can be empty, never a scalar.
        boolean empty = value instanceof CharSequence cs && cs.isEmpty() || value instanceof byte[] b && b.length == 0;
        if ((c & IF_EMPTY) != 0 && !empty || (c & IF_NOT_EMPTY) != 0 && empty) {
            return false;
        }
        // ifgt/iflt compare the old value with the new one, and only when both are integers.
        if ((c & (IF_GT | IF_LT)) != 0 && set && old instanceof Long o && value instanceof Long n) {
            if ((c & IF_GT) != 0 && !(o > n) || (c & IF_LT) != 0 && !(o < n)) {
                return false;
            }
        }
        return true;
    }

    /** HAProxy's name of a sample's type, as "get var" prints it. */
    public static String typeName(Object v) {
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "sint";
        }
        if (v instanceof byte[]) {
            return "bin";
        }
        if (v instanceof java.net.Inet4Address) {
            return "ipv4";
        }
        if (v instanceof java.net.Inet6Address) {
            return "ipv6";
        }
        return "str";
    }
}
