package io.haquark.model;

/** Parsers for the value types of configuration.txt §2.5 (times, sizes, integers). */
public final class Values {
    private static final long MAX_TIMER = 2147483647L;

    private Values() {
    }

    /**
     * A time: an integer with an optional unit us, ms, s, m, h or d; without a unit it is
     * milliseconds. Returns milliseconds (microseconds round up to 1 ms).
     */
    public static long time(String text, String context) {
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == 0) {
            if (text.isEmpty()) {
                throw new KeywordError("'" + context + "' expects an integer value (in milliseconds)");
            }
            throw new KeywordError("unexpected character '" + text.charAt(0) + "' in '" + context + "'");
        }
        long value;
        try {
            value = Long.parseLong(text.substring(0, i));
        } catch (NumberFormatException e) {
            throw overflow(text, context);
        }
        String rest = text.substring(i);
        // HAProxy reads the unit as a prefix and ignores what follows it ("1s[" is 1s).
        String unit = rest.startsWith("ms") || rest.startsWith("us") ? rest.substring(0, 2)
                : rest.isEmpty() ? "" : rest.substring(0, 1);
        long ms = switch (unit) {
            case "", "ms" -> value;
            case "us" -> (value + 999) / 1000;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            case "d" -> value * 86_400_000;
            default -> throw new KeywordError("unexpected character '" + rest.charAt(0) + "' in '" + context + "'");
        };
        if (ms > MAX_TIMER || ms < 0 || value > MAX_TIMER) {
            throw overflow(text, context);
        }
        return ms;
    }

    private static KeywordError overflow(String text, String context) {
        return new KeywordError("timer overflow in argument '" + text + "' to '" + context
                + "' (maximum value is 2147483647 ms or ~24.8 days)");
    }

    /** A size with an optional k, m or g suffix (powers of 1024). */
    public static long size(String text, String context) {
        if (text.isEmpty()) {
            throw new KeywordError("'" + context + "' expects a size value");
        }
        char last = Character.toLowerCase(text.charAt(text.length() - 1));
        long mult = switch (last) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        String digits = mult == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v * mult;
        } catch (NumberFormatException e) {
            throw new KeywordError("'" + context + "' : invalid size value '" + text + "'");
        }
    }

    /**
     * An integer read the way C's atol() reads it, which is what HAProxy does for maxconn,
     * weight, retries and friends: leading digits count, the rest is ignored, none gives 0.
     */
    public static long atol(String text) {
        int i = 0;
        boolean neg = false;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            neg = text.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (text.charAt(i) - '0');
            i++;
        }
        return neg ? -v : v;
    }

    /** True when atol() reads the whole text: what we warn about when it does not. */
    public static boolean isCleanInteger(String text) {
        return text.matches("[-+]?\\d{1,10}");
    }

    /** A strict integer (leading digits required, nothing after). */
    public static int integer(String text, String context) {
        try {
            long v = Long.parseLong(text);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new KeywordError("'" + context + "' expects an integer argument, got '" + text + "'");
        }
    }

    public static int integerInRange(String text, String context, int min, int max) {
        int v = integer(text, context);
        if (v < min || v > max) {
            throw new KeywordError("'" + context + "' : value " + v + " is not within " + min + " and " + max);
        }
        return v;
    }
}
