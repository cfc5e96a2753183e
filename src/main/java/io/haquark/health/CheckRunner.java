package io.haquark.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one check conversation on an event loop: connect, then each step's send and expect,
 * and reports a {@link CheckResult}. Never blocks; a timer bounds the whole exchange.
 */
@io.netty.channel.ChannelHandler.Sharable
final class CheckRunner extends ChannelInboundHandlerAdapter {
    private static final int MAX_READ = 16 * 1024;

    private final CheckPlan plan;
    private final Consumer<CheckResult> done;
    private final long start = System.nanoTime();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int step;
    private boolean finished;
    private Channel channel;

    private final EventLoop loop;
    private final ChannelFactory<? extends Channel> factory;
    private final InetSocketAddress target;
    private final InetSocketAddress source;
    private final long connectTimeoutMs;
    private final io.netty.handler.ssl.SslContext tls;
    private final String sni;
    private final long readTimeoutMs;
    /** The PROXY protocol version written first on each connection ("check-send-proxy"), before TLS; 0 for none. */
    private final int proxyVersion;

    /**
     * Where and how a check connects: the server's address, the source to leave from (the
     * server's or backend's "source", or null), TLS with its SNI, HTTP/2, and a PROXY header.
     */
    record Connection(InetSocketAddress target, InetSocketAddress source, io.netty.handler.ssl.SslContext tls, String sni,
                      boolean h2, int proxyVersion, InetSocketAddress socks4) {
    }

    /** check-via-socks4: the SOCKS4 proxy the check goes through, or null. */
    private final InetSocketAddress socks4;

    private CheckRunner(CheckPlan plan, Consumer<CheckResult> done, EventLoop loop, ChannelFactory<? extends Channel> factory,
                        Connection c, long connectTimeoutMs, long readTimeoutMs) {
        this.plan = plan;
        this.done = done;
        this.loop = loop;
        this.factory = factory;
        this.target = c.target();
        this.source = c.source();
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.tls = c.tls();
        this.sni = c.sni();
        this.h2 = c.h2();
        this.proxyVersion = c.proxyVersion();
        this.socks4 = c.socks4();
    }

    static void run(EventLoop loop, ChannelFactory<? extends Channel> factory, Connection c, CheckPlan plan,
                    long connectTimeoutMs, long readTimeoutMs, CheckSamples samples, String serverState, Consumer<CheckResult> done) {
        CheckRunner r = new CheckRunner(plan, done, loop, factory, c, connectTimeoutMs, readTimeoutMs);
        r.samples = samples;
        r.serverState = serverState;
        // A plan that starts with "tcp-check connect" opens that connection; others connect implicitly first.
        CheckPlan.Connect first = plan.steps.isEmpty() ? null : plan.steps.get(0).connect();
        if (first != null) {
            r.step = 1;
        }
        r.open(first);
    }

