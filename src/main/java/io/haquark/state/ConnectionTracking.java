package io.haquark.state;

/**
 * The stick-table entries one client connection tracks since "tcp-request connection|content
 * track-sc*": each counts the connection in conn_cur/conn_cnt/conn_rate when tracking begins and
 * leaves conn_cur when the connection closes. HTTP transactions of the connection see them as
 * their own sc0..sc2 unless they track something themselves.
 */
public final class ConnectionTracking {
    /** Allocated on the first track-sc: most connections track nothing (null = nothing tracked). */
    private StickTable.Entry[] entries;

    public StickTable.Entry get(int n) {
        return entries == null || n < 0 || n > 2 ? null : entries[n];
    }

    /** Starts tracking on counter n, unless it already tracks something (first rule wins, as in HAProxy). */
    public void track(int n, StickTable.Entry e) {
        if (e == null) {
            return;
        }
        if (entries == null) {
            entries = new StickTable.Entry[3];
        }
        if (entries[n] == null) {
            entries[n] = e;
            e.connectionOpened();
        }
    }

    public boolean any() {
        return entries != null;
    }

    /** Each HTTP request of the connection counts in http_req_cnt/http_req_rate of what it tracks. */
    public void httpRequest() {
        if (entries == null) {
            return;
        }
        for (StickTable.Entry e : entries) {
            if (e != null) {
                e.httpRequest();
            }
        }
    }

    public void httpError() {
        if (entries == null) {
            return;
        }
        for (StickTable.Entry e : entries) {
            if (e != null) {
                e.httpError();
            }
        }
    }

    /** http_fail_cnt / http_fail_rate: a 5xx answer other than 501 and 505. */
    public void httpFailure() {
        if (entries != null) {
            for (StickTable.Entry e : entries) {
                if (e != null) {
                    e.httpFailure();
                }
            }
        }
    }

    /** The tracked connection became a session (after the tcp-request connection rules): sess_cnt, sess_rate. */
    public void sessionAccepted() {
        if (entries != null) {
            for (StickTable.Entry e : entries) {
                if (e != null) {
                    e.sessionAccepted();
                }
            }
        }
    }

    /** bytes_in_cnt / bytes_out_cnt and their rates: what a transaction or stream carried. */
    public void bytes(long in, long out) {
        if (entries != null) {
            for (StickTable.Entry e : entries) {
                if (e != null) {
                    e.bytes(in, out);
                }
            }
        }
    }

    /** The connection closed: it no longer counts in conn_cur. */
    public void release() {
        if (entries == null) {
            return;
        }
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] != null) {
                entries[i].connectionClosed();
            }
        }
        entries = null;
    }
}
