package io.haquark.engine;

import io.haquark.model.Bind;
import io.haquark.model.ListenAddress;
import io.haquark.tls.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens the listening sockets of a model's binds (configuration.txt §5.1 "bind"): TCP
 * ports and ranges, unix and abstract sockets, inherited fd@ sockets. They open without
 * accepting; {@link #startAccepting} turns them on once their model serves.
 */
final class Binder {
    private static final Logger LOG = Logger.getLogger(Binder.class);
    private final Engine engine;

    Binder(Engine engine) {
        this.engine = engine;
    }

    /**
     * Opens every bind of r not already served by one of the kept engine.listeners. They do not
     * accept yet: {@link #startAccepting} turns them on once r is the serving model, and until
     * then clients wait in the kernel's backlog (nothing accepted before the model is ready).
     * @return the engine.listeners opened
     */
    List<Listener> openListeners(Routing r, Path baseDir, List<Listener> kept) throws Engine.BindException {
        int before = engine.listeners.size();
        java.util.Set<String> have = new java.util.HashSet<>();
        for (Listener l : kept) {
            have.add(Engine.listenerKey(l.frontend().name(), l.bind(), l.address()));
        }
        for (FrontendRuntime f : r.frontends.values()) {
            if (f.proxy.disabled() || f.proxy.mode() == io.haquark.model.Mode.LOG) {
                continue;
            }
            long[] ids = ListenerSlot.ids(f.proxy.binds());
            int rank = 0;
            for (Bind b : f.proxy.binds()) {
                TlsContexts.Tls tls = null;
                for (ListenAddress raw : b.addresses()) {
                    ListenAddress a = engine.bindRewrite.apply(raw);
                    ListenerSlot slot = new ListenerSlot(ids[rank++]);
                    if (have.contains(Engine.listenerKey(f.name(), b, a))) {
                        continue;
                    }
                    if (b.ssl() && tls == null) {
                        try {
                            tls = TlsContexts.build(b, baseDir, r.config.global(), r.ssl);
                        } catch (java.io.IOException | RuntimeException e) {
                            throw new Engine.BindException("Starting frontend " + f.name() + ": bind " + b.spec()
                                    + ": unable to load SSL certificate: " + e.getMessage(), e);
                        }
                    }
                    bind(f, b, a, tls, slot);
                }
            }
        }
        return new ArrayList<>(engine.listeners.subList(before, engine.listeners.size()));
    }

    static void startAccepting(List<Listener> opened) {
        for (Listener l : opened) {
            l.channel().config().setAutoRead(true);
        }
    }

    private void bind(FrontendRuntime f, Bind b, ListenAddress a, TlsContexts.Tls tls, ListenerSlot slot) throws Engine.BindException {
        switch (a.family()) {
            case UNIX, ABNS -> {
                if (!Epoll.isAvailable()) {
                    throw new Engine.BindException("[" + f.name() + "] : cannot bind " + b.spec() + ": unix sockets need the native epoll transport", null);
                }
                String path = a.family() == ListenAddress.Family.ABNS ? "\0" + a.path() : a.path();
                if (a.family() == ListenAddress.Family.UNIX) {
                    new java.io.File(path).delete();
                }
                open(f, b, a, new DomainSocketAddress(path), EpollServerDomainSocketChannel::new, tls, slot);
                if (a.family() == ListenAddress.Family.UNIX) {
                    socketFileAttributes(b, java.nio.file.Path.of(path));
                }
            }
            case FD -> {
                if (!Epoll.isAvailable()) {
                    throw new Engine.BindException("[" + f.name() + "] : cannot use fd@" + a.fd() + ": inherited sockets need the native epoll transport", null);
                }
                openInherited(f, b, a, tls, slot);
            }
            case SOCKPAIR -> throw new Engine.BindException("[" + f.name() + "] : sockpair@ binds are not supported", null);
            default -> {
                for (int port = a.portFrom(); port <= a.portTo(); port++) {
                    String host = a.host() == null ? "0.0.0.0" : a.host();
                    open(f, b, a, new InetSocketAddress(host, port), engine.serverChannels, tls, slot);
                }
            }
        }
    }

    /**
     * bind ... mode <octal> / uid <n> / gid <n> (configuration.txt §5.1): the UNIX socket file's
     * permissions and owner once it exists; a change the system refuses is reported, not fatal.
     */
    private static void socketFileAttributes(Bind b, java.nio.file.Path file) {
        try {
            String mode = b.options().get("mode");
            if (mode != null) {
                int m = Integer.parseInt(mode, 8);
                java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = java.util.EnumSet.noneOf(
                        java.nio.file.attribute.PosixFilePermission.class);
                java.nio.file.attribute.PosixFilePermission[] order = {
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE, java.nio.file.attribute.PosixFilePermission.GROUP_READ,
                        java.nio.file.attribute.PosixFilePermission.GROUP_WRITE, java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE,
                        java.nio.file.attribute.PosixFilePermission.OTHERS_READ, java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE};
                for (int i = 0; i < 9; i++) {
                    if ((m & (0400 >> i)) != 0) {
                        perms.add(order[i]);
                    }
                }
                java.nio.file.Files.setPosixFilePermissions(file, perms);
            }
            // user / group: the same, by name (configuration.txt §5.1).
            java.nio.file.attribute.UserPrincipalLookupService names = file.getFileSystem().getUserPrincipalLookupService();
            if (b.options().get("user") != null) {
                java.nio.file.Files.setOwner(file, names.lookupPrincipalByName(b.options().get("user")));
            }
            if (b.options().get("group") != null) {
                java.nio.file.Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                        .setGroup(names.lookupPrincipalByGroupName(b.options().get("group")));
            }
            if (b.options().get("uid") != null) {
                java.nio.file.Files.setAttribute(file, "unix:uid", Integer.parseInt(b.options().get("uid")));
            }
            if (b.options().get("gid") != null) {
                java.nio.file.Files.setAttribute(file, "unix:gid", Integer.parseInt(b.options().get("gid")));
            }
        } catch (java.io.IOException | RuntimeException e) {
            org.jboss.logging.Logger.getLogger(Binder.class).warnf("cannot set the attributes of %s: %s", file, e.getMessage());
        }
    }

    private void open(FrontendRuntime f, Bind b, ListenAddress a, SocketAddress addr,
                      ChannelFactory<? extends ServerChannel> factory, TlsContexts.Tls tls, ListenerSlot slot) throws Engine.BindException {
        ServerBootstrap sb = new ServerBootstrap()
                .group(engine.acceptors, engine.workers)
                .channelFactory(factory)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.AUTO_READ, true)
                .childHandler(engine.pipelines.initializer(f.name(), tls, b.acceptProxy() || b.options().containsKey("accept-netscaler-cip"), b, slot));
        if (addr instanceof InetSocketAddress) {
            if (Epoll.isAvailable()) {
                // SO_REUSEPORT: a new process started with -sf binds the same ports before the old one leaves.
                sb.option(io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT, true);
            }
            sb.option(ChannelOption.SO_BACKLOG, Integer.parseInt(b.options().getOrDefault("backlog", "1024")))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, f.proxy.option("clitcpka") || f.proxy.option("tcpka"));
            SocketOptions.listener(sb, f.proxy, b);
        }
        try {
            Channel ch = sb.bind(addr).sync().channel();
            register(f, b, a, ch);
        } catch (Exception e) {
            throw new Engine.BindException("Starting frontend " + f.name() + ": cannot bind socket (" + e.getMessage() + ") [" + addr + "]", e);
        }
    }

    private void openInherited(FrontendRuntime f, Bind b, ListenAddress a, TlsContexts.Tls tls, ListenerSlot slot) throws Engine.BindException {
        try {
            ServerBootstrap sb = new ServerBootstrap().group(engine.acceptors, engine.workers)
                    .childHandler(engine.pipelines.initializer(f.name(), tls, b.acceptProxy() || b.options().containsKey("accept-netscaler-cip"), b, slot))
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            EpollServerSocketChannel ch = InheritedSockets.adopt(a.fd(), sb);
            sb.register().sync();
            register(f, b, a, ch);
        } catch (Exception e) {
            throw new Engine.BindException("Starting frontend " + f.name() + ": cannot use inherited fd@" + a.fd() + " (" + e.getMessage() + ")", e);
        }
    }

    private void register(FrontendRuntime f, Bind b, ListenAddress a, Channel ch) {
        engine.listeners.add(new Listener(f, b, a, ch.localAddress(), ch));
        engine.acceptChannels.computeIfAbsent(f.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(ch);
        LOG.debugf("frontend %s listening on %s", f.name(), ch.localAddress());
    }
}
