package io.haquark.acl;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The MQTT converters (configuration.txt §7.3.1 "mqtt_is_valid", "mqtt_field_value"): an MQTT
 * CONNECT or CONNACK packet (MQTT 3.1, 3.1.1 and 5.0) read from the start of a binary sample,
 * typically {@code req.payload(0,0)} or {@code res.payload(0,0)}, to validate a connection or
 * route and stick on its client identifier.
 *
 * <p>What HAProxy 2.6 accepts, read off a running one (MqttTwinTest): only CONNECT and CONNACK
 * are valid packets; the protocol name is "MQTT" or "MQIsdp" with any version from 3 to 5; the
 * packet must end exactly where its remaining length says (bytes after it do not matter);
 * reserved flag bits must be zero; MQTT 5 properties must belong to the packet, appear once
 * (user properties excepted), and authentication data needs an authentication method. Strings
 * are not checked for UTF-8. A packet that is not all there yet gives no answer and "may
 * change", so inspecting rules wait for the rest.
 */
final class Mqtt {
    private Mqtt() {
    }

    /** Packet types by name, as mqtt_field_value's first argument spells them (a number 1-15 also works). */
    private static final List<String> TYPES = List.of("", "connect", "connack", "publish", "puback", "pubrec", "pubrel",
            "pubcomp", "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect", "auth");

    /** The field names and property identifiers each packet type has (HAProxy refuses others at load). */
    private static final Map<Integer, List<String>> FIELDS = Map.ofEntries(
            Map.entry(1, List.of("flags", "protocol_name", "protocol_version", "keepalive", "client_identifier", "will_topic",
                    "will_payload", "username", "password", "1", "2", "3", "8", "9", "17", "21", "22", "23", "24", "25", "33",
                    "34", "38", "39")),
            Map.entry(2, List.of("flags", "protocol_version", "reason_code", "17", "18", "19", "21", "22", "26", "28", "31", "33",
                    "34", "36", "37", "38", "39", "40", "41", "42")),
            Map.entry(3, List.of("1", "2", "3", "8", "9", "11", "35", "38")),
            Map.entry(4, List.of("reason_code", "31", "38")), Map.entry(5, List.of("reason_code", "31", "38")),
            Map.entry(6, List.of("reason_code", "31", "38")), Map.entry(7, List.of("reason_code", "31", "38")),
            Map.entry(8, List.of("11", "38")), Map.entry(9, List.of("31", "38")), Map.entry(10, List.of("38")),
            Map.entry(11, List.of("31", "38")), Map.entry(12, List.of()), Map.entry(13, List.of()),
            Map.entry(14, List.of("reason_code", "17", "28", "31", "38")), Map.entry(15, List.of("21", "22", "31", "38")));

    /** MQTT 5 property encodings: a 1, 2 or 4 byte integer, a variable byte integer, a string, binary data, a string pair. */
    private enum Kind { BYTE, SHORT, INT, VARINT, STRING, BINARY, PAIR }

    private static final Map<Integer, Kind> CONNECT_PROPS = Map.of(17, Kind.INT, 33, Kind.SHORT, 39, Kind.INT, 34, Kind.SHORT,
            25, Kind.BYTE, 23, Kind.BYTE, 38, Kind.PAIR, 21, Kind.STRING, 22, Kind.BINARY);
    private static final Map<Integer, Kind> WILL_PROPS = Map.of(24, Kind.INT, 1, Kind.BYTE, 2, Kind.INT, 3, Kind.STRING,
            8, Kind.STRING, 9, Kind.BINARY, 38, Kind.PAIR);
    private static final Map<Integer, Kind> CONNACK_PROPS = Map.ofEntries(Map.entry(17, Kind.INT), Map.entry(33, Kind.SHORT),
            Map.entry(36, Kind.BYTE), Map.entry(37, Kind.BYTE), Map.entry(39, Kind.INT), Map.entry(18, Kind.STRING),
            Map.entry(34, Kind.SHORT), Map.entry(31, Kind.STRING), Map.entry(38, Kind.PAIR), Map.entry(40, Kind.BYTE),
            Map.entry(41, Kind.BYTE), Map.entry(42, Kind.BYTE), Map.entry(19, Kind.SHORT), Map.entry(26, Kind.STRING),
            Map.entry(28, Kind.STRING), Map.entry(21, Kind.STRING), Map.entry(22, Kind.BINARY));

