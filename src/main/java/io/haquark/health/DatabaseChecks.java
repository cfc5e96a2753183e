package io.haquark.health;

import java.nio.charset.StandardCharsets;

/**
 * option mysql-check and option pgsql-check (configuration.txt §4.2): what they send and how
 * HAProxy 2.6 reads the answers, status, code and info included (the reports an operator
 * greps for: "info: \"8.0.19\"", "code: 1251", "PostgreSQL server is ok").
 */
final class DatabaseChecks {
    private DatabaseChecks() {
    }

    /**
     * The login packet of "option mysql-check user <name>" followed by a QUIT: the 4.1 form
     * (default, "post-41") or the old one ("pre-41"); no password, as HAProxy sends none.
     */
    static byte[] mysqlLogin(String user, boolean pre41) {
        byte[] name = user.getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        if (pre41) {
            p.write(0x00);
            p.write(0x80);                 // client flags
            p.writeBytes(new byte[] {0, 0, 1}); // max packet size
        } else {
            p.writeBytes(new byte[] {0x00, (byte) 0x82, 0x00, 0x00}); // client flags (4.1 protocol, secure auth)
            p.writeBytes(new byte[] {0x00, (byte) 0x80, 0x00, 0x01}); // max packet size
            p.write(0x21);                 // charset utf8_general_ci
            p.writeBytes(new byte[23]);    // reserved
        }
        p.writeBytes(name);
        p.write(0);
        p.write(0);                        // empty password
        byte[] payload = p.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(payload.length & 0xff);
        out.write((payload.length >>> 8) & 0xff);
        out.write((payload.length >>> 16) & 0xff);
        out.write(1);                      // sequence id
        out.writeBytes(payload);
        out.writeBytes(new byte[] {1, 0, 0, 0, 1}); // COM_QUIT
        return out.toByteArray();
    }

    /** A PostgreSQL StartupMessage (protocol 3.0) for the user. */
    static byte[] pgsqlStartup(String user) {
        byte[] params = ("user\0" + user + "\0\0").getBytes(StandardCharsets.ISO_8859_1);
        int len = 8 + params.length;
        byte[] out = new byte[len];
        out[0] = (byte) (len >>> 24);
        out[1] = (byte) (len >>> 16);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        out[5] = 3;
        System.arraycopy(params, 0, out, 8, params.length);
        return out;
    }

    /** A verdict on a packet: not complete yet, failed, or passed (with info, maybe). */
    record Judged(boolean complete, CheckResult failure, String info) {
        static final Judged WAIT = new Judged(false, null, null);

        static Judged failed(CheckResult r) {
            return new Judged(true, r, null);
        }

        static Judged passed(String info) {
            return new Judged(true, null, info);
        }
    }

    /**
     * The first packet of a MySQL server: a v10 handshake gives the version as info; an
     * error packet fails with its code and message.
     */
    static Judged mysqlGreeting(byte[] d, boolean closed, long ms) {
        Judged packet = mysqlPacket(d, closed, ms);
        if (packet != null) {
            return packet;
        }
        if ((d[4] & 0xff) == 0xff) {
            return mysqlError(d, ms);
        }
        if (d[4] != 10) {
            return Judged.failed(CheckResult.l7rsp("unsupported protocol version " + (d[4] & 0xff), ms));
        }
        int end = 5;
        while (end < d.length && d[end] != 0) {
            end++;
        }
        return Judged.passed(new String(d, 5, end - 5, StandardCharsets.ISO_8859_1));
    }

    /** The answer to the login: OK passes, an error packet fails with its code and message. */
    static Judged mysqlLoginAnswer(byte[] d, boolean closed, long ms) {
        Judged packet = mysqlPacket(d, closed, ms);
        if (packet != null) {
            return packet;
        }
        if ((d[4] & 0xff) == 0xff) {
            return mysqlError(d, ms);
        }
        return d[4] == 0 ? Judged.passed(null) : Judged.failed(CheckResult.l7rsp(null, ms));
    }

