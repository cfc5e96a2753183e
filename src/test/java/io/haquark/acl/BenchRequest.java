package io.haquark.acl;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A request as the engine holds it for ACLs: Netty headers read through HeaderSamples, path and
 * query cut once (as HttpTxn does): GET /static/Img.PNG?id=42&lang=fr from 10.1.2.3.
 */
final class BenchRequest implements SampleSource {
    private final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/static/Img.PNG?id=42&lang=fr");
    private final String path = "/static/Img.PNG";
    private final String query = "id=42&lang=fr";
    private final InetSocketAddress src = new InetSocketAddress("10.1.2.3", 5555);
    private final InetSocketAddress dst = new InetSocketAddress("192.168.0.1", 80);

    BenchRequest() {
        request.headers().add("host", "www.example.com").add("user-agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .add("accept", "*/*").add("cookie", "SESSION=abc; lang=fr");
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public List<String> headerValues(String name) {
        return HeaderSamples.values(request.headers(), name);
    }

    @Override
    public List<String> fullHeaderValues(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public String version() {
        return "1.1";
    }

    @Override
    public InetSocketAddress source() {
        return src;
    }

    @Override
    public InetSocketAddress destination() {
        return dst;
    }

    @Override
    public int usableServers(String backend) {
        return 1;
    }

    @Override
    public String frontendName() {
        return "fe";
    }

    @Override
    public String backendName() {
        return null;
    }
}
