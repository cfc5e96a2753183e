package io.haquark.acl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Converters by name: {@code lower}, {@code upper}, the {@code map*} family and a few string tools. */
public final class ConverterRegistry {

    /** Builds a converter from its arguments; the base directory resolves map file names. */
    interface Factory extends BiFunction<List<String>, java.nio.file.Path, Converter> {
    }

    private static final Map<String, Factory> CONVERTERS = new HashMap<>();

    private static void add(String name, Factory f) {
        CONVERTERS.put(name, f);
    }

    private static void simple(String name, Converter c) {
        add(name, (a, b) -> c);
    }

    /**
     * The output type of converters whose result is not a string (configuration.txt §7.3.1
     * lists each converter's output type); an ACL on "hdr(a),length" then matches integers.
     */
    private static final Map<String, SampleType> OUTPUT = new HashMap<>();

    static {
        for (String n : List.of("length", "crc32", "add", "sub", "mul", "div", "mod", "and", "or", "xor", "neg", "cpl")) {
            OUTPUT.put(n, SampleType.INTEGER);
        }
        for (String n : List.of("fix_is_valid")) {
            OUTPUT.put(n, SampleType.BOOLEAN);
        }
        for (String n : List.of("xxh3", "jwt_verify")) {
            OUTPUT.put(n, SampleType.INTEGER);
        }
        for (String n : List.of("bool", "not", "odd", "even", "mqtt_is_valid")) {
            OUTPUT.put(n, SampleType.BOOLEAN);
        }
        OUTPUT.put("ipmask", SampleType.IP);
        for (String n : List.of("digest", "sha1", "sha2", "hmac", "hex2bin", "b64dec", "ub64dec", "bytes", "aes_gcm_dec")) {
            OUTPUT.put(n, SampleType.BINARY);
        }
    }

    /**
     * Converters that read their input as bytes (or as any type); the others take a string, and
     * HAProxy's cast of a binary sample to a string ends it at its first NUL byte.
     */
    private static final java.util.Set<String> BINARY_INPUT = java.util.Set.of("hex", "base64", "ub64enc", "bytes", "crc32",
            "crc32c", "djb2", "sdbm", "wt6", "xxh32", "xxh64", "xxh3", "digest", "hmac", "sha1", "sha2", "be2dec", "be2hex",
            "debug", "set-var", "unset-var", "mqtt_field_value", "mqtt_is_valid", "aes_gcm_dec", "in_table", "fix_is_valid", "fix_tag_value", "protobuf", "ungrpc", "table_bytes_in_rate",
            "secure_memcmp");

    /** The string cast of a binary sample: up to its first NUL byte. */
    static final Converter BINARY_TO_STRING = (v, s) -> {
        if (v instanceof byte[] bytes) {
            int n = 0;
            while (n < bytes.length && bytes[n] != 0) {
                n++;
            }
            return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        }
        if (!(v instanceof String b)) {
            return v;
        }
        int nul = b.indexOf('\0');
        return nul < 0 ? b : b.substring(0, nul);
    };

    static boolean takesBinary(String converter) {
        return BINARY_INPUT.contains(converter) || converter.startsWith("table_");
    }

    /** The type a converter gives (a string unless listed above). */
    static SampleType outputType(String name) {
        SampleType t = OUTPUT.get(name);
        return t != null ? t : SampleType.STRING;
    }

