package io.haquark.acl;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** strftime(3) in the C locale, for the ltime/utime converters (configuration.txt §7.3.1). */
final class Strftime {
    private Strftime() {
    }

    static String format(String fmt, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder(fmt.length() + 16);
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 == fmt.length()) {
                sb.append(c);
                continue;
            }
            char f = fmt.charAt(++i);
            switch (f) {
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'c' -> sb.append(format("%a %b %e %H:%M:%S %Y", t));
                case 'C' -> two(sb, t.getYear() / 100);
                case 'd' -> two(sb, t.getDayOfMonth());
                case 'D' -> sb.append(format("%m/%d/%y", t));
                case 'e' -> sb.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'F' -> sb.append(format("%Y-%m-%d", t));
                case 'H' -> two(sb, t.getHour());
                case 'I' -> two(sb, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 'k' -> sb.append(t.getHour() < 10 ? " " : "").append(t.getHour());
                case 'l' -> {
                    int h = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
                    sb.append(h < 10 ? " " : "").append(h);
                }
                case 'm' -> two(sb, t.getMonthValue());
                case 'M' -> two(sb, t.getMinute());
                case 'n' -> sb.append('\n');
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'r' -> sb.append(format("%I:%M:%S %p", t));
                case 'R' -> sb.append(format("%H:%M", t));
                case 's' -> sb.append(t.toEpochSecond());
                case 'S' -> two(sb, t.getSecond());
                case 't' -> sb.append('\t');
                case 'T' -> sb.append(format("%H:%M:%S", t));
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'x' -> sb.append(format("%m/%d/%y", t));
                case 'X' -> sb.append(format("%H:%M:%S", t));
                case 'y' -> two(sb, t.getYear() % 100);
                case 'Y' -> sb.append(t.getYear());
                case 'z' -> {
                    int secs = t.getOffset().getTotalSeconds();
                    sb.append(secs < 0 ? '-' : '+');
                    secs = Math.abs(secs);
                    two(sb, secs / 3600);
                    two(sb, secs / 60 % 60);
                }
                case 'Z' -> sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                        .replace("Z", "UTC").replace("GMT", "GMT"));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(f);
            }
        }
        return sb.toString();
    }

    private static void two(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }
}
