package io.haquark.runtime;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.Routing;
import io.haquark.state.ServerState;

/**
 * "show servers state [<backend>]" (management.txt §9.3): format version 1, HAProxy 2.6's 25
 * fields per server, the same file "server-state-file" would hold.
 */
final class ServersState {
    static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
            + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state"
            + " srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port"
            + " srv_check_addr srv_agent_addr srv_agent_port\n";

    private ServersState() {
    }

    static String render(Routing r, String backend) {
        if (backend != null && r.backend(backend) == null) {
            return "Can't find backend.\n\n";
        }
        StringBuilder sb = new StringBuilder(HEADER);
        long now = System.currentTimeMillis();
        for (BackendRuntime b : r.backends.values()) {
            if (backend != null && !b.name().equals(backend)) {
                continue;
            }
            for (ServerState s : b.state.servers()) {
                io.haquark.model.Server cfg = s.server;
                boolean checked = cfg.check() && s.checksEnabled;
                String addr = s.address != null ? s.address.getHostAddress() : cfg.address();
                int port = s.portOverride >= 0 ? s.portOverride : cfg.port();
                sb.append(b.proxy.id()).append(' ').append(b.name()).append(' ').append(s.id()).append(' ')
                        .append(s.name()).append(' ').append(addr).append(' ')
                        // srv_op_state: 0 stopped (maintenance too), 2 running
                        .append(s.isUp() && !s.inMaintenance() ? 2 : 0).append(' ')
                        // srv_admin_state: 0x01 forced maintenance, 0x02 maintenance through tracking, 0x08 forced drain
                        .append((s.admin() == ServerState.Admin.MAINT ? 1 : 0) | (s.inheritedMaintenance() ? 2 : 0)
                                | (s.admin() == ServerState.Admin.DRAIN ? 8 : 0)).append(' ')
                        .append(s.weight()).append(' ').append(cfg.weight()).append(' ')
                        .append(Math.max(0, (now - s.lastChange) / 1000)).append(' ')
                        .append(checked ? checkStatus(s.lastCheck) : 1).append(' ')
                        .append(checked ? checkResult(s) : 0).append(' ')
                        .append(checked ? s.health : cfg.rise()).append(' ')
                        // srv_check_state: 0x1 configured, 0x2 enabled
                        .append(cfg.check() ? (s.checksEnabled ? 3 : 1) : 0).append(' ')
                        // srv_agent_state: HAProxy's flags of a configured, enabled agent (22) or none
                        .append(cfg.options().containsKey("agent-check") ? 22 : 0).append(' ')
                        .append(0).append(' ')                                    // bk_f_forced_id
                        .append(cfg.options().containsKey("id") ? 1 : 0).append(" ")
                        .append(isName(cfg.address()) ? cfg.address() : "-").append(' ')
                        .append(port).append(' ')
                        .append('-').append(' ')                                  // srvrecord
                        .append(cfg.ssl() ? 1 : 0).append(' ')
                        .append(cfg.checkPort() > 0 ? cfg.checkPort() : 0).append(' ')
                        .append('-').append(' ').append('-').append(' ')
                        .append(cfg.options().containsKey("agent-port") ? cfg.options().get("agent-port") : "0").append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    private static boolean isName(String host) {
        return !io.haquark.model.IpLiterals.isIpv4(host) && !io.haquark.model.IpLiterals.isIpv6(host)
                && !host.startsWith("unix@") && !host.startsWith("abns@") && io.haquark.config.Addresses.isHost(host);
    }

    /** HAProxy's HCHK_STATUS_* numbers for the check status names haquark records. */
    static int checkStatus(String name) {
        return switch (name) {
            case "INI", "" -> 1;
            case "SOCKERR" -> 5;
            case "L4OK" -> 6;
            case "L4TOUT" -> 7;
            case "L4CON" -> 8;
            case "L6OK" -> 9;
            case "L6TOUT" -> 10;
            case "L6RSP" -> 11;
            case "L7TOUT" -> 12;
            case "L7RSP" -> 13;
            case "L7OK" -> 14;
            case "L7OKC" -> 15;
            case "L7STS" -> 16;
            default -> 0;
        };
    }

    /** CHK_RES_*: 0 unknown, 2 failed, 3 passed. */
    private static int checkResult(ServerState s) {
        String st = s.lastCheck;
        if (st.isEmpty() || st.equals("INI")) {
            return 0;
        }
        return st.endsWith("OK") || st.equals("L7OKC") ? 3 : 2;
    }
}
