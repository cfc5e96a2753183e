package io.haquark.runtime;

/** Lets tests in other packages talk to a runtime API socket. */
public final class RuntimeApiTestAccess {
    private RuntimeApiTestAccess() {
    }

    public static String unix(java.nio.file.Path sock, String cmd) throws Exception {
        return RuntimeApiTest.unix(sock, cmd);
    }

    public static String tcp(int port, String cmd) throws Exception {
        return RuntimeApiTest.tcp(port, cmd);
    }
}
