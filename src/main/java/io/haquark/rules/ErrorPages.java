package io.haquark.rules;

import io.haquark.model.ErrorFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The answers HAProxy generates itself: the same status lines, headers and HTML bodies as
 * HAProxy 2.6, read off it. Two header styles exist there and here: errors raised while
 * parsing a request (400, 408) use capitalised names and always close; errors produced
 * for a parsed request (502, 503, 504, ...) use lower-case names. errorfile / errorloc
 * replace either.
 */
public final class ErrorPages {

    record Page(String reason, String text) {
    }

    private static final Map<Integer, Page> PAGES = new HashMap<>();

    static {
        page(200, "OK", "Service ready.");
        page(400, "Bad request", "Your browser sent an invalid request.");
        page(401, "Unauthorized", "You need a valid user and password to access this content.");
        page(403, "Forbidden", "Request forbidden by administrative rules.");
        page(404, "Not Found", "The resource could not be found.");
        page(405, "Method Not Allowed", "A request was made of a resource using a request method not supported by that resource");
        page(407, "Unauthorized", "You need a valid user and password to access this content.");
        page(408, "Request Time-out", "Your browser didn't send a complete request in time.");
        page(410, "Gone", "The resource is no longer available and will not be available again.");
        page(413, "Payload Too Large", "The request entity exceeds the maximum allowed.");
        page(421, "Misdirected Request", "The request was sent to a server that cannot answer it.");
        page(422, "Unprocessable Content", "The server cannot process the contained instructions.");
        page(425, "Too Early", "Your browser sent early data.");
        page(429, "Too Many Requests", "You have sent too many requests in a given amount of time.");
        page(500, "Internal Server Error", "An internal server error occurred.");
        page(501, "Not Implemented", "The server does not support the functionality required to fulfill the request.");
        page(502, "Bad Gateway", "The server returned an invalid or incomplete response.");
        page(503, "Service Unavailable", "No server is available to handle this request.");
        page(504, "Gateway Time-out", "The server didn't respond in time.");
    }

    private static void page(int code, String reason, String text) {
        PAGES.put(code, new Page(reason, text));
    }

    /** The statuses that have a default page: errorfile, http-error and a deny without payload take only these. */
    public static boolean hasDefaultPage(int code) {
        return PAGES.containsKey(code);
    }

    public static String reason(int code) {
        Page p = PAGES.get(code);
        return p != null ? p.reason() : HttpResponseStatus.valueOf(code).reasonPhrase();
    }

    public static String body(int code) {
        Page p = PAGES.get(code);
        String reason = reason(code);
        String text = p == null ? "" : p.text();
        return "<html><body><h1>" + code + " " + reason + "</h1>\n" + text + "\n</body></html>\n";
    }

    private final Map<Integer, ErrorFile> custom;
    private final Map<Integer, byte[]> rawFiles = new HashMap<>();

    /** @param custom the proxy's errorfile/errorloc entries; files are read once, here */
    public ErrorPages(Map<Integer, ErrorFile> custom) {
        this.custom = custom;
        for (ErrorFile e : custom.values()) {
            if (e.file() != null) {
                try {
                    rawFiles.put(e.status(), Files.readAllBytes(Path.of(e.file())));
                } catch (IOException ex) {
                    // Checked at load time; a file that vanished since falls back to the built-in page.
                }
            }
        }
    }

    /** A raw errorfile (a complete HTTP response as HAProxy sends it), or null. */
    public ByteBuf rawFile(int code) {
        byte[] b = rawFiles.get(code);
        return b == null ? null : Unpooled.wrappedBuffer(b);
    }

    /** The status is answered by an "http-error status" rule of the proxy. */
    public boolean isHttpError(int code) {
        ErrorFile e = custom.get(code);
        return e != null && e.file() == null && e.location() == null;
    }

    /** An errorloc redirect for this status, or null. */
    public ErrorFile location(int code) {
        ErrorFile e = custom.get(code);
        return e != null && e.location() != null ? e : null;
    }

    /** Error for a request that could not be parsed: HAProxy's mux-level style, always closing. */
    public static FullHttpResponse parsingError(int code) {
        byte[] body = body(code).getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(code, reason(code)), Unpooled.wrappedBuffer(body));
        r.headers().add("Content-length", body.length);
        r.headers().add("Cache-Control", "no-cache");
        r.headers().add("Connection", "close");
        r.headers().add("Content-Type", "text/html");
        return r;
    }

    /** Error for a parsed request (503, 502, 504, 403 ...): HTX style, lower-case names. */
    public static FullHttpResponse transactionError(int code, boolean close) {
        byte[] body = body(code).getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(code, reason(code)), Unpooled.wrappedBuffer(body));
        r.headers().add("content-length", body.length);
        r.headers().add("cache-control", "no-cache");
        r.headers().add("content-type", "text/html");
        if (close) {
            r.headers().add("connection", "close");
        }
        return r;
    }
}
