package io.haquark.engine;

import io.haquark.acl.SampleSource;
import java.util.List;

/** Samples of a connection without HTTP (mode tcp, tcp-request connection rules): HTTP fetches are absent. */
interface Layer4Source extends SampleSource {
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

    @Override
    default io.haquark.state.StickTable.Entry tracked(int n) {
        io.haquark.state.ConnectionTracking t = connectionTracking();
        return t == null ? null : t.get(n);
    }
}