    /**
     * json_query(path [, "int"]) (configuration.txt "json_query"): the value at a JSONPath of the
     * form $.a.b[2] (a dot inside a key escaped as \.) in the JSON input; strings as they are,
     * true/false as booleans, numbers as integers when they are ("int" insists), else as text.
     */
    private static Converter jsonQuery(String path, String type) {
        if (type != null && !type.equals("int")) {
            throw new IllegalArgumentException("output_type only supports \"int\" as argument");
        }
        List<Object> steps = jsonPath(path);
        boolean integer = "int".equals(type);
        return (v, s) -> {
            if (v == null) {
                return null;
            }
            Object node;
            try {
                node = io.vertx.core.json.Json.decodeValue(str(v));
            } catch (RuntimeException notJson) {
                return null;
            }
            for (Object step : steps) {
                if (step instanceof String key && node instanceof io.vertx.core.json.JsonObject o) {
                    node = o.getValue(key);
                } else if (step instanceof Integer i && node instanceof io.vertx.core.json.JsonArray arr && i < arr.size()) {
                    node = arr.getValue(i);
                } else {
                    return null;
                }
            }
            if (node instanceof Boolean bool) {
                return integer ? null : bool;
            }
            if (node instanceof Number n) {
                boolean whole = n instanceof Integer || n instanceof Long
                        || n.doubleValue() == Math.rint(n.doubleValue()) && !(n instanceof Double || n instanceof Float);
                if (whole) {
                    return n.longValue();
                }
                return integer ? null : n.toString();
            }
            if (node instanceof String text) {
                return integer ? toLong(text) : text;
            }
            return null;
        };
    }

