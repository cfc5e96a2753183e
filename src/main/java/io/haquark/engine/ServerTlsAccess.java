package io.haquark.engine;

import io.haquark.model.Server;
import io.netty.handler.ssl.SslContext;

/** Lets the health package build the same TLS client context the engine uses for a server. */
public final class ServerTlsAccess {
    private ServerTlsAccess() {
    }

    public static SslContext context(Server s) {
        return ServerTls.context(s);
    }
}
