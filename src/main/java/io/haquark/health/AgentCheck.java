package io.haquark.health;

import io.haquark.state.ServerState;
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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One server's agent check (configuration.txt §5.2 "agent-check", "agent-port", "agent-addr",
 * "agent-send", "agent-inter"): every agent-inter it connects to the agent, sends agent-send,
 * reads one line and applies its words to the server: a weight in percent of the configured
 * one, "maxconn:N", the admin states ready/drain/maint, the operational states up/down/failed/
 * stopped, and a "#" description. An agent that cannot be reached changes nothing: connectivity
 * is the health check's business.
 */
final class AgentCheck {
    /** Where results and state changes are logged (HealthChecks' backend logs). */
    interface Log {
        /** @param severity syslog severity; @param line HAProxy's wording */
        void line(int severity, String line);

        /** "N active and M backup servers left/online ..." for the backend, as state change lines end. */
        String serversSummary(boolean online);
    }

    private static final int MAX_LINE = 1024;

    private final ServerState server;
    private final String backend;
    private final EventLoop loop;
    private final ChannelFactory<? extends Channel> factory;
    private final InetSocketAddress target;
    private final byte[] send;
    private final long inter;
    private final boolean logChecks;
    private final Log log;
    private volatile boolean stopped;

    AgentCheck(ServerState server, String backend, EventLoop loop, ChannelFactory<? extends Channel> factory,
               InetSocketAddress target, String send, long inter, boolean logChecks, Log log) {
        this.server = server;
        this.backend = backend;
        this.loop = loop;
        this.factory = factory;
        this.target = target;
        this.send = send == null ? new byte[0] : send.getBytes(StandardCharsets.ISO_8859_1);
        this.inter = Math.max(1, inter);
        this.logChecks = logChecks;
        this.log = log;
    }

    void stop() {
        stopped = true;
    }

    ServerState server() {
        return server;
    }

    void schedule(long delayMs) {
        if (!stopped) {
            loop.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce() {
        if (stopped || server.deleted) {
            return;
        }
        if (!server.agentEnabled) {
            schedule(inter);
            return;
        }
        long start = System.nanoTime();
        Exchange ex = new Exchange(start);
        Bootstrap b = new Bootstrap().group(loop).channelFactory(factory)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, inter))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(ex);
        ChannelFuture f = b.connect(target);
        f.addListener(x -> {
            if (!f.isSuccess()) {
                boolean timeout = f.cause() instanceof ConnectTimeoutException;
                ex.done(timeout ? new Outcome("L4TOUT", -1, "Layer4 timeout", "", false)
                        : new Outcome("L4CON", -1, "Layer4 connection problem", "Connection refused", false));
                return;
            }
            if (send.length > 0) {
                f.channel().writeAndFlush(Unpooled.wrappedBuffer(send));
            }
            loop.schedule(() -> ex.done(new Outcome("L7TOUT", -1, "Layer7 timeout", "", false)), inter, TimeUnit.MILLISECONDS);
        });
    }

    /** The result of one exchange, in the stats' words. */
    record Outcome(String status, int code, String desc, String info, boolean passed) {
    }

    /** Reads the agent's line on one connection. */
    private final class Exchange extends ChannelInboundHandlerAdapter {
        private final long start;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean finished;
        private Channel channel;

