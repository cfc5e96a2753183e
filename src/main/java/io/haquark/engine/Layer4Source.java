package io.haquark.engine;

/** Samples of a connection without HTTP (mode tcp, tcp-request connection rules): HTTP fetches are absent. */
interface Layer4Source extends io.haquark.acl.NoHttpRequest {
    @Override
    default io.haquark.state.StickTable.Entry tracked(int n) {
        io.haquark.state.ConnectionTracking t = connectionTracking();
        return t == null ? null : t.get(n);
    }
}
