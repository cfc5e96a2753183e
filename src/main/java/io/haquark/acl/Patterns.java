package io.haquark.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP and CIDR patterns (configuration.txt §7.1.6), compared as bytes. */
public final class Patterns {

    /** A network: address bytes and prefix length. IPv4 and IPv4-mapped IPv6 compare alike. */
    public record Network(byte[] address, int prefix) {
        public boolean contains(InetAddress a) {
            return containsNormalized(normalize(a.getAddress()));
        }

        /** b: an address as {@link #normalize} returns it, so callers testing many networks convert once. */
        public boolean containsNormalized(byte[] b) {
            byte[] n = address;
            if (b.length != n.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != n[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (n[full] & mask);
        }
    }

    /** An IPv4-mapped IPv6 address compares as IPv4. */
    public static byte[] normalize(byte[] b) {
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
        }
        return b;
    }

    /** Parses a literal IP (no name lookup); null if it is not one. */
    public static InetAddress parseIp(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean v4 = s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6) {
            return null;
        }
        if (v4 && !io.haquark.model.IpLiterals.isIpv4(s)) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** "10.0.0.0/8", "10.0.0.0/255.0.0.0", "::1", "192.168.1.1". */
    public static Network network(String s) {
        String addr = s;
        int prefix = -1;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            addr = s.substring(0, slash);
            String m = s.substring(slash + 1);
            if (m.indexOf('.') >= 0) {
                InetAddress mask = parseIp(m);
                if (mask == null) {
                    throw new AclException("'" + s + "' is not a valid IPv4 or IPv6 address");
                }
                prefix = 0;
                for (byte b : mask.getAddress()) {
                    prefix += Integer.bitCount(b & 0xff);
                }
            } else {
                try {
                    prefix = Integer.parseInt(m);
                } catch (NumberFormatException e) {
                    throw new AclException("'" + s + "' is not a valid IPv4 or IPv6 address");
                }
            }
        }
        InetAddress a = parseIp(addr);
        if (a == null) {
            throw new AclException("'" + s + "' is not a valid IPv4 or IPv6 address");
        }
        byte[] bytes = normalize(a.getAddress());
        int max = bytes.length * 8;
        if (prefix < 0) {
            prefix = max;
        }
        if (prefix > max) {
            throw new AclException("'" + s + "' is not a valid IPv4 or IPv6 address");
        }
        return new Network(bytes, prefix);
    }

    private Patterns() {
    }
}
