package io.haquark.model;

import java.util.List;

/**
 * {@code stick-table type <type> [len n] size <n> [expire <t>] [nopurge] [peers p] [store <data>,...]}.
 * {@code store} keeps HAProxy's names: conn_cur, conn_cnt, conn_rate(p), http_req_cnt,
 * http_req_rate(p), http_err_cnt, http_err_rate(p), gpc0, gpc0_rate(p), bytes_in_cnt ...
 */
public record StickTableSpec(String type, long size, long expireMs, List<String> store, Location where) {
    public StickTableSpec {
        store = List.copyOf(store);
    }
}
