package io.haquark.engine;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client side HTTP/1 codec: Netty's decoder and encoder like HttpServerCodec, with two
 * differences a proxy needs. Interim (1xx) answers do not consume the request they belong
 * to (so HEAD after 100-continue stays right), and a request carrying both Content-Length
 * and Transfer-Encoding is flagged, because HAProxy closes the connection after it.
 */
final class FrontendCodec extends CombinedChannelDuplexHandler<FrontendCodec.Decoder, FrontendCodec.Encoder> {
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
    private boolean contentLengthDropped;

    /** h1-case-adjust names for this client (option h1-case-adjust-bogus-client), or null. */
    private final java.util.Map<String, String> caseAdjust;

    FrontendCodec(int maxInitialLine, int maxHeaderSize) {
        this(maxInitialLine, maxHeaderSize, null);
    }

    FrontendCodec(int maxInitialLine, int maxHeaderSize, java.util.Map<String, String> caseAdjust) {
        this.caseAdjust = caseAdjust;
        HttpDecoderConfig cfg = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLine)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(16384)
                .setValidateHeaders(true)
                // Netty refuses Transfer-Encoding in HTTP/1.0 requests; HAProxy 2.6 reads them
                // chunked (RequestChecks still validates the codings).
                .setUseRfc9112TransferEncoding(false)
                // HAProxy 2.6 merges identical Content-Length values ("3, 3" or the header twice)
                // and takes a bare LF as a line end; different lengths are still a 400.
                .setAllowDuplicateContentLengths(true)
                .setStrictLineParsing(false);
        init(new Decoder(cfg), new Encoder());
    }

    /** The bytes read and not decoded yet, handed over (an upgrade to HTTP/2 takes them). */
    io.netty.buffer.ByteBuf takeUnread() {
        return inboundHandler().takeUnread();
    }

    /** True once after a request whose Content-Length was dropped in favour of chunked. */
    boolean takeContentLengthDropped() {
        boolean v = contentLengthDropped;
        contentLengthDropped = false;
        return v;
    }

    final class Decoder extends HttpRequestDecoder {
        Decoder(HttpDecoderConfig cfg) {
            super(cfg);
        }

        @Override
        protected void decode(io.netty.channel.ChannelHandlerContext ctx, io.netty.buffer.ByteBuf in, List<Object> out)
                throws Exception {
            int before = out.size();
            super.decode(ctx, in, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest r) {
                    methods.add(r.method());
                }
            }
        }

        io.netty.buffer.ByteBuf takeUnread() {
            io.netty.buffer.ByteBuf b = internalBuffer();
            return b.readRetainedSlice(b.readableBytes());
        }

        /** Header names in lower case from the start, so the forwarding path need not rebuild the headers. */
        @Override
        protected io.netty.util.AsciiString splitHeaderName(byte[] sb, int start, int length) {
            return HeaderCase.lower(super.splitHeaderName(sb, start, length));
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            // HAProxy drops the Content-Length, reads the body chunked and closes after the answer
            // (Netty's RFC 9112 mode would refuse the request instead).
            contentLengthDropped = true;
            clearContentLength();
            message.headers().remove(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH);
            io.netty.handler.codec.http.HttpUtil.setKeepAlive(message, false);
        }
    }

    final class Encoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL && msg.status().code() != 101) {
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod m = methods.poll();
            return HttpMethod.HEAD.equals(m) || super.isContentAlwaysEmpty(msg);
        }

        /**
         * Every header this connection sends, HAProxy's own answers included, leaves with the
         * case h1-case-adjust gives its name (option h1-case-adjust-bogus-client), as HAProxy's
         * HTTP/1 output writes them.
         */
        @Override
        protected void encodeHeaders(io.netty.handler.codec.http.HttpHeaders headers, io.netty.buffer.ByteBuf buf) {
            if (caseAdjust == null) {
                super.encodeHeaders(headers, buf);
                return;
            }
            for (java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                java.util.Map.Entry<CharSequence, CharSequence> e = it.next();
                CharSequence name = e.getKey();
                String adjusted = caseAdjust.get(name.toString());
                io.netty.buffer.ByteBufUtil.writeAscii(buf, adjusted != null ? adjusted : name);
                buf.writeByte(':').writeByte(' ');
                io.netty.buffer.ByteBufUtil.writeAscii(buf, e.getValue());
                buf.writeByte('\r').writeByte('\n');
            }
        }
    }
}
