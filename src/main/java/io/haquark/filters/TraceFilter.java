package io.haquark.filters;

import io.haquark.rules.HttpMessageView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.function.Consumer;

/**
 * "filter trace [name NAME] [random-parsing] [random-forwarding] [hexdump]" (configuration.txt
 * §9.1): a debugging filter that reports every callback on standard error, with the body
 * bytes in hex under "hexdump". It changes nothing; the random-* options (HAProxy's way to
 * exercise partial forwarding) are accepted and have no effect here.
 */
public final class TraceFilter implements HttpFilter {
    /** Where the lines go (standard error; tests listen in). */
    static volatile Consumer<String> out = System.err::println;

    private final String id;
    private final boolean hexdump;
    private final Stream stream = new Stream() {
        @Override
        public void requestHeaders(HttpMessageView txn, HttpRequest request) {
            print(txn, "request headers", request.method() + " " + request.uri() + " " + request.protocolVersion()
                    + ", " + request.headers().size() + " header(s)");
        }

        @Override
        public HttpContent requestData(HttpMessageView txn, HttpContent part) {
            data(txn, "request", part);
            return part;
        }

        @Override
        public void responseHeaders(HttpMessageView txn, HttpResponse response) {
            print(txn, "response headers", response.protocolVersion() + " " + response.status()
                    + ", " + response.headers().size() + " header(s)");
        }

        @Override
        public HttpContent responseData(HttpMessageView txn, HttpContent part) {
            data(txn, "response", part);
            return part;
        }

        @Override
        public void end(HttpMessageView txn) {
            print(txn, "end", "status " + txn.status());
        }
    };

    private TraceFilter(String id, boolean hexdump) {
        this.id = id;
        this.hexdump = hexdump;
    }

    /** Parses the filter's arguments (after "trace"); HAProxy's default name is the filter's own. */
    public static TraceFilter parse(List<String> args) {
        String id = "TRACE";
        boolean hex = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "name" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("'filter trace' : 'name' option without value");
                    }
                    id = args.get(++i);
                }
                case "random-parsing", "random-forwarding" -> { }
                case "hexdump" -> hex = true;
                default -> throw new IllegalArgumentException("'filter trace' : unknown keyword '" + args.get(i) + "'.");
            }
        }
        return new TraceFilter(id, hex);
    }

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public Stream start(HttpMessageView txn) {
        print(txn, "start", txn.method() + " " + txn.uri());
        return stream;
    }

    private void data(HttpMessageView txn, String direction, HttpContent part) {
        ByteBuf b = part.content();
        String what = direction + " data: " + b.readableBytes() + " byte(s)" + (part instanceof LastHttpContent ? ", end of message" : "");
        if (hexdump && b.isReadable()) {
            what += "\n" + ByteBufUtil.prettyHexDump(b);
        }
        print(txn, direction + " data", what);
    }

    private void print(HttpMessageView txn, String callback, String details) {
        out.accept(String.format("%.6f [%-20s] [txn %08x] %-16s: %s", System.currentTimeMillis() / 1000.0, id,
                System.identityHashCode(txn), callback, details));
    }
}
