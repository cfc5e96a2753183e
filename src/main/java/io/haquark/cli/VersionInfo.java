package io.haquark.cli;

import io.haquark.config.Preprocessor;
import io.haquark.model.Release;
import java.util.Map;

/**
 * What -v and -vv print: HAProxy's layout (tools such as HAProxy's run-regtests.sh read the
 * "HAProxy version", "Feature list" and "Available ..." lines), filled with what is true of
 * haquark: its version after the HAProxy version whose behaviour it follows, the features it
 * really has, its services and filters.
 */
final class VersionInfo {
    private VersionInfo() {
    }

    static String text(boolean verbose) {
        StringBuilder b = new StringBuilder();
        b.append("HAProxy version ").append(Release.HAPROXY_VERSION).append("-haquark-").append(Release.VERSION)
                .append(" - haquark, an HAProxy ").append(Release.HAPROXY_VERSION)
                .append("-compatible proxy on Java ").append(Runtime.version().feature()).append('\n');
        b.append("Status: haquark ").append(Release.VERSION).append(", following HAProxy ")
                .append(Release.HAPROXY_VERSION).append("'s configuration language and behaviour.\n");
        if (!verbose) {
            return b.toString();
        }
        b.append("Running on: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(", Java ").append(Runtime.version()).append('\n');
        b.append("Build options :\n  TARGET  = java\n\n");
        b.append("Feature list :");
        for (Map.Entry<String, Boolean> f : Preprocessor.FEATURES.entrySet()) {
            b.append(' ').append(f.getValue() ? '+' : '-').append(f.getKey());
        }
        b.append("\n\nDefault settings :\n  bufsize = 16384, maxrewrite = 1024\n\n");
        b.append("Built with multi-threading support (one event loop per thread, default=")
                .append(Runtime.getRuntime().availableProcessors()).append(").\n");
        b.append("Built with OpenSSL version : ").append(tlsLibrary()).append('\n');
        b.append("OpenSSL library supports TLS extensions : yes\n");
        b.append("OpenSSL library supports SNI : yes\n");
        b.append("OpenSSL library supports : TLSv1.2 TLSv1.3\n");
        b.append("Built with the Prometheus exporter as a service\n");
        b.append("Built with PCRE2 version : java.util.regex (Java ").append(Runtime.version().feature()).append(")\n");
        b.append("Encrypted password support via crypt(3): yes\n");
        b.append("\nAvailable polling systems :\n");
        b.append("      epoll : pref=300,  test result ").append(epoll() ? "OK" : "FAILED").append('\n');
        b.append("        nio : pref=200,  test result OK\n");
        b.append("Total: 2 (").append(epoll() ? 2 : 1).append(" usable), will use ").append(epoll() ? "epoll" : "nio").append(".\n");
        b.append("\nAvailable multiplexer protocols :\n");
        b.append("(protocols marked as <default> cannot be specified using 'proto' keyword)\n");
        b.append("         h2 : mode=HTTP  side=FE|BE  mux=H2    flags=HTX|HOL_RISK|NO_UPG\n");
        b.append("  <default> : mode=HTTP  side=FE|BE  mux=H1    flags=HTX\n");
        b.append("  <default> : mode=TCP   side=FE|BE  mux=PASS  flags=\n");
        b.append("\nAvailable services : prometheus-exporter\n");
        b.append("Available filters :\n");
        return b.toString();
    }

    private static boolean epoll() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static String tlsLibrary() {
        try {
            return io.netty.handler.ssl.OpenSsl.isAvailable() ? io.netty.handler.ssl.OpenSsl.versionString() : "none (JDK TLS)";
        } catch (LinkageError e) {
            return "none (JDK TLS)";
        }
    }
}