    /** The packet is not all there yet. */
    static final Object INCOMPLETE = new Object();
    /** Not a valid CONNECT or CONNACK. */
    static final Object INVALID = new Object();

    /** A valid packet: its type and fields, by name or by property identifier, as strings. */
    record Packet(int type, Map<String, String> fields) {
    }

    static void register(BiConsumer<String, ConverterRegistry.Factory> add) {
        add.accept("mqtt_is_valid", (a, b) -> (v, s) -> {
            Object p = parse(MoreConverters.bytes(v));
            if (p == INCOMPLETE) {
                s.sampleMayChange();
                return null;
            }
            return p instanceof Packet;
        });
        add.accept("mqtt_field_value", (a, b) -> {
            if (a.size() < 2 || a.get(1).isEmpty()) {
                throw new AclException("missing arguments (got " + a.size() + "/2), type 'string' expected");
            }
            int type = type(a.get(0).trim());
            String field = a.get(1).trim();
            if (!FIELDS.get(type).contains(field)) {
                throw new AclException("Unknown MQTT field name '" + field + "' for packet type '" + a.get(0).trim() + "'");
            }
            return (v, s) -> {
                Object p = parse(MoreConverters.bytes(v));
                if (p == INCOMPLETE) {
                    s.sampleMayChange();
                    return null;
                }
                if (!(p instanceof Packet packet) || packet.type != type) {
                    return null;
                }
                String value = packet.fields.get(field);
                return value == null || value.isEmpty() ? null : value;
            };
        });
    }

    private static int type(String name) {
        int i = TYPES.indexOf(name);
        if (i > 0) {
            return i;
        }
        try {
            int n = Integer.parseInt(name);
            if (n >= 1 && n <= 15) {
                return n;
            }
        } catch (NumberFormatException e) {
            // not a number either
        }
        throw new AclException("Unknown MQTT type '" + name + "'");
    }

    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    private static final Invalid BAD = new Invalid();

    /** Reads inside [at, end): going past the end of the packet makes it invalid. */
    private static final class Reader {
        final byte[] b;
        int at;
        final int end;

        Reader(byte[] b, int at, int end) {
            this.b = b;
            this.at = at;
            this.end = end;
        }

        int u8() {
            if (at >= end) {
                throw BAD;
            }
            return b[at++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        long varint() {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                int d = u8();
                v |= (long) (d & 0x7f) << (7 * i);
                if ((d & 0x80) == 0) {
                    return v;
                }
            }
            throw BAD;
        }

        String bytes() {
            int n = u16();
            if (at + n > end) {
                throw BAD;
            }
            String s = new String(b, at, n, StandardCharsets.ISO_8859_1);
            at += n;
            return s;
        }
    }

    /**
     * A CONNECT or CONNACK at the start of the data: a {@link Packet}, {@link #INVALID}, or
     * {@link #INCOMPLETE} when the fixed header or the rest of the packet has not arrived.
     */
    static Object parse(byte[] data) {
        if (data == null || data.length == 0) {
            return INCOMPLETE;
        }
        int type = (data[0] & 0xff) >> 4;
        int flags = data[0] & 0x0f;
        long remaining = 0;
        int at = 1;
        for (int i = 0; ; i++) {
            if (i == 4) {
                return INVALID;                    // a remaining length has at most 4 bytes
            }
            if (at >= data.length) {
                return INCOMPLETE;
            }
            int d = data[at++] & 0xff;
            remaining |= (long) (d & 0x7f) << (7 * i);
            if ((d & 0x80) == 0) {
                break;
            }
        }
        if ((type != 1 && type != 2) || flags != 0) {
            return INVALID;
        }
        if (at + remaining > data.length) {
            return INCOMPLETE;
        }
        Reader r = new Reader(data, at, (int) (at + remaining));
        Map<String, String> fields = new HashMap<>();
        try {
            if (type == 1) {
                connect(r, fields);
            } else {
                connack(r, fields);
            }
        } catch (Invalid e) {
            return INVALID;
        }
        return r.at == r.end ? new Packet(type, fields) : INVALID;
    }

