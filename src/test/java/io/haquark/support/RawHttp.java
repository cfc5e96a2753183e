package io.haquark.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare TCP client: send exact bytes, read what comes back until close or a timeout. */
public final class RawHttp {
    private RawHttp() {
    }

    public static String exchange(int port, String request, int timeoutMs) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMs);
    }

    public static String exchange(int port, byte[] request, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return readAll(s.getInputStream());
        }
    }

    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            buf.write("<<timeout>>".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            buf.write("<<reset>>".getBytes(StandardCharsets.ISO_8859_1));
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Status code of the first response in a raw answer, or -1. */
    public static int status(String raw) {
        if (!raw.startsWith("HTTP/1.")) {
            return -1;
        }
        return Integer.parseInt(raw.substring(9, 12));
    }

    /** The body of a raw response, de-chunked when it came with Transfer-Encoding: chunked. */
    public static String body(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return "";
        }
        String body = raw.substring(end + 4);
        if (!raw.substring(0, end).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < body.length()) {
            int eol = body.indexOf("\r\n", p);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(p, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            p = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
