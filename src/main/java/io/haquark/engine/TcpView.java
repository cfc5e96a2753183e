package io.haquark.engine;

import io.haquark.acl.SampleSource;
import java.net.InetSocketAddress;
import java.util.List;

/** Layer 4 samples only (addresses), for tcp-request connection rules of HTTP frontends. */
record TcpView(InetSocketAddress source, InetSocketAddress destination, String frontendName) implements SampleSource {
    @Override
    public String method() {
        return null;
    }

    @Override
    public String uri() {
        return null;
    }

    @Override
    public String path() {
        return null;
    }

    @Override
    public String query() {
        return null;
    }

    @Override
    public String header(String name, int occ) {
        return null;
    }

    @Override
    public List<String> headerValues(String name) {
        return List.of();
    }

    @Override
    public List<String> fullHeaderValues(String name) {
        return List.of();
    }

    @Override
    public String version() {
        return null;
    }

    @Override
    public int usableServers(String backend) {
        return -1;
    }

    @Override
    public String backendName() {
        return null;
    }
}
