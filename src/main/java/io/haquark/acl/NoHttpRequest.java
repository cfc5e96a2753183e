package io.haquark.acl;

import java.util.List;

/**
 * A sample source without an HTTP request (a TCP stream, a health check, the global section):
 * the request's fetches find nothing, as in HAProxy where they do not match outside HTTP.
 */
public interface NoHttpRequest extends SampleSource {
    @Override
    default String method() {
        return null;
    }

    @Override
    default String uri() {
        return null;
    }

    @Override
    default String path() {
        return null;
    }

    @Override
    default String query() {
        return null;
    }

    @Override
    default String header(String name, int occ) {
        return null;
    }

    @Override
    default List<String> headerValues(String name) {
        return List.of();
    }

    @Override
    default List<String> fullHeaderValues(String name) {
        return List.of();
    }

    @Override
    default String version() {
        return null;
    }
}