        Exchange(long start) {
            this.start = start;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                while (buf.isReadable() && !finished) {
                    byte c = buf.readByte();
                    if (c == '\n') {
                        done(apply(line.toString(StandardCharsets.ISO_8859_1)));
                        return;
                    }
                    if (line.size() < MAX_LINE) {
                        line.write(c);
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished) {
                done(new Outcome("L7RSP", -1, "Layer7 invalid response", "Ignoring incomplete line from agent", false));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done(new Outcome("SOCKERR", -1, "Socket error", String.valueOf(cause.getMessage()), false));
        }

        void done(Outcome o) {
            if (finished) {
                return;
            }
            finished = true;
            if (channel != null) {
                channel.close();
            }
            report(o, (System.nanoTime() - start) / 1_000_000);
            schedule(inter);
        }
    }

    /**
     * Applies the agent's words (configuration.txt "agent-check": separated by spaces, tabs or
     * commas) and names the outcome: "up" passes, "down"/"failed"/"stopped" fail, else
     * "CHECKED" (no status change).
     */
    Outcome apply(String reply) {
        String text = reply.endsWith("\r") ? reply.substring(0, reply.length() - 1) : reply;
        String description = null;
        int hash = text.indexOf('#');
        if (hash >= 0) {
            description = text.substring(hash + 1).trim();
            text = text.substring(0, hash);
        }
        String op = null;
        ServerState.Admin admin = null;
        for (String word : text.split("[ \t,]+")) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (w.endsWith("%")) {
                try {
                    int pct = Integer.parseInt(w.substring(0, w.length() - 1));
                    // configuration.txt: a percentage of the configured weight, at most 256.
                    server.setWeight(Math.min(256, server.server.weight() * pct / 100));
                } catch (NumberFormatException e) {
                    // not a weight: ignored, as HAProxy ignores words it does not know
                }
            } else if (w.startsWith("maxconn:")) {
                try {
                    server.setMaxconn(Integer.parseInt(w.substring(8)));
                } catch (NumberFormatException e) {
                    // ignored
                }
            } else if (w.equals("ready") || w.equals("drain") || w.equals("maint")) {
                admin = w.equals("ready") ? ServerState.Admin.READY : w.equals("drain") ? ServerState.Admin.DRAIN
                        : ServerState.Admin.MAINT;
            } else if (w.equals("up") || w.equals("down") || w.equals("failed") || w.equals("stopped")) {
                op = w;
            }
        }
        if (admin != null) {
            applyAdmin(admin);
        }
        String suffix = description == null || description.isEmpty() ? "" : " (" + description + ")";
        if (op == null) {
            return new Outcome("CHECKED", -1, "No status change", "", true);
        }
        if (op.equals("up")) {
            server.agentHealth = 1;
            // Back up only when the health check (if any) agrees.
            if (!server.checksEnabled || server.health >= server.server.rise()) {
                server.setUp(true);
            }
            return new Outcome("L7OK", 0, "Layer7 check passed", "via agent : up" + suffix, true);
        }
        server.agentHealth = 0;
        boolean wasUp = server.isUp();
        server.setUp(false);
        if (wasUp && server.admin() != ServerState.Admin.MAINT) {
            log.line(1, "Server " + backend + "/" + server.name() + " is DOWN, reason: Layer7 wrong status, code: 0, info: \"via agent : "
                    + op + suffix + "\". " + log.serversSummary(false));
        }
        return new Outcome("L7STS", 0, "Layer7 wrong status", "via agent : " + op + suffix, false);
    }

    private void applyAdmin(ServerState.Admin admin) {
        ServerState.Admin before = server.admin();
        if (admin == ServerState.Admin.READY) {
            if (!server.adminByAgent && before == ServerState.Admin.MAINT) {
                // "ready" clears a maintenance the operator set too (HAProxy's srv_adm_set_ready).
                server.setAdmin(ServerState.Admin.READY);
                return;
            }
            if (server.adminByAgent && before != ServerState.Admin.READY) {
                server.setAdmin(ServerState.Admin.READY, false);
                server.adminByAgent = false;
                log.line(5, "Server " + backend + "/" + server.name() + " is " + (server.isUp() ? "UP" : "DOWN")
                        + " (leaving " + (before == ServerState.Admin.MAINT ? "maintenance" : "drain") + "). "
                        + log.serversSummary(true));
            }
            return;
        }
        if (before == admin) {
            if (admin == ServerState.Admin.DRAIN) {
                log.line(4, "Server " + backend + "/" + server.name() + " remains in forced drain mode.");
            }
            return;
        }
        if (before == ServerState.Admin.MAINT && !server.adminByAgent) {
            return; // the operator's maintenance wins
        }
        server.setAdmin(admin, false);
        server.adminByAgent = true;
        if (admin == ServerState.Admin.MAINT) {
            log.line(1, "Server " + backend + "/" + server.name() + " is going DOWN for maintenance. "
                    + log.serversSummary(false));
        } else {
            log.line(4, "Server " + backend + "/" + server.name() + " enters drain state. " + log.serversSummary(true));
        }
    }

    /** Records the outcome for the stats and, with option log-health-checks, logs a changed status. */
    private void report(Outcome o, long ms) {
        String before = server.agentStatus;
        server.agentStatus = o.status();
        server.agentCode = o.code();
        server.agentDesc = o.desc();
        server.agentInfo = o.info();
        server.agentDurationMs = ms;
        if (logChecks && !o.status().equals(before) && !o.status().equals("CHECKED")) {
            CheckResult r = new CheckResult(o.status(), o.passed(), o.code(), CheckResult.describe(o.desc(), o.info()), ms);
            log.line(5, "Agent check for server " + backend + "/" + server.name() + (o.passed() ? " succeeded" : " failed")
                    + r.details() + ", status: " + server.agentHealth + "/1 " + (server.isUp() ? "UP" : "DOWN") + ".");
        }
    }
}