    /** "$.a.b[2]" into ["a", "b", 2]; "\." is a dot inside a key. */
    private static List<Object> jsonPath(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("the JSON path must start with '$'");
        }
        List<Object> steps = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
                key.setLength(0);
                while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
                    if (path.charAt(i) == '\\' && i + 1 < path.length()) {
                        i++;
                    }
                    key.append(path.charAt(i++));
                }
                steps.add(key.toString());
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("missing ']' in JSON path '" + path + "'");
                }
                steps.add(Integer.parseInt(path.substring(i + 1, end).trim()));
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in JSON path '" + path + "'");
            }
        }
        return steps;
    }

    /** HAProxy's (OpenSSL's) digest names to Java's: sha1, sha224 ... sha512, md5. */
    private static String javaDigest(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String java = n.equals("md5") ? "MD5" : n.matches("sha(1|224|256|384|512)") ? "SHA-" + n.substring(3) : null;
        if (java == null) {
            throw new IllegalArgumentException("failed to create digest '" + name + "'");
        }
        return java;
    }

    private static Converter digest(String algorithm) {
        return (v, s) -> {
            if (v == null) {
                return null;
            }
            try {
                byte[] d = java.security.MessageDigest.getInstance(algorithm).digest(str(v).getBytes(StandardCharsets.ISO_8859_1));
                return new String(d, StandardCharsets.ISO_8859_1);
            } catch (java.security.NoSuchAlgorithmException e) {
                return null;
            }
        };
    }

    /**
     * hmac(alg, key): the key is base64 text, or the name of a variable holding base64 text
     * (configuration.txt "hmac").
     */
    private static Converter hmac(String algorithm, String key) {
        String mac = "Hmac" + javaDigest(algorithm).replace("-", "");
        boolean variable = key.matches("(proc|sess|txn|req|res)\\..+");
        byte[] constant = variable ? null : Base64.getDecoder().decode(key);
        return (v, s) -> {
            if (v == null) {
                return null;
            }
            byte[] k = constant;
            if (k == null) {
                Object kv = s.variable(key);
                if (kv == null) {
                    return null;
                }
                try {
                    k = Base64.getDecoder().decode(str(kv).trim());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            try {
                javax.crypto.Mac m = javax.crypto.Mac.getInstance(mac);
                m.init(new javax.crypto.spec.SecretKeySpec(k, mac));
                return new String(m.doFinal(str(v).getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                return null;
            }
        };
    }

    /**
     * be2dec / be2hex(separator, chunk size [, truncate]): the input's bytes as big-endian
     * unsigned numbers of chunk size bytes (at most 8), decimal or hex, joined by the separator;
     * truncate drops a last incomplete chunk.
     */
    private static Converter bigEndianChunks(List<String> a, boolean hex) {
        String sep = a.isEmpty() ? "" : a.get(0);
        int chunk = a.size() > 1 ? Integer.parseInt(a.get(1)) : 1;
        boolean truncate = a.size() > 2 && !a.get(2).equals("0");
        if (chunk < 1 || chunk > 8) {
            throw new IllegalArgumentException("chunk size must be between 1 and 8");
        }
        return (v, s) -> {
            if (v == null) {
                return null;
            }
            byte[] in = str(v).getBytes(StandardCharsets.ISO_8859_1);
            StringBuilder sb = new StringBuilder();
            for (int at = 0; at < in.length; at += chunk) {
                int n = Math.min(chunk, in.length - at);
                if (n < chunk && truncate) {
                    break;
                }
                long x = 0;
                for (int i = 0; i < n; i++) {
                    x = (x << 8) | (in[at + i] & 0xff);
                }
                if (sb.length() > 0) {
                    sb.append(sep);
                }
                sb.append(hex ? String.format("%0" + (n * 2) + "X", x) : Long.toUnsignedString(x));
            }
            return sb.toString();
        };
    }

    /** HAProxy's full avalanche hash, what its hash converters apply with "avalanche". */
    static long fullHash(long x) {
        return io.haquark.model.Hashes.fullHash(x);
    }

    /** Percent-decoding as HAProxy's url_decode(): bytes, not UTF-8 checked; null when a %XX is malformed. */
    static String urlDecode(String in, boolean plusIsSpace) {
        byte[] out = new byte[in.length()];
        int n = 0;
        boolean query = plusIsSpace;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '?') {
                query = true;
                out[n++] = (byte) c;
            } else if (c == '+' && query) {
                out[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= in.length()) {
                    return null;
                }
                int hi = Character.digit(in.charAt(i + 1), 16);
                int lo = Character.digit(in.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof List<?> l) {
            return l.isEmpty() ? null : str(l.get(l.size() - 1));
        }
        return Matcher.text(o);
    }

    static {
        simple("lower", (v, s) -> v == null ? null : str(v).toLowerCase(Locale.ROOT));
        simple("upper", (v, s) -> v == null ? null : str(v).toUpperCase(Locale.ROOT));
        simple("length", (v, s) -> v == null ? null : (long) str(v).length());
        simple("base64", (v, s) -> v == null ? null : Base64.getEncoder().encodeToString(str(v).getBytes(StandardCharsets.ISO_8859_1)));
        simple("b64dec", (v, s) -> {
            try {
                return v == null ? null : new String(Base64.getDecoder().decode(str(v)), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        simple("hex", (v, s) -> {
            if (v == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : str(v).getBytes(StandardCharsets.ISO_8859_1)) {
                sb.append(String.format("%02X", b));
            }
            return sb.toString();
        });
        simple("ltrim", (v, s) -> v == null ? null : str(v).stripLeading());
        simple("rtrim", (v, s) -> v == null ? null : str(v).stripTrailing());
        // crc32([<avalanche>]): the CRC32 of the input's bytes as an integer (configuration.txt §7.3.1).
        add("crc32", (a, b) -> {
            boolean avalanche = !a.isEmpty() && !a.get(0).isEmpty() && !a.get(0).equals("0");
            return (v, s) -> {
                if (v == null) {
                    return null;
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(str(v).getBytes(StandardCharsets.ISO_8859_1));
                long h = crc.getValue();
                return avalanche ? fullHash(h) : h;
            };
        });
        // concat([<start>],[<var>],[<end>]): the input between a constant prefix, a variable's value and a suffix.
        add("concat", (a, b) -> {
            String start = a.size() > 0 ? a.get(0) : "";
            String var = a.size() > 1 && !a.get(1).isEmpty() ? a.get(1) : null;
            String end = a.size() > 2 ? a.get(2) : "";
            return (v, s) -> {
                if (v == null) {
                    return null;
                }
                Object middle = var == null ? null : s.variable(var);
                // The constant, the variable and the end follow the input (configuration.txt "concat").
                return str(v) + start + (middle == null ? "" : str(middle)) + end;
            };
        });
        // Binary samples travel as ISO-8859-1 strings, one char per byte, as hex and base64 read them.
        add("digest", (a, b) -> digest(javaDigest(a.get(0))));
        simple("sha1", digest("SHA-1"));
        add("sha2", (a, b) -> {
            String bits = a.isEmpty() ? "256" : a.get(0);
            if (!java.util.Set.of("224", "256", "384", "512").contains(bits)) {
                throw new IllegalArgumentException("Unsupported number of bits: '" + bits + "'.");
            }
            return digest("SHA-" + bits);
        });
        add("hmac", (a, b) -> hmac(a.get(0), a.get(1)));
        add("iif", (a, b) -> {
            String yes = a.get(0);
            String no = a.size() > 1 ? a.get(1) : "";
            return (v, s) -> {
                if (v == null) {
                    return null;
                }
                Long n = v instanceof Boolean bool ? (bool ? 1L : 0L) : toLong(v);
                return n != null && n != 0 ? yes : no;
            };
        });
        MoreConverters.register(ConverterRegistry::add);
        ProtocolConverters.register(ConverterRegistry::add);
        Mqtt.register(ConverterRegistry::add);
        add("in_table", (a, b) -> TableConverters.inTable(a));
        // strcmp(var) / secure_memcmp(var): the input against a variable; strcmp answers <0, 0 or >0
        // as C's strcmp, secure_memcmp true when equal (in constant time).
        add("strcmp", (a, b) -> {
            String var = a.get(0).trim();
            return (v, s) -> {
                Object other = s.variable(var);
                if (v == null || other == null) {
                    return null;
                }
                byte[] x = Matcher.text(v).getBytes(StandardCharsets.ISO_8859_1);
                byte[] y = Matcher.text(other).getBytes(StandardCharsets.ISO_8859_1);
                int n = Math.min(x.length, y.length);
                for (int i = 0; i < n; i++) {
                    if (x[i] != y[i]) {
                        return (long) ((x[i] & 0xff) - (y[i] & 0xff));
                    }
                }
                return (long) (x.length - y.length);
            };
        });
        add("secure_memcmp", (a, b) -> {
            String var = a.get(0).trim();
            return (v, s) -> {
                Object other = s.variable(var);
                if (v == null || other == null) {
                    return null;
                }
                return java.security.MessageDigest.isEqual(Matcher.text(v).getBytes(StandardCharsets.ISO_8859_1),
                        Matcher.text(other).getBytes(StandardCharsets.ISO_8859_1));
            };
        });
        // set-var(name[,cond...]) / unset-var(name): the input passes through unchanged (§7.3.1).
        add("set-var", (a, b) -> {
            io.haquark.state.Variables.Scope scope = a.isEmpty() ? null : io.haquark.state.Variables.Scope.of(a.get(0).trim());
            if (scope == null) {
                throw new AclException("invalid variable name '" + (a.isEmpty() ? "" : a.get(0).trim())
                        + "'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'.");
            }
            String name = a.get(0).trim();
            int conditions;
            try {
                conditions = io.haquark.state.Variables.conditions(a.subList(1, a.size()));
            } catch (IllegalArgumentException e) {
                throw new AclException(e.getMessage());
            }
            io.haquark.state.Variables.parsed(name);
            return (v, s) -> {
                s.setVariable(name, v instanceof List<?> l ? (l.isEmpty() ? null : l.get(l.size() - 1)) : v, conditions);
                return v;
            };
        });
        add("unset-var", (a, b) -> {
            String name = a.isEmpty() ? "" : a.get(0).trim();
            if (io.haquark.state.Variables.Scope.of(name) == null) {
                throw new AclException("invalid variable name '" + name + "'.");
            }
            return (v, s) -> {
                s.unsetVariable(name);
                return v;
            };
        });
        add("json_query", (a, b) -> jsonQuery(a.get(0), a.size() > 1 ? a.get(1) : null));
        add("be2dec", (a, b) -> bigEndianChunks(a, false));
        add("be2hex", (a, b) -> bigEndianChunks(a, true));
        add("add_item", (a, b) -> {
            String delim = a.get(0);
            String var = a.size() > 1 && !a.get(1).isEmpty() ? a.get(1) : null;
            String suffix = a.size() > 2 ? a.get(2) : "";
            return (v, s) -> {
                String in = v == null ? "" : str(v);
                Object value = var == null ? null : s.variable(var);
                String item = (value == null ? "" : str(value)) + suffix;
                // The delimiter goes between the sample and what is added, only when both exist.
                return in.isEmpty() ? item : item.isEmpty() ? in : in + delim + item;
            };
        });
        // field(<index>,<delimiters>[,<count>]) / word(...): <count> fields (0: all the rest) from the
        // index on, towards the end for a positive index and towards the start for a negative one;
        // the text between them is kept as it was. word() skips empty fields.
        add("field", (a, b) -> fields(a, false));
        add("word", (a, b) -> fields(a, true));
        add("regsub", (a, b) -> {
            Pattern p = Pattern.compile(a.get(0), a.size() > 2 && a.get(2).contains("i") ? Pattern.CASE_INSENSITIVE : 0);
            String repl = a.size() > 1 ? a.get(1).replaceAll("\\\\([0-9])", "\\$$1") : "";
            boolean global = a.size() > 2 && a.get(2).contains("g");
            return (v, s) -> {
                if (v == null) {
                    return null;
                }
                var m = p.matcher(str(v));
                return global ? m.replaceAll(repl) : m.replaceFirst(repl);
            };
        });
        arithmetic("add", Math::addExact);
        arithmetic("sub", Math::subtractExact);
        arithmetic("mul", Math::multiplyExact);
        arithmetic("div", (a, b) -> b == 0 ? Long.MAX_VALUE : a / b);
        arithmetic("mod", (a, b) -> b == 0 ? 0 : a % b);
        arithmetic("and", (a, b) -> a & b);
        arithmetic("or", (a, b) -> a | b);
        arithmetic("xor", (a, b) -> a ^ b);
        simple("neg", (v, s) -> toLong(v) == null ? null : -toLong(v));
        simple("cpl", (v, s) -> toLong(v) == null ? null : ~toLong(v));
        simple("bool", (v, s) -> toLong(v) == null ? null : toLong(v) != 0);
        simple("not", (v, s) -> toLong(v) == null ? null : toLong(v) == 0);
        simple("odd", (v, s) -> toLong(v) == null ? null : (toLong(v) & 1) == 1);
        simple("even", (v, s) -> toLong(v) == null ? null : (toLong(v) & 1) == 0);
        // url_dec([<in_form>]): %XX decoded; '+' becomes a space only in the query string, or
        // everywhere when in_form is set (configuration.txt §7.3.1 "url_dec").
        add("url_dec", (a, b) -> {
            boolean inForm = !a.isEmpty() && !a.get(0).isEmpty() && !a.get(0).equals("0");
            return (v, s) -> v == null ? null : urlDecode(str(v), inForm);
        });
        add("json", (a, b) -> {
            boolean utf8 = a.isEmpty() || a.get(0).startsWith("utf8");
            return (v, s) -> v == null ? null : jsonEscape(str(v), utf8);
        });
        // ipmask(<v4 mask>[,<v6 mask>]): each mask a prefix length or an address-shaped mask, which
        // for IPv6 need not be contiguous (ffff:...:fee0), as HAProxy applies it bit by bit.
        add("ipmask", (a, b) -> {
            byte[] v4 = ipMask(a.get(0).trim(), 4);
            byte[] v6 = a.size() > 1 ? ipMask(a.get(1).trim(), 16) : ipMask("128", 16);
            return (v, s) -> {
                java.net.InetAddress ip = v instanceof java.net.InetAddress ia ? ia : Patterns.parseIp(str(v));
                if (ip == null) {
                    return null;
                }
                byte[] bytes = Patterns.normalize(ip.getAddress()).clone();
                byte[] mask = bytes.length == 4 ? v4 : v6;
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] &= mask[i];
                }
                try {
                    return java.net.InetAddress.getByAddress(bytes);
                } catch (java.net.UnknownHostException e) {
                    return null;
                }
            };
        });
        add("jwt_header_query", (a, b) -> jwtQuery(0, a));
        add("jwt_payload_query", (a, b) -> jwtQuery(1, a));
        for (String kind : new String[] {"str", "beg", "end", "sub", "reg", "regm", "dir", "dom", "int", "ip", ""}) {
            String name = kind.isEmpty() ? "map" : "map_" + kind;
            add(name, (a, base) -> mapConverter(kind.isEmpty() ? "str" : kind, a, base));
            if (!kind.isEmpty() && !kind.equals("regm")) {
                // map_<match>_int / map_<match>_ip: the value is an integer or an address (§7.3.1 "map").
                add(name + "_int", (a, base) -> typedMap(name + "_int", mapConverter(kind, a, base), true, a, base));
                add(name + "_ip", (a, base) -> typedMap(name + "_ip", mapConverter(kind, a, base), false, a, base));
            }
        }
        // capture-req(<id>) / capture-res(<id>): the input, unchanged, also goes to a capture slot.
        for (String side : new String[] {"req", "res"}) {
            add("capture-" + side, (a, b) -> {
                int slot = Integer.parseInt(a.get(0).trim());
                boolean response = side.equals("res");
                return (v, s) -> {
                    if (v != null) {
                        s.capture(response, slot, str(v));
                    }
                    return v;
                };
            });
        }
        // nbsrv / srv_queue as converters: the input names the backend ("be") or the server ("be/srv").
        add("nbsrv", (a, b) -> (v, s) -> {
            int n = s.usableServers(str(v));
            return n < 0 ? null : (Object) (long) n;
        });
        add("srv_queue", (a, b) -> (v, s) -> {
            String t = str(v);
            int slash = t.indexOf('/');
            io.haquark.state.BackendState be = slash < 0 ? null : s.backendState(t.substring(0, slash));
            io.haquark.state.ServerState srv = be == null ? null : be.server(t.substring(slash + 1));
            return srv == null ? null : (Object) (long) srv.counters.queueCurrent.get();
        });
    }

    /**
     * jwt_header_query / jwt_payload_query('$.claim'[,int]): a top-level claim of the JWT's
     * header or payload (the token is decoded, not verified; jwt_verify is not supported yet).
     */
    private static Converter jwtQuery(int part, List<String> args) {
        String path = args.isEmpty() ? "$" : args.get(0).replace("'", "").replace("\"", "");
        boolean asInt = args.size() > 1 && args.get(1).replace("'", "").equals("int");
        String claim = path.startsWith("$.") ? path.substring(2) : null;
        java.util.regex.Pattern re = claim == null ? null : java.util.regex.Pattern.compile(
                "\"" + java.util.regex.Pattern.quote(claim) + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9.eE+]+|true|false|null)");
        return (v, s) -> {
            String token = str(v);
            if (token == null) {
                return null;
            }
            String[] parts = token.split("\\.");
            if (parts.length < 2) {
                return null;
            }
            String json;
            try {
                json = new String(Base64.getUrlDecoder().decode(parts[part]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (re == null) {
                return json;
            }
            java.util.regex.Matcher m = re.matcher(json);
            if (!m.find()) {
                return null;
            }
            String value = m.group(2) != null ? m.group(2) : m.group(1);
            if (asInt) {
                try {
                    return (long) Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return value;
        };
    }

    /** The json converter: quotes, backslashes and control characters escaped. */
    static String jsonEscape(String in, boolean utf8) {
        StringBuilder sb = new StringBuilder(in.length() + 8);
        for (char c : in.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '/' -> sb.append("\\/");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (!utf8 && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A sample as an integer (HAProxy's cast to sint), or null when it is none. */
    public static Long asLong(Object v) {
        return toLong(v);
    }

    static Long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        String t = str(v);
        if (t == null) {
            return null;
        }
        try {
            return Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** add/sub/mul/... take an integer or a variable name ("txn.now") as argument (§7.3.1). */
    private static void arithmetic(String name, java.util.function.LongBinaryOperator op) {
        add(name, (a, b) -> {
            String arg = a.isEmpty() ? "" : a.get(0);
            Long constant = toLong(arg);
            if (constant == null && !arg.matches("(proc|sess|txn|req|res)\\..+")) {
                throw new AclException("converter '" + name + "' expects an integer or a variable name");
            }
            return (v, s) -> {
                Long x = toLong(v);
                Long y = constant != null ? constant : toLong(s.variable(arg));
                if (x == null || y == null) {
                    return null;
                }
                try {
                    return op.applyAsLong(x, y);
                } catch (ArithmeticException e) {
                    return null;
                }
            };
        });
    }

    /**
     * map_*(file[,default]): the file's entries live in a {@link PatternReference}, so that
     * "set map" / "add map" at run time reach every converter reading it; the lookup structure
     * is rebuilt on the first use after a change.
     */
    /** A map's string value as an integer (leading digits) or an address; no sample when it is neither. */
    private static Converter typedMap(String name, Converter map, boolean integer, List<String> args, java.nio.file.Path base) {
        // As HAProxy: every value of the file must be of the map's output type when it loads.
        PatternReference ref = PatternReferences.load(args.get(0), base.resolve(args.get(0)), "map");
        int line = 0;
        for (PatternReference.Entry e : ref.entries()) {
            line++;
            String v = e.value() == null ? "" : e.value().trim();
            boolean ok = integer ? toLong(v) != null : Patterns.parseIp(v) != null;
            if (!ok) {
                throw new AclException("invalid args in converter '" + name + "' : unable to parse '" + v + "' at line " + line
                        + " of file '" + args.get(0) + "'");
            }
        }
        return (v, s) -> {
            Object r = map.convert(v, s);
            if (r == null) {
                return null;
            }
            String t = str(r).trim();
            if (integer) {
                Long n = toLong(t);
                return n;
            }
            return Patterns.parseIp(t);
        };
    }

    private static Converter mapConverter(String kind, List<String> args, java.nio.file.Path base) {
        if (args.isEmpty()) {
            throw new AclException("missing map file name");
        }
        PatternReference ref = PatternReferences.load(args.get(0), base.resolve(args.get(0)), "map");
        String dflt = args.size() > 1 ? args.get(1) : null;
        MapLookup first = MapLookup.of(kind, ref);
        MapLookup[] current = {first};
        return (v, s) -> {
            if (v == null) {
                return dflt;
            }
            MapLookup m = current[0];
            if (m.version != ref.version()) {
                m = MapLookup.of(kind, ref);
                current[0] = m;   // a benign race: two loops may build the same snapshot
            }
            String r = m.find(v);
            return r != null ? r : dflt;
        };
    }

    /** One version of a map file, ready for lookups: a hash for map_str, matchers in file order otherwise. */
    private static final class MapLookup {
        final int version;
        private final String kind;
        private final Map<String, String> exact = new HashMap<>();
        private final Matcher[] keys;
        private final String[] values;
        /** map_regm: the regexes, whose groups \1..\9 the value may use. */
        private final List<Pattern> regexes = new ArrayList<>();

        private MapLookup(String kind, PatternReference ref) {
            this.kind = kind;
            this.version = ref.version();
            List<PatternReference.Entry> entries = ref.entries();
            List<Matcher> ks = new ArrayList<>();
            List<String> vs = new ArrayList<>();
            for (PatternReference.Entry e : entries) {
                if (kind.equals("str")) {
                    exact.putIfAbsent(e.key(), e.value());
                    continue;
                }
                if (kind.equals("regm")) {
                    try {
                        regexes.add(Pattern.compile(e.key()));
                        vs.add(e.value());
                    } catch (java.util.regex.PatternSyntaxException bad) {
                        if (ref.version() == 0) {
                            throw new AclException("regex '" + e.key() + "' : " + bad.getDescription());
                        }
                    }
                    continue;
                }
                try {
                    ks.add(Matcher.compile(kind, List.of(e.key()), false));
                    vs.add(e.value());
                } catch (AclException bad) {
                    if (ref.version() == 0) {
                        throw bad;   // at load time a bad key is a configuration error
                    }
                }
            }
            keys = ks.toArray(new Matcher[0]);
            values = vs.toArray(new String[0]);
        }

        /** The value with \N replaced by the N-th group of the key's match (map_regm). */
        private static String withGroups(String value, java.util.regex.Matcher m) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() && Character.isDigit(value.charAt(i + 1))) {
                    int g = value.charAt(++i) - '0';
                    if (g <= m.groupCount() && m.group(g) != null) {
                        sb.append(m.group(g));
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        static MapLookup of(String kind, PatternReference ref) {
            return new MapLookup(kind, ref);
        }

        String find(Object v) {
            if (kind.equals("str")) {
                return exact.get(str(v));
            }
            if (kind.equals("regm")) {
                String in = str(v);
                for (int i = 0; i < regexes.size(); i++) {
                    java.util.regex.Matcher m = regexes.get(i).matcher(in);
                    if (m.find()) {
                        return withGroups(values[i], m);
                    }
                }
                return null;
            }
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].matches(v)) {
                    return values[i];
                }
            }
            return null;
        }
    }

    private static Converter fields(List<String> a, boolean words) {
        int idx = Integer.parseInt(a.get(0).trim());
        String delims = a.size() > 1 ? a.get(1) : " ";
        int count = a.size() > 2 ? Integer.parseInt(a.get(2).trim()) : 1;
        if (idx == 0) {
            throw new AclException("index must be non-zero");
        }
        return (v, s) -> {
            String in = str(v);
            List<int[]> spans = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= in.length(); i++) {
                if (i == in.length() || delims.indexOf(in.charAt(i)) >= 0) {
                    if (!words || i > start) {
                        spans.add(new int[] {start, i});
                    }
                    start = i + 1;
                }
            }
            int n = spans.size();
            int at = idx > 0 ? idx - 1 : n + idx;
            if (at < 0 || at >= n) {
                return null;
            }
            int first;
            int last;
            if (idx > 0) {
                first = at;
                last = count == 0 ? n - 1 : Math.min(n - 1, at + count - 1);
            } else {
                last = at;
                first = count == 0 ? 0 : Math.max(0, at - count + 1);
            }
            return in.substring(spans.get(first)[0], spans.get(last)[1]);
        };
    }

    /** A prefix length ("24") or a mask written as an address ("255.255.255.0", "ffff::"), as bytes. */
    private static byte[] ipMask(String text, int length) {
        byte[] mask = new byte[length];
        if (text.matches("[0-9]+")) {
            int prefix = Integer.parseInt(text);
            if (prefix > length * 8) {
                throw new AclException("invalid mask '" + text + "'");
            }
            for (int i = 0; i < length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                mask[i] = (byte) (0xff << (8 - keep));
            }
            return mask;
        }
        boolean ok = length == 4 ? io.haquark.model.IpLiterals.isIpv4(text) : io.haquark.model.IpLiterals.isIpv6(text);
        if (!ok) {
            throw new AclException("invalid mask '" + text + "'");
        }
        try {
            byte[] m = java.net.InetAddress.getByName(text).getAddress();
            if (m.length != length) {
                throw new AclException("invalid mask '" + text + "'");
            }
            return m;
        } catch (java.net.UnknownHostException e) {
            throw new AclException("invalid mask '" + text + "'");
        }
    }

    public static Converter converter(String name, List<String> args, java.nio.file.Path base) {
        Factory f = CONVERTERS.get(name);
        if (f == null && name.startsWith("table_") && TableConverters.DATA.contains(name.substring(6))) {
            f = (a, b) -> TableConverters.table(name.substring(6), a);
        }
        if (f == null) {
            throw new AclException("unknown converter '" + name + "'");
        }
        try {
            return f.apply(args, base);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new AclException("invalid arguments for converter '" + name + "'");
        }
    }

    private ConverterRegistry() {
    }
}
