package io.haquark.stats;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.FrontendRuntime;
import io.haquark.engine.Routing;
import io.haquark.model.Proxy;
import io.haquark.state.Counters;
import io.haquark.state.ServerState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV export ("stats uri;csv", management guide §9.1): HAProxy 2.6's exact header and
 * field order, one row per frontend, server and backend. Fields haquark has no value for
 * stay empty, as HAProxy leaves fields empty that do not apply.
 */
public final class StatsCsv {
    /** HAProxy 2.6's header, field for field (core fields, then the h2/h1/ssl module fields). */
    public static final List<String> FIELDS = List.of(("pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,"
            + "eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,"
            + "tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,"
            + "hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,"
            + "lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,"
            + "check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,"
            + "conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,"
            + "qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,"
            + "agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,"
            + "h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,"
            + "h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,"
            + "h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,"
            + "h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,"
            + "h1_spliced_bytes_out").split(","));

    private StatsCsv() {
    }

    public static String header() {
        return "# " + String.join(",", FIELDS) + ",\n";
    }

    /** The whole export; {@code upOnly} is ";up" (servers that are not UP are left out). */
    public static String render(Routing routing, StatsScope scope, boolean upOnly) {
        StringBuilder sb = new StringBuilder(header());
        long now = System.currentTimeMillis();
        for (Proxy p : routing.config.proxies()) {
            if (!scope.includes(p.name())) {
                continue;
            }
            FrontendRuntime fe = p.type().hasFrontend() ? routing.frontends.get(p.name()) : null;
            BackendRuntime be = p.type().hasBackend() ? routing.backend(p.name()) : null;
            if (fe != null) {
                row(sb, frontend(fe));
            }
            if (be != null) {
                for (ServerState s : be.state.servers()) {
                    if (upOnly && !s.usable()) {
                        continue;
                    }
                    row(sb, server(be, s, now));
                }
                row(sb, backend(be, now));
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Map<String, Object> values) {
        for (String f : FIELDS) {
            Object v = values.get(f);
            if (v != null) {
                String text = v.toString();
                // Commas would break the row: HAProxy never emits them inside a field either.
                sb.append(text.replace(',', ' '));
            }
            sb.append(',');
        }
        sb.append('\n');
    }

    private static void common(Map<String, Object> m, Counters c) {
        m.put("stot", c.sessionsTotal.sum());
        m.put("scur", c.sessionsCurrent.get());
        m.put("smax", c.sessionsMax.get());
        m.put("bin", c.bytesIn.sum());
        m.put("bout", c.bytesOut.sum());
        m.put("rate", c.sessionRate.rate());
        m.put("rate_max", c.sessionRate.max());
        for (int i = 0; i < 5; i++) {
            m.put("hrsp_" + (i + 1) + "xx", c.responsesByClass[i].sum());
        }
        m.put("hrsp_other", c.responsesByClass[5].sum());
        m.put("pid", 1);
    }

    static Map<String, Object> frontend(FrontendRuntime fe) {
        Map<String, Object> m = new HashMap<>();
        Counters c = fe.state.counters;
        m.put("pxname", fe.name());
        m.put("svname", "FRONTEND");
        common(m, c);
        m.put("slim", fe.maxconn());
        m.put("dreq", c.deniedRequests.sum());
        m.put("dresp", c.deniedResponses.sum());
        m.put("ereq", c.requestErrors.sum());
        m.put("status", fe.proxy.disabled() ? "STOP" : "OPEN");
        m.put("iid", fe.proxy.id());
        m.put("sid", 0);
        m.put("type", 0);
        m.put("rate_lim", 0);
        m.put("req_rate", c.sessionRate.rate());
        m.put("req_rate_max", c.sessionRate.max());
        m.put("req_tot", c.requestsTotal.sum());
        m.put("mode", fe.proxy.mode().name().toLowerCase());
        m.put("conn_rate", c.sessionRate.rate());
        m.put("conn_rate_max", c.sessionRate.max());
        m.put("conn_tot", c.sessionsTotal.sum());
        m.put("intercepted", 0);
        m.put("dcon", 0);
        m.put("dses", 0);
        m.put("wrew", 0);
        m.put("eint", 0);
        return m;
    }

    static Map<String, Object> server(BackendRuntime be, ServerState s, long now) {
        Map<String, Object> m = new HashMap<>();
        Counters c = s.counters;
        m.put("pxname", be.name());
        m.put("svname", s.name());
        common(m, c);
        m.put("qcur", 0);
        m.put("qmax", 0);
        m.put("slim", s.maxconn() > 0 ? s.maxconn() : null);
        m.put("dresp", c.deniedResponses.sum());
        m.put("econ", c.connectErrors.sum());
        m.put("eresp", c.responseErrors.sum());
        m.put("wretr", c.retries.sum());
        m.put("wredis", c.redispatches.sum());
        m.put("status", ServerStatus.of(s));
        m.put("weight", s.weight());
        m.put("act", s.server.backup() ? 0 : 1);
        m.put("bck", s.server.backup() ? 1 : 0);
        if (s.checksEnabled) {
            m.put("chkfail", s.checkFailures.sum());
            m.put("chkdown", s.downTransitions.sum());
            m.put("downtime", downtime(s, now));
            m.put("check_status", s.lastCheck);
            // HAProxy shows the code of layer 5-7 results with data (L7OK, L7OKC, L7STS), 0 included.
            boolean withData = "L7OK".equals(s.lastCheck) || "L7OKC".equals(s.lastCheck) || "L7STS".equals(s.lastCheck);
            m.put("check_code", s.lastCheckCode > 0 || withData && s.lastCheckCode == 0 ? s.lastCheckCode : null);
            m.put("check_duration", s.lastCheckDurationMs >= 0 ? s.lastCheckDurationMs : null);
            // check_desc is the result's name ("Layer7 wrong status"), last_chk its info ("OK").
            m.put("check_desc", io.haquark.health.CheckResult.reasonOf(s.lastCheckDesc));
            String info = io.haquark.health.CheckResult.infoOf(s.lastCheckDesc);
            if (info != null) {
                m.put("last_chk", info);
            }
            m.put("check_rise", s.server.rise());
            m.put("check_fall", s.server.fall());
            m.put("check_health", s.health);
        }
        if (s.server.options().containsKey("agent-check") && !s.agentStatus.isEmpty()) {
            // The agent's columns (agent_rise/fall are 1: its answer applies at once).
            m.put("agent_status", s.agentStatus);
            m.put("agent_code", s.agentCode >= 0 ? s.agentCode : null);
            m.put("agent_duration", s.agentDurationMs >= 0 ? s.agentDurationMs : null);
            m.put("agent_desc", s.agentDesc);
            m.put("last_agt", s.agentInfo);
            m.put("agent_rise", 1);
            m.put("agent_fall", 1);
            m.put("agent_health", s.agentHealth);
        }
        m.put("lastchg", (now - s.lastChange) / 1000);
        m.put("qlimit", s.server.maxqueue() > 0 ? s.server.maxqueue() : null);
        m.put("iid", be.proxy.id());
        m.put("sid", s.id());
        m.put("lbtot", s.lbTotal.sum());
        m.put("type", 2);
        m.put("cli_abrt", c.clientAborts.sum());
        m.put("srv_abrt", c.serverAborts.sum());
        long last = c.lastSessionMs.get();
        m.put("lastsess", last == 0 ? -1 : (now - last) / 1000);
        m.put("qtime", 0);
        m.put("ctime", 0);
        m.put("rtime", 0);
        m.put("ttime", 0);
        m.put("addr", s.server.address() + ":" + s.server.port());
        m.put("cookie", s.server.cookie());
        m.put("mode", be.proxy.mode().name().toLowerCase());
        m.put("srv_icur", 0);
        m.put("idle_conn_cur", 0);
        m.put("safe_conn_cur", 0);
        m.put("used_conn_cur", s.active.get());
        m.put("need_conn_est", 0);
        m.put("uweight", s.server.weight());
        m.put("-", "-");
        return m;
    }

    static long downtime(ServerState s, long now) {
        long d = s.downTimeMs.sum();
        if (!s.isUp() && s.downSinceMs > 0) {
            d += now - s.downSinceMs;
        }
        return d / 1000;
    }

    static Map<String, Object> backend(BackendRuntime be, long now) {
        Map<String, Object> m = new HashMap<>();
        Counters c = be.state.counters;
        m.put("pxname", be.name());
        m.put("svname", "BACKEND");
        common(m, c);
        m.put("qcur", be.state.queueLength());
        m.put("qmax", c.queueMax.get());
        m.put("slim", be.proxy.fullconn() > 0 ? be.proxy.fullconn() : null);
        m.put("dreq", c.deniedRequests.sum());
        m.put("dresp", c.deniedResponses.sum());
        m.put("econ", c.connectErrors.sum());
        m.put("eresp", c.responseErrors.sum());
        m.put("wretr", c.retries.sum());
        m.put("wredis", c.redispatches.sum());
        int act = 0;
        int bck = 0;
        int weight = 0;
        long lbtot = 0;
        for (ServerState s : be.state.servers()) {
            lbtot += s.lbTotal.sum();
            if (s.usable()) {
                weight += s.weight();
                if (s.server.backup()) {
                    bck++;
                } else {
                    act++;
                }
            }
        }
        m.put("status", act + bck > 0 || be.state.servers().length == 0 && be.proxy.type().hasFrontend() ? "UP" : "DOWN");
        m.put("weight", weight);
        m.put("act", act);
        m.put("bck", bck);
        m.put("chkdown", 0);
        m.put("lastchg", 0);
        m.put("downtime", 0);
        m.put("iid", be.proxy.id());
        m.put("sid", 0);
        m.put("lbtot", lbtot);
        m.put("type", 1);
        m.put("req_tot", c.sessionsTotal.sum());
        m.put("cli_abrt", c.clientAborts.sum());
        m.put("srv_abrt", c.serverAborts.sum());
        m.put("comp_in", 0);
        m.put("comp_out", 0);
        m.put("comp_byp", 0);
        m.put("comp_rsp", 0);
        long last = c.lastSessionMs.get();
        m.put("lastsess", last == 0 ? -1 : (now - last) / 1000);
        long n = c.sessionsTotal.sum();
        m.put("qtime", 0);
        m.put("ctime", 0);
        m.put("rtime", 0);
        m.put("ttime", n == 0 ? 0 : c.totalTimeNanos.sum() / n / 1_000_000);
        m.put("mode", be.proxy.mode().name().toLowerCase());
        m.put("algo", be.proxy.balance().algorithm());
        m.put("uweight", weight);
        m.put("-", "-");
        return m;
    }
}