    /**
     * The PROXY header of a check: the check connection's own addresses, as HAProxy's checks
     * announce them ("PROXY TCP4 <local> <server> <lport> <sport>", or its v2 form).
     */
    private io.netty.buffer.ByteBuf proxyLine(Channel ch) {
        InetSocketAddress l = (InetSocketAddress) ch.localAddress();
        InetSocketAddress r = (InetSocketAddress) ch.remoteAddress();
        boolean v6 = l.getAddress() instanceof java.net.Inet6Address;
        if (proxyVersion == 1) {
            return Unpooled.copiedBuffer("PROXY " + (v6 ? "TCP6 " : "TCP4 ") + l.getAddress().getHostAddress() + " "
                    + r.getAddress().getHostAddress() + " " + l.getPort() + " " + r.getPort() + "\r\n", java.nio.charset.StandardCharsets.US_ASCII);
        }
        io.netty.buffer.ByteBuf b = Unpooled.buffer(16 + 36);
        b.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21});
        b.writeByte(v6 ? 0x21 : 0x11).writeShort(v6 ? 36 : 12);
        b.writeBytes(l.getAddress().getAddress()).writeBytes(r.getAddress().getAddress()).writeShort(l.getPort()).writeShort(r.getPort());
        return b;
    }

    /** The check's variables and names for log-formats and set-var; the response once one came. */
    private CheckSamples samples;
    /** http-check send-state: the x-haproxy-server-state value, null without it. */
    private String serverState;
    /** HTTP checks over HTTP/2 (server proto h2 or check-proto h2). */
    private final boolean h2;
    /** Counts the connections of this check: a timer set for an earlier one does nothing. */
    private int generation;
    /** The status of the last HTTP response judged, reported when every rule passed. */
    private int lastCode;

    /** Opens the check's (next) connection; the previous one, if any, is closed. */
    private void open(CheckPlan.Connect how) {
        if (channel != null) {
            // Forget the old connection first: its last events (inactive, a late read) are not this one's.
            Channel old = channel;
            channel = null;
            old.close();
        }
        received.reset();
        // "connect addr A port P": another address or port than the server's.
        InetSocketAddress to = how == null || how.port() == 0 && how.addr() == null ? target
                : new InetSocketAddress(how.addr() != null ? how.addr() : target.getAddress(),
                        how.port() != 0 ? how.port() : target.getPort());
        Bootstrap b = new Bootstrap().group(loop).channelFactory(factory)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeoutMs))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (socks4 != null) {
                            // check-via-socks4: the check reaches the server through the SOCKS4 tunnel.
                            ch.pipeline().addLast("socks4", new io.netty.handler.proxy.Socks4ProxyHandler(socks4, "HAProxy"));
                        }
                        if (tls != null) {
                            // Checks of an "ssl" server speak TLS too; writes wait for the handshake.
                            ch.pipeline().addLast("tls", io.haquark.tls.ServerTls.handler(tls, ch.alloc(), sni, to.getPort()));
                        }
                        if (h2) {
                            ch.pipeline().addLast("h2", io.netty.handler.codec.http2.Http2FrameCodecBuilder.forClient().build());
                            ch.pipeline().addLast("h2-check", new H2CheckAdapter(tls != null));
                        }
                        ch.pipeline().addLast("check", CheckRunner.this);
                    }
                });
        // A source port is for traffic; a check leaving from the same port would collide with it.
        ChannelFuture f = source != null && source.getAddress().getClass() == to.getAddress().getClass()
                ? b.connect(to, new InetSocketAddress(source.getAddress(), 0)) : b.connect(to);
        channel = f.channel();
        f.addListener(x -> {
            if (finished) {
                f.channel().close();
                return;
            }
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                String where = connectStep(how);
                if (c instanceof ConnectTimeoutException) {
                    finish(where == null ? CheckResult.l4tout(elapsed()) : CheckResult.l4tout(where.trim(), elapsed()));
                } else {
                    String why = c instanceof ConnectException ? "Connection refused" : String.valueOf(c.getMessage());
                    finish(CheckResult.l4con(where == null ? why : why + where, elapsed()));
                }
                return;
            }
            if (proxyVersion > 0) {
                // Written from the head of the pipeline: before any TLS or check bytes, in clear.
                f.channel().pipeline().firstContext().writeAndFlush(proxyLine(f.channel()));
            }
            if (plan.steps.isEmpty() && tls != null) {
                // check-ssl on a plain connect check: the TLS handshake is the check (Layer6).
                io.netty.handler.ssl.SslHandler ssl = f.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class);
                loop.schedule(() -> finish(CheckResult.l6rsp("timeout during SSL handshake", elapsed())), readTimeoutMs,
                        TimeUnit.MILLISECONDS);
                ssl.handshakeFuture().addListener(h -> finish(h.isSuccess() ? CheckResult.l6ok(elapsed())
                        : CheckResult.l6rsp(String.valueOf(h.cause().getMessage()), elapsed())));
                return;
            }
            // Each connection has the whole read time (inter, or timeout check) for its exchange.
            int mine = ++generation;
            loop.schedule(() -> {
                if (generation == mine) {
                    timeout();
                }
            }, readTimeoutMs, TimeUnit.MILLISECONDS);
            try {
                sendCurrent();
            } catch (RuntimeException e) {
                // A rule that cannot run (a sample that fails) ends the check instead of leaving it hanging.
                finish(CheckResult.sockerr(String.valueOf(e), elapsed()));
            }
        });
    }

    /** " at step N of tcp-check (connect port P)" for tcp-check plans, null for the others. */
    private String connectStep(CheckPlan.Connect how) {
        if (!plan.type.equals("tcp-check")) {
            return null;
        }
        return how == null ? " at initial connection step of tcp-check"
                : " at step " + how.step() + " of tcp-check (" + how.describe() + ")";
    }

    long elapsed() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void sendCurrent() {
        while (step < plan.steps.size()) {
            CheckPlan.Step s = plan.steps.get(step);
            if (s.connect() != null) {
                // tcp-check connect: the rest of the plan runs on a new connection.
                step++;
                open(s.connect());
                return;
            }
            if (s.var() != null) {
                s.var().apply(samples);
                step++;
                continue;
            }
            if (s.httpSend() != null) {
                // A new request: the expects after it judge its response.
                received.reset();
                samples.response = null;
                channel.writeAndFlush(Unpooled.wrappedBuffer(HttpChecks.render(s.httpSend(), samples, serverState)));
                step++;
                continue;
            }
            if (s.send() != null && s.send().length > 0) {
                // What the server said before is answered: expectations after a send read what comes next.
                received.reset();
                channel.writeAndFlush(Unpooled.wrappedBuffer(s.send()));
            }
            if (s.expect() != null) {
                return;
            }
            step++;
        }
        finish(plan.http ? CheckResult.l7ok(lastCode, elapsed()) : CheckResult.l4ok(elapsed()));
    }

    private void timeout() {
        if (!finished) {
            CheckPlan.Expect e = step < plan.steps.size() ? plan.steps.get(step).expect() : null;
            if (e != null && e.step() > 0) {
                finish(CheckResult.l7tout(" at step " + e.step() + " of tcp-check (" + e.describe() + ")"
                        + (e.comment() == null ? "" : " comment: '" + e.comment() + "'"), elapsed()));
                return;
            }
            finish(plan.http || !plan.steps.isEmpty() ? CheckResult.l7tout(elapsed()) : CheckResult.l4tout(elapsed()));
        }
    }

    private void finish(CheckResult r) {
        if (finished) {
            return;
        }
        finished = true;
        if (channel != null) {
            channel.close();
        }
        done.accept(r);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        if (ctx.channel() != channel) {
            b.release(); // a connection an earlier "tcp-check connect" left behind
            return;
        }
        try {
            if (received.size() < MAX_READ) {
                byte[] chunk = new byte[Math.min(b.readableBytes(), MAX_READ - received.size())];
                b.readBytes(chunk);
                received.write(chunk, 0, chunk.length);
            }
        } finally {
            b.release();
        }
        evaluate(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished && ctx.channel() == channel) {
            evaluate(true);
            if (!finished) {
                finish(CheckResult.l7rsp("connection closed", elapsed()));
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() != channel) {
            return;
        }
        if (cause instanceof java.io.IOException && received.size() > 0) {
            // A reset after the answer (a TLS server refusing our hello with an alert): judge what came.
            evaluate(true);
        }
        finish(CheckResult.sockerr(cause.getMessage(), elapsed()));
    }

    /** Decides the current expectation when enough bytes are in (or the server closed). */
    private void evaluate(boolean closed) {
        if (finished || step >= plan.steps.size()) {
            return;
        }
        CheckPlan.Expect e = plan.steps.get(step).expect();
        if (e == null) {
            return; // nothing to judge yet: the step still has to connect or send
        }
        byte[] data = received.toByteArray();
        if (plan.http) {
            if (evaluateHttp(e, data, closed)) {
                advance(() -> CheckResult.l7ok(lastCode, elapsed()), closed);
            }
            return;
        }
        int stepId = e.step() > 0 ? e.step() : e.kind().equals("ssl") ? 2 : 0;
        if (closed && data.length == 0 && stepId > 0) {
            String why = "TCPCHK got an empty response at step " + stepId;
            finish(e.kind().equals("ssl") ? CheckResult.l6rsp(why, elapsed()) : CheckResult.l7rsp(why, elapsed()));
            return;
        }
        if (e.kind().startsWith("mysql-") || e.kind().equals("pgsql") || e.kind().equals("ldap")) {
            evaluateDatabase(e, data, closed);
            return;
        }
        Boolean ok = Expectations.raw(e, data, closed);
        if (ok == null) {
            return;
        }
        if (!ok) {
            String why = null;
            if (e.step() > 0) {
                // HAProxy's report: the comment when the rule has one, else what did (not) match where.
                why = e.comment() != null ? e.comment()
                        : "TCPCHK " + (e.negate() ? "matched unwanted content" : "did not match content")
                        + (e.kind().startsWith("r") ? " (regex)" : "") + " '" + e.value() + "' at step " + e.step();
            }
            finish(e.kind().equals("ssl") ? CheckResult.l6rsp(elapsed()) : CheckResult.l7rsp(why, elapsed()));
            return;
        }
        advance(() -> e.kind().equals("ssl") ? CheckResult.l6ok(elapsed())
                : plan.type.equals("tcp-check") ? CheckResult.tcpCheckOk(elapsed()) : CheckResult.l7ok(-1, elapsed()), closed);
    }

    /**
     * The current expect passed: the check passes when it was the last rule, else the next
     * rules run. The next expectation reads the same bytes unless a send came between (HAProxy
     * keeps the input buffer across consecutive expect rules) or a connect opened a new connection.
     */
    private void advance(java.util.function.Supplier<CheckResult> passed, boolean closed) {
        step++;
        if (step >= plan.steps.size()) {
            finish(passed.get());
            return;
        }
        Channel before = channel;
        sendCurrent();
        if (channel == before) {
            evaluate(closed);
        }
    }

    /** The info a MySQL greeting gave (its version), reported with the final result. */
    private String info;
    private int greetingLength;

    private void evaluateDatabase(CheckPlan.Expect e, byte[] data, boolean closed) {
        if (e.kind().equals("pgsql") || e.kind().equals("ldap")) {
            CheckResult r = e.kind().equals("ldap") ? DatabaseChecks.ldap(data, closed, elapsed()) : DatabaseChecks.pgsql(data, closed, elapsed());
            if (r != null) {
                finish(r);
            }
            return;
        }
        boolean greeting = e.kind().equals("mysql-greeting");
        // The answer to the login follows the greeting in the same stream.
        byte[] packet = greeting || greetingLength >= data.length ? (greeting ? data : new byte[0])
                : java.util.Arrays.copyOfRange(data, greetingLength, data.length);
        DatabaseChecks.Judged j = greeting ? DatabaseChecks.mysqlGreeting(packet, closed, elapsed())
                : DatabaseChecks.mysqlLoginAnswer(packet, closed, elapsed());
        if (!j.complete()) {
            return;
        }
        if (j.failure() != null) {
            finish(j.failure());
            return;
        }
        if (j.info() != null) {
            info = j.info();
        }
        if (greeting) {
            greetingLength = 4 + ((data[0] & 0xff) | (data[1] & 0xff) << 8 | (data[2] & 0xff) << 16);
        }
        advance(() -> new CheckResult("L7OK", true, -1, "Layer7 check passed" + (info == null ? "" : ", info: \"" + info + "\""),
                elapsed()), closed);
    }

    /** Judges the current expect of an HTTP check; true when it passed and the next rule may run. */
    private boolean evaluateHttp(CheckPlan.Expect e, byte[] data, boolean closed) {
        HttpChecks.Response r = HttpChecks.parse(data, closed, MAX_READ);
        if (r == null) {
            return false;
        }
        if (r.invalid) {
            finish(CheckResult.l7rsp(data.length == 0 ? "no status line" : "invalid status line", elapsed()));
            return false;
        }
        boolean bodyExpect = e.kind().equals("string") || e.kind().equals("rstring");
        if (bodyExpect && r.body == null) {
            return false;
        }
        if (plan.disableOn404 && r.status == 404) {
            finish(CheckResult.l7okc(r.status, elapsed()));
            return false;
        }
        samples.response = r;
        lastCode = r.status;
        CheckResult failed = HttpChecks.judge(e, r, samples, elapsed());
        if (failed != null) {
            finish(failed);
            return false;
        }
        return true;
    }
}
