package io.haquark.logging;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes log lines off the event loops: the request path only offers a line to a bounded
 * queue (and drops it, counting, when the queue is full); one daemon thread formats the
 * syslog header and sends it to stdout, stderr or UDP.
 */
public final class LogSink {
    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private record Entry(LogTarget target, int severity, String line, String structuredData) {
    }

    /** rfc5424's timestamp, as HAProxy writes it (microseconds, numeric offset). */
    private static final DateTimeFormatter RFC5424 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ENGLISH);
    /** global log-tag and log-send-hostname: the tag, and the host name lines carry (null: none, "-" in rfc5424). */
    private volatile String logTag;
    private volatile String sentHost;

    /** The machine's name, for log-send-hostname without a name. */
    public static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** global log-tag / log-send-hostname, applied to the lines written from now on. */
    public void identity(String tag, String hostname) {
        this.logTag = tag;
        this.sentHost = hostname;
    }

    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(65_536);
    public final AtomicLong dropped = new AtomicLong();
    private final String tag;
    private final Thread writer;
    private DatagramSocket socket;

    private static volatile LogSink shared;

    /** The process-wide sink (one writer thread for every proxy). */
    public static LogSink shared() {
        LogSink s = shared;
        if (s == null) {
            synchronized (LogSink.class) {
                if (shared == null) {
                    shared = new LogSink("haquark");
                }
                s = shared;
            }
        }
        return s;
    }

    public LogSink(String tag) {
        this.tag = tag;
        this.writer = new Thread(this::run, "haquark-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Never blocks. */
    public void log(LogTarget target, int severity, String line) {
        log(target, severity, line, null);
    }

    /** With the structured-data part of an rfc5424 line (log-format-sd), or null for "-". Never blocks. */
    public void log(LogTarget target, int severity, String line, String structuredData) {
        if (!target.accepts(severity)) {
            return;
        }
        if (!queue.offer(new Entry(target, severity, line, structuredData))) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        while (true) {
            try {
                write(queue.take());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                dropped.incrementAndGet();
            }
        }
    }

    private void write(Entry e) throws IOException {
        LogTarget t = e.target();
        if (t.kind().equals("ring")) {
            RingBuffer ring = Rings.get(t.path());
            if (ring == null) {
                dropped.incrementAndGet();
                return;
            }
            ring.append(format(ring.spec().format(), t.facility(), e.severity(), e.line(), e.structuredData(), true));
            return;
        }
        String msg = format(t.format(), t.facility(), e.severity(), e.line(), e.structuredData(), false);
        if (msg.length() > t.maxLength()) {
            msg = msg.substring(0, t.maxLength());
        }
        switch (t.kind()) {
            case "stdout" -> print(System.out, msg);
            case "stderr" -> print(System.err, msg);
            case "unix" -> unixDatagram(t.path(), msg.getBytes(StandardCharsets.UTF_8));
            default -> {
                if (socket == null) {
                    socket = new DatagramSocket();
                }
                byte[] b = (msg + "\n").getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(b, b.length, t.address()));
            }
        }
    }

    /**
     * The syslog header of a line. In a ring, rfc3164 carries a host name ("localhost", as
     * HAProxy 2.6 writes it there); over UDP it does not, as HAProxy sends it.
     */
    private String format(String format, int facility, int severity, String line, String sd, boolean ring) {
        String tagNow = logTag != null ? logTag : tag;
        String host = sentHost;
        return switch (format) {
            case "raw" -> line;
            case "short" -> "<" + severity + ">" + line;
            case "priority" -> "<" + (facility * 8 + severity) + ">" + line;
            case "timed", "iso" -> "<" + (facility * 8 + severity) + ">" + ZonedDateTime.now().toOffsetDateTime() + " " + line;
            case "rfc5424" -> "<" + (facility * 8 + severity) + ">1 " + RFC5424.format(ZonedDateTime.now())
                    + " " + (host != null ? host : "-") + " " + tagNow + " " + ProcessHandle.current().pid() + " - "
                    + (sd != null ? sd : "-") + " " + line;
            default -> "<" + (facility * 8 + severity) + ">" + RFC3164.format(ZonedDateTime.now()) + " "
                    + (host != null ? host + " " : ring ? "localhost " : "") + tagNow + "[" + ProcessHandle.current().pid() + "]: " + line;
        };
    }

    /**
     * A Unix datagram socket (/dev/log): the JDK cannot send those, Netty's epoll transport can.
     * One connected channel per path; a failed send (no listener) drops the line, counted.
     */
    private io.netty.channel.EventLoopGroup unixGroup;
    private final java.util.Map<String, io.netty.channel.Channel> unixChannels = new java.util.HashMap<>();

    private void unixDatagram(String path, byte[] msg) {
        if (!io.netty.channel.epoll.Epoll.isAvailable()) {
            dropped.incrementAndGet();
            return;
        }
        if (unixGroup == null) {
            unixGroup = new io.netty.channel.epoll.EpollEventLoopGroup(1, r -> {
                Thread th = new Thread(r, "haquark-log-unix");
                th.setDaemon(true);
                return th;
            });
        }
        io.netty.channel.Channel ch = unixChannels.get(path);
        if (ch == null || !ch.isActive()) {
            var f = new io.netty.bootstrap.Bootstrap().group(unixGroup)
                    .channel(io.netty.channel.epoll.EpollDomainDatagramChannel.class)
                    .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                    .connect(new io.netty.channel.unix.DomainSocketAddress(path)).awaitUninterruptibly();
            if (!f.isSuccess()) {
                dropped.incrementAndGet();   // nobody listens there (yet): try again with the next line
                return;
            }
            ch = f.channel();
            unixChannels.put(path, ch);
        }
        ch.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(msg)).addListener(f -> {
            if (!f.isSuccess()) {
                dropped.incrementAndGet();
            }
        });
    }

    private static void print(PrintStream out, String msg) {
        out.println(msg);
    }


    /** Lines waiting to be written (tests wait for 0). */
    public int pending() {
        return queue.size();
    }
}
