package io.haquark.rules;

import io.haquark.acl.SampleSource;
import java.net.InetAddress;
import java.util.List;

/**
 * set-src, set-dst, set-src-port, set-dst-port in every rule set (configuration.txt
 * "tcp-request connection set-src"): the sample must be an address (or text of one) for the
 * address forms, an integer for the port forms; anything else leaves the address as it was.
 */
final class AddressAction {
    private AddressAction() {
    }

    /** which: "src", "dst", "src-port" or "dst-port". */
    static void apply(SampleSource s, SampleSource.AddressLevel level, String which, Object value) {
        if (value instanceof List<?> l) {
            value = l.isEmpty() ? null : l.get(l.size() - 1);
        }
        if (value == null) {
            return;
        }
        boolean source = which.startsWith("src");
        if (which.endsWith("-port")) {
            Long port = value instanceof Long n ? n : parseLong(String.valueOf(value));
            if (port != null && port >= 0 && port <= 65535) {
                s.setAddress(level, source, null, port.intValue());
            }
            return;
        }
        InetAddress a = value instanceof InetAddress ia ? ia : literal(String.valueOf(value).trim());
        if (a != null) {
            s.setAddress(level, source, a, -1);
        }
    }

    private static Long parseLong(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An address literal only: a rule never triggers a name lookup. */
    private static InetAddress literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+") || (text.indexOf(':') < 0 && !io.haquark.model.IpLiterals.isIpv4(text))) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
