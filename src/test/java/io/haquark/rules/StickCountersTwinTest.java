package io.haquark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.runtime.RuntimeApiTestAccess;
import io.haquark.support.RawHttp;
import io.haquark.support.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every stick-table data type of HAProxy 2.6 (configuration.txt "stick-table ... store"):
 * gpc0/gpc1 and the gpt(n)/gpc(n)/gpc_rate(n,p) arrays that override them, sess_cnt (counted for
 * connection and session tracking only), http_fail_cnt (a server's 5xx, not a "return"), the
 * bytes counters and rates; the actions sc-inc-gpc1, sc-inc-gpc, sc-set-gpt; the sc_* / src_*
 * fetches (inc_ answers the new value, clr_ the old one, a type the table lacks gives nothing);
 * "show table" line for line. Compared with HAProxy 2.6 (byte counts aside: the two proxies'
 * own answers differ in size).
 */
class StickCountersTwinTest {

    @Test
    void countersFetchesAndShowTableAsHAProxy() throws Exception {
        String cfg = """
                global
                  stats socket ipv4@127.0.0.1:@CLI@ level admin
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                backend ta
                  stick-table type ip size 10 expire 1m store gpc0,gpc0_rate(10s),gpc1,gpc1_rate(10s),gpt0,conn_cnt,conn_cur,conn_rate(10s),sess_cnt,sess_rate(10s),http_req_cnt,http_req_rate(10s),http_err_cnt,http_err_rate(10s),http_fail_cnt,http_fail_rate(10s),bytes_in_cnt,bytes_in_rate(10s),bytes_out_cnt,bytes_out_rate(10s)
                backend tb
                  stick-table type ip size 10 expire 1m store gpt(2),gpc(3),gpc_rate(3,10s),sess_cnt,conn_cnt
                backend failing
                  http-request return status 503
                backend broken
                  retries 0
                  server dead 127.0.0.1:1
                frontend probed
                  # the port the harness checks for readiness: its connection must not count below
                  bind 127.0.0.1:@FE@
                  http-request return status 200
                frontend f
                  bind 127.0.0.1:@T@
                  tcp-request connection track-sc1 src table tb
                  http-request track-sc0 src table ta
                  http-request sc-inc-gpc1(0)
                  http-request sc-inc-gpc0(0)
                  http-request sc-inc-gpc(1,1)
                  http-request sc-inc-gpc(0,1)
                  http-request sc-inc-gpc(7,1)
                  http-request sc-set-gpt(1,1) 42
                  http-request sc-set-gpt0(0) 7
                  http-request sc-set-gpt0(1) 9
                  http-request set-var(txn.a) sc_get_gpc1(0)
                  http-request set-var(txn.b) sc_get_gpc(1,1)
                  http-request set-var(txn.c) sc_gpc_rate(1,1)
                  http-request set-var(txn.d) sc_get_gpt(1,1)
                  http-request set-var(txn.e) sc_sess_cnt(0)
                  http-request set-var(txn.f) sc_kbytes_in(0)
                  http-request set-var(txn.g) sc_http_fail_cnt(0)
                  http-request set-var(txn.h) src_get_gpc1(ta)
                  http-request set-var(txn.i) sc_clr_gpc1(0)
                  http-request set-var(txn.j) sc_tracked(0)
                  http-request set-var(txn.k) sc_gpc1_rate(0)
                  http-request set-var(txn.l) sc_get_gpc0(1)
                  http-request set-var(txn.m) sc_get_gpc(5,1)
                  http-request set-var(txn.n) sc_get_gpt0(1)
                  http-request set-var(txn.o) sc_get_gpc1(1)
                  http-request set-var(txn.p) sc_get_gpc(0,0)
                  http-request set-var(txn.q) sc_conn_cnt(1)
                  http-request set-var(txn.r) sc_sess_cnt(1)
                  http-request set-var(txn.s) src_get_gpc(2,tb)
                  http-request set-var(txn.t) sc2_tracked
                  http-request set-var(txn.u) src_inc_gpc1(ta)
                  http-request set-var(txn.w) src_http_req_cnt(ta),add(100)
                  http-request set-var(txn.y) src,table_gpc(1,tb)
                  http-request set-var(txn.z) src,table_gpc1(ta)
                  use_backend failing if { path /fail }
                  use_backend broken if { path /broken }
                  http-request return status 200 hdr x "a=%[var(txn.a)] b=%[var(txn.b)] c=%[var(txn.c)] d=%[var(txn.d)] e=%[var(txn.e)] f=%[var(txn.f)] g=%[var(txn.g)] h=%[var(txn.h)] i=%[var(txn.i)] j=%[var(txn.j)] k=%[var(txn.k)] l=%[var(txn.l)] m=%[var(txn.m)] n=%[var(txn.n)] o=%[var(txn.o)] p=%[var(txn.p)] q=%[var(txn.q)] r=%[var(txn.r)] s=%[var(txn.s)] t=%[var(txn.t)] u=%[var(txn.u)] w=%[var(txn.w)] y=%[var(txn.y)] z=%[var(txn.z)]" if !{ path /fail } !{ path /broken }
                """;
        try (Twin twin = Twin.start(cfg)) {
            List<String> seen = new ArrayList<>();
            for (int instance : twin.ports()) {
                Map<String, Integer> extra = instance == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                int port = extra.get("T");
                List<String> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    out.add(header(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000)));
                }
                out.add(String.valueOf(RawHttp.status(RawHttp.exchange(port, "GET /fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000))));
                out.add(String.valueOf(RawHttp.status(RawHttp.exchange(port, "GET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000))));
                Thread.sleep(200);
                int cli = extra.get("CLI");
                for (String table : List.of("ta", "tb")) {
                    out.add(RuntimeApiTestAccess.tcp(cli, "show table " + table)
                            .replaceAll("0x[0-9a-f]+:", "0x:")
                            .replaceAll(" exp=\\d+", " exp=E")
                            .replaceAll("(bytes_(in|out)_(cnt|rate(\\(\\d+\\))?))=\\d+", "$1=N"));
                }
                seen.add(String.join("\n", out));
            }
            String ours = seen.get(0);
            assertEquals(true, ours.contains("gpt0=9 gpt1=42 gpc0=5 gpc1=5 gpc2=0"), ours);
            if (seen.size() > 1) {
                assertEquals(seen.get(1), ours, "HAProxy vs haquark");
            }
        }
    }

    private static String header(String raw) {
        for (String line : raw.split("\r\n")) {
            if (line.toLowerCase().startsWith("x:")) {
                return line.substring(2).trim();
            }
        }
        return "status " + RawHttp.status(raw);
    }
}
