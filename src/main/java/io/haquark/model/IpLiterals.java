package io.haquark.model;

import java.util.regex.Pattern;

/** Recognises IP address literals as HAProxy writes them (configuration.txt §11), without any name lookup. */
public final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpLiterals() {
    }

    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    public static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || !s.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
                || Character.digit(c, 16) >= 0 || Character.isLetterOrDigit(c))) {
            return false;
        }
        try {
            // Literal only: the string contains a colon, so no name lookup happens.
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
