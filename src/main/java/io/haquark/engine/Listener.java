package io.haquark.engine;

import io.haquark.model.Bind;
import io.haquark.model.ListenAddress;
import io.netty.channel.Channel;
import java.net.SocketAddress;

/** One bound socket of a frontend's bind line (a port of a range, a unix path, an inherited fd). */
record Listener(FrontendRuntime frontend, Bind bind, ListenAddress address, SocketAddress bound, Channel channel) {
    String describe() {
        return frontend.name() + " " + bound;
    }
}
