package io.haquark.health;

import io.haquark.acl.NoHttpRequest;
import io.haquark.state.ServerState;
import io.haquark.state.Variables;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sample fetches of one check run see (configuration.txt "http-check set-var",
 * "uri-lf", "hdr ... name-lf"): the check's own variables (scope "check", fresh for each run),
 * the backend and server names, and the response the last send got.
 */
final class CheckSamples implements NoHttpRequest {
    private final String backend;
    private final ServerState server;
    private final Variables variables = Variables.local();
    /** The response being judged, null before one came. */
    HttpChecks.Response response;

    CheckSamples(String backend, ServerState server) {
        this.backend = backend;
        this.server = server;
    }

    @Override
    public Variables variables(Variables.Scope scope) {
        return scope == Variables.Scope.CHECK ? variables : null;
    }

    @Override
    public InetSocketAddress source() {
        return null;
    }

    @Override
    public InetSocketAddress destination() {
        return null;
    }

    @Override
    public int usableServers(String backend) {
        return 0;
    }

    @Override
    public String frontendName() {
        return null;
    }

    @Override
    public String backendName() {
        return backend;
    }

    @Override
    public ServerState server() {
        return server;
    }

    @Override
    public int status() {
        return response == null ? 0 : response.status;
    }

    @Override
    public String responseVersion() {
        return response == null ? null : response.version;
    }

    @Override
    public List<String> responseFullHeaderValues(String name) {
        if (response == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (String[] h : response.headers) {
            if (h[0].equalsIgnoreCase(name)) {
                out.add(h[1]);
            }
        }
        return out;
    }

    @Override
    public List<String> responseHeaderValues(String name) {
        List<String> out = new ArrayList<>(2);
        for (String full : responseFullHeaderValues(name)) {
            for (String v : full.split(",")) {
                out.add(v.trim());
            }
        }
        return out;
    }

    @Override
    public List<String> responseHeaderNames() {
        if (response == null) {
            return null;
        }
        List<String> out = new ArrayList<>(response.headers.size());
        for (String[] h : response.headers) {
            out.add(h[0]);
        }
        return out;
    }
}