    /** null when a whole packet is there; a waiting (both null) or failed verdict otherwise. */
    private static Judged mysqlPacket(byte[] d, boolean closed, long ms) {
        int len = d.length < 3 ? -1 : (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16;
        if (len < 0 || d.length < 4 + len || len < 1) {
            return closed ? Judged.failed(CheckResult.l7rsp(null, ms)) : Judged.WAIT;
        }
        return null;
    }

    private static Judged mysqlError(byte[] d, long ms) {
        int code = d.length < 7 ? 0 : (d[5] & 0xff) | (d[6] & 0xff) << 8;
        // 4.1 servers put '#' and a 5-character SQL state before the message.
        int from = d.length > 7 && d[7] == '#' ? 13 : 7;
        int len = (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16;
        int to = Math.min(d.length, 4 + len);
        String msg = from < to ? new String(d, from, to - from, StandardCharsets.ISO_8859_1) : "";
        return Judged.failed(new CheckResult("L7STS", false, code, "Layer7 wrong status, info: \"" + msg + "\"", ms));
    }

    /** option ldap-check: an LDAPv3 anonymous simple bind request (message 1, version 3, empty name and password). */
    static final byte[] LDAP_BIND = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, (byte) 0x80, 0x00};

    /**
     * The answer to the bind, read as HAProxy reads it (RFC 4511 §4.2.2, §4.1.9): a SEQUENCE of at
     * least 14 bytes holding message 1's bindResponse and its ENUMERATED resultCode; 0 passes,
     * another code fails with it, anything else is "Not LDAPv3 protocol". Null while more may come.
     */
    static CheckResult ldap(byte[] d, boolean closed, long ms) {
        if (d.length < 14 && !closed) {
            return null;
        }
        if (d.length == 0 || d[0] != 0x30) {
            return CheckResult.l7rsp("Not LDAPv3 protocol", ms);
        }
        try {
            int p = 1;
            p += (d[p] & 0x80) != 0 ? 1 + (d[p] & 0x7f) : 1;
            if (d[p] != 0x02 || d[p + 1] != 0x01 || d[p + 2] != 0x01 || d[p + 3] != 0x61) {
                return CheckResult.l7rsp("Not LDAPv3 protocol", ms);
            }
            p += 4;
            p += (d[p] & 0x80) != 0 ? 1 + (d[p] & 0x7f) : 1;
            if (d[p] != 0x0a || d[p + 1] != 0x01) {
                return CheckResult.l7rsp("Not LDAPv3 protocol", ms);
            }
            int code = d[p + 2] & 0xff;
            if (code != 0) {
                return new CheckResult("L7STS", false, code,
                        "Layer7 wrong status, code: " + code + ", info: \"See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9\"", ms);
            }
            return CheckResult.l7ok(0, ms);                // code 0, no info: as HAProxy's stats show it
        } catch (ArrayIndexOutOfBoundsException e) {
            return CheckResult.l7rsp("Not LDAPv3 protocol", ms);
        }
    }

    /**
     * The answer to a StartupMessage: an authentication request ('R' with a method HAProxy
     * knows) means the server is ok; an error ('E') fails with its severity; anything else is
     * an unknown error.
     */
    static CheckResult pgsql(byte[] d, boolean closed, long ms) {
        if (d.length >= 1 && d[0] == 'E') {
            if (d.length < 6 && !closed) {
                return null;
            }
            int end = 6;
            while (end < d.length && d[end] != 0) {
                end++;
            }
            String severity = d.length > 6 ? new String(d, 6, end - 6, StandardCharsets.ISO_8859_1) : "";
            return CheckResult.l7rsp(severity, ms);
        }
        if (d.length < 9 && !closed) {
            return null;
        }
        boolean auth = d.length >= 9 && d[0] == 'R' && d[1] == 0 && d[2] == 0 && d[3] == 0
                && d[5] == 0 && d[6] == 0 && d[7] == 0 && java.util.Set.of(0, 2, 3, 4, 5, 6, 7, 9, 10).contains((int) d[8]);
        if (auth) {
            return new CheckResult("L7OK", true, -1, "Layer7 check passed, info: \"PostgreSQL server is ok\"", ms);
        }
        return new CheckResult("L7STS", false, -1, "Layer7 wrong status, info: \"PostgreSQL unknown error\"", ms);
    }
}
