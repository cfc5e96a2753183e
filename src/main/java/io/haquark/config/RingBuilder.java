package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Location;
import io.haquark.model.Ring;
import io.haquark.model.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ring <name>}: description, format, maxlen, size, timeout connect|server, and
 * {@code server <name> <ip:port> [log-proto legacy|octet-count]} to forward over TCP.
 */
final class RingBuilder {
    private static final List<String> FORMATS = List.of("raw", "rfc3164", "rfc5424", "short", "timed", "iso", "priority", "local");

    final String name;
    private final Location where;
    private String description;
    private String format = "raw";
    private int maxLength = 1024;
    private long size = 16384;
    private long connectTimeout = 1000;
    private long serverTimeout = 5000;
    private final List<Ring.Server> servers = new ArrayList<>();

    RingBuilder(String name, Location where) {
        this.name = name;
        this.where = where;
        this.description = "in-memory ring buffer";
    }

    void parse(ConfigLine line, LoadContext ctx) {
        switch (line.keyword()) {
            case "description" -> description = String.join(" ", line.from(1));
            case "format" -> {
                ProxyKeywords.needArgs(line, 1, "a format");
                if (!FORMATS.contains(line.arg(1))) {
                    throw new KeywordError("unknown format '" + line.arg(1) + "'.");
                }
                format = line.arg(1);
            }
            case "maxlen" -> {
                ProxyKeywords.needArgs(line, 1, "a length");
                maxLength = (int) Values.size(line.arg(1), "maxlen");
                if (maxLength <= 0) {
                    throw new KeywordError("invalid size '" + line.arg(1) + "' for new sink buffer.");
                }
            }
            case "size" -> {
                ProxyKeywords.needArgs(line, 1, "a size");
                size = Values.size(line.arg(1), "size");
                if (size <= 0) {
                    throw new KeywordError("invalid size '" + line.arg(1) + "' for new sink buffer.");
                }
            }
            case "timeout" -> {
                ProxyKeywords.needArgs(line, 2, "'connect' or 'server' and a time");
                switch (line.arg(1)) {
                    case "connect" -> connectTimeout = Values.time(line.arg(2), "timeout connect");
                    case "server" -> serverTimeout = Values.time(line.arg(2), "timeout server");
                    default -> throw new KeywordError("'timeout' expects 'connect' or 'server'.");
                }
            }
            case "server" -> server(line, ctx);
            case "backing-file" -> ctx.unsupported(line, "ring keyword 'backing-file'");
            default -> throw new KeywordError("unknown keyword '" + line.keyword() + "' in ring section '" + name + "'.");
        }
    }

    private void server(ConfigLine line, LoadContext ctx) {
        if (line.size() < 3) {
            throw new KeywordError("'server' expects <name> and <addr>[:<port>] as arguments.");
        }
        String addr = line.arg(2);
        int colon = addr.lastIndexOf(':');
        if (colon <= 0) {
            throw new KeywordError("'server " + line.arg(1) + "' : missing port in address '" + addr + "'.");
        }
        String host = addr.substring(0, colon);
        if (host.startsWith("ipv4@") || host.startsWith("tcp@") || host.startsWith("tcp4@")) {
            host = host.substring(host.indexOf('@') + 1);
        }
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new KeywordError("'server " + line.arg(1) + "' : invalid port in '" + addr + "'.");
        }
        boolean octetCount = false;
        for (int i = 3; i < line.size(); i++) {
            if (line.arg(i).equals("log-proto") && i + 1 < line.size()) {
                String proto = line.arg(++i);
                if (!proto.equals("legacy") && !proto.equals("octet-count")) {
                    throw new KeywordError("'log-proto' expects 'legacy' or 'octet-count'.");
                }
                octetCount = proto.equals("octet-count");
            } else {
                ctx.unsupported(line, "ring server keyword '" + line.arg(i) + "'");
            }
        }
        servers.add(new Ring.Server(line.arg(1), host, port, octetCount));
    }

    Ring build() {
        return new Ring(name, description, format, maxLength, size, connectTimeout, serverTimeout, servers, where);
    }
}