    private static void connect(Reader r, Map<String, String> f) {
        String name = r.bytes();
        int version = r.u8();
        if (!(name.equals("MQTT") || name.equals("MQIsdp")) || version < 3 || version > 5) {
            throw BAD;
        }
        int flags = r.u8();
        if ((flags & 0x01) != 0) {
            throw BAD;                             // the reserved bit
        }
        f.put("protocol_name", name);
        f.put("protocol_version", Integer.toString(version));
        f.put("flags", Integer.toString(flags));
        f.put("keepalive", Integer.toString(r.u16()));
        boolean v5 = version == 5;
        if (v5) {
            properties(r, CONNECT_PROPS, f);
        }
        f.put("client_identifier", r.bytes());
        if ((flags & 0x04) != 0) {
            if (v5) {
                properties(r, WILL_PROPS, f);
            }
            f.put("will_topic", r.bytes());
            f.put("will_payload", r.bytes());
        }
        if ((flags & 0x80) != 0) {
            f.put("username", r.bytes());
        }
        if ((flags & 0x40) != 0) {
            f.put("password", r.bytes());
        }
    }

    private static void connack(Reader r, Map<String, String> f) {
        int flags = r.u8();
        if ((flags & 0xfe) != 0) {
            throw BAD;                             // only "session present" is defined
        }
        f.put("flags", Integer.toString(flags));
        f.put("reason_code", Integer.toString(r.u8()));
        // An MQTT 5 CONNACK carries properties; 3.1.1's ends after its two bytes.
        boolean v5 = r.at < r.end;
        f.put("protocol_version", v5 ? "5" : "4");
        if (v5) {
            properties(r, CONNACK_PROPS, f);
        }
    }

    /**
     * An MQTT 5 property list: each identifier must belong to {@code allowed}, and only user
     * properties may repeat. The integer properties of the list read 0 when absent (what
     * HAProxy answers); user properties give no value.
     */
    private static void properties(Reader r, Map<Integer, Kind> allowed, Map<String, String> f) {
        long length = r.varint();
        if (r.at + length > r.end) {
            throw BAD;
        }
        Reader p = new Reader(r.b, r.at, (int) (r.at + length));
        r.at = p.end;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (p.at < p.end) {
            int id = (int) p.varint();
            Kind kind = allowed.get(id);
            if (kind == null || kind != Kind.PAIR && !seen.add(id)) {
                throw BAD;
            }
            String value = switch (kind) {
                case BYTE -> Integer.toString(p.u8());
                case SHORT -> Integer.toString(p.u16());
                case INT -> Long.toString(p.u32());
                case VARINT -> Long.toString(p.varint());
                case STRING, BINARY -> p.bytes();
                case PAIR -> {
                    p.bytes();
                    p.bytes();
                    yield null;
                }
            };
            if (value != null) {
                f.put(Integer.toString(id), value);
            }
        }
        if (seen.contains(22) && !seen.contains(21)) {
            throw BAD;                             // authentication data needs its method
        }
        for (Map.Entry<Integer, Kind> e : allowed.entrySet()) {
            Kind k = e.getValue();
            if (k == Kind.BYTE || k == Kind.SHORT || k == Kind.INT) {
                f.putIfAbsent(Integer.toString(e.getKey()), "0");
            }
        }
    }
}
