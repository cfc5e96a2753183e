package io.haquark.stats;

import io.haquark.engine.BackendRuntime;
import io.haquark.engine.FrontendRuntime;
import io.haquark.engine.Routing;
import io.haquark.model.Proxy;
import io.haquark.model.StatsSettings;
import io.haquark.state.Counters;
import io.haquark.state.ServerState;
import java.time.Instant;
import java.util.Map;

/**
 * The HTML stats page: a header with process information, then one table per proxy with
 * its frontend row, server rows and backend row, the columns operators know from HAProxy
 * (Queue, Session rate, Sessions, Bytes, Denied, Errors, Warnings, Server), rows coloured
 * by state, and the admin form when "stats admin" allows it.
 */
final class StatsHtml {
    private static final long STARTED = System.currentTimeMillis();

    private StatsHtml() {
    }

    static String render(Routing routing, StatsSettings st, String uri, StatsScope scope, boolean admin, String status,
                         boolean norefresh) {
        StringBuilder sb = new StringBuilder(32 * 1024);
        long now = System.currentTimeMillis();
        sb.append("<!DOCTYPE html>\n<html><head><title>Statistics Report for haquark")
                .append(st.showNode() != null ? " on " + esc(node(st)) : "").append("</title>\n")
                .append("<meta http-equiv=\"content-type\" content=\"text/html; charset=iso-8859-1\">\n")
                .append(CSS).append("</head>\n<body>\n");
        sb.append("<h1><a href=\"https://github.com/\" style=\"text-decoration: none;\">haquark")
                .append(st.hideVersion() ? "" : " version " + io.haquark.model.Release.VERSION).append("</a></h1>\n");
        sb.append("<h2>Statistics Report for pid ").append(ProcessHandle.current().pid())
                .append(st.showNode() != null ? " on " + esc(node(st)) : "").append("</h2>\n");
        if (st.showDesc() != null && !st.showDesc().isEmpty()) {
            sb.append("<h2>").append(esc(st.showDesc())).append("</h2>\n");
        }
        sb.append("<hr width=\"100%\" class=\"hr\">\n<h3>&gt; General process information</h3>\n");
        sb.append("<table border=0><tr><td align=\"left\" nowrap width=\"1%\"><p><b>pid = </b> ")
                .append(ProcessHandle.current().pid()).append(" (process #1, nbproc = 1)<br>\n<b>uptime = </b> ")
                .append(uptime(now - STARTED)).append("<br>\n<b>system limits:</b> maxconn = ")
                .append(routing.config.global().maxconn()).append("<br>\n<b>current time = </b>")
                .append(Instant.ofEpochMilli(now)).append("</p></td>\n");
        if (st.showLegends()) {
            sb.append("<td align=\"center\" nowrap><table class=\"lgd\">")
                    .append("<tr><td class=\"active_up\">&nbsp;</td><td class=\"noborder\">active UP </td>")
                    .append("<td class=\"backup_up\">&nbsp;</td><td class=\"noborder\">backup UP </td></tr>")
                    .append("<tr><td class=\"active_going_down\"></td><td class=\"noborder\">active UP, going down </td>")
                    .append("<td class=\"backup_going_down\"></td><td class=\"noborder\">backup UP, going down </td></tr>")
                    .append("<tr><td class=\"active_going_up\"></td><td class=\"noborder\">active DOWN, going up </td>")
                    .append("<td class=\"backup_going_up\"></td><td class=\"noborder\">backup DOWN, going up </td></tr>")
                    .append("<tr><td class=\"active_down\"></td><td class=\"noborder\">active or backup DOWN &nbsp;</td>")
                    .append("<td class=\"active_no_check\"></td><td class=\"noborder\">not checked </td></tr>")
                    .append("<tr><td class=\"maintain\"></td><td class=\"noborder\" colspan=\"3\">active or backup DOWN for maintenance (MAINT) &nbsp;</td></tr>")
                    .append("<tr><td class=\"draining\"></td><td class=\"noborder\" colspan=\"3\">active or backup SOFT STOPPED for maintenance &nbsp;</td></tr>")
                    .append("</table></td>\n");
        }
        sb.append("<td align=\"left\" valign=\"top\" nowrap width=\"1%\"><b>Display option:</b><ul style=\"margin-top: 0.25em;\">")
                .append("<li><a href=\"").append(esc(uri)).append(";csv\">CSV export</a><br>\n")
                .append("<li><a href=\"").append(esc(uri)).append(";json\">JSON export</a><br>\n")
                .append("<li><a href=\"").append(esc(uri)).append(";up\">Hide 'DOWN' servers</a><br>\n");
        if (st.refreshSeconds() > 0) {
            sb.append("<li><a href=\"").append(esc(uri)).append(";norefresh\">Disable refresh</a><br>\n");
        }
        sb.append("</ul></td></tr></table>\n");
        if (status != null) {
            boolean ok = status.equals("DONE");
            sb.append("<p><div class=").append(ok ? "active_up" : "active_down").append("><a class=lfsb href=\"")
                    .append(esc(uri)).append("\" title=\"Remove this message\">[X]</a> ")
                    .append(esc(statusText(status))).append("</div>\n");
        }
        for (Proxy p : routing.config.proxies()) {
            if (!scope.includes(p.name())) {
                continue;
            }
            FrontendRuntime fe = p.type().hasFrontend() ? routing.frontends.get(p.name()) : null;
            BackendRuntime be = p.type().hasBackend() ? routing.backend(p.name()) : null;
            proxyTable(sb, p, fe, be, uri, admin, now);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String node(StatsSettings st) {
        if (st.showNode() != null && !st.showNode().isEmpty()) {
            return st.showNode();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    static String statusText(String st) {
        return switch (st) {
            case "DONE" -> "Action processed successfully.";
            case "NONE" -> "Nothing has changed.";
            case "PART" -> "Action not processed for some servers.";
            case "ERRP" -> "Action not processed because of invalid parameters.";
            case "EXCD" -> "Action not processed : the buffer couldn't store all the data.";
            case "DENY" -> "Action denied.";
            default -> "Unexpected result.";
        };
    }

    private static void proxyTable(StringBuilder sb, Proxy p, FrontendRuntime fe, BackendRuntime be, String uri,
                                   boolean admin, long now) {
        boolean form = admin && be != null && be.state.servers().length > 0;
        if (form) {
            sb.append("<form method=\"post\" action=\"").append(esc(uri)).append("\">");
        }
        sb.append("<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th class=\"pxname\" width=\"10%\">")
                .append("<a name=\"").append(esc(p.name())).append("\"></a><a class=px href=\"#").append(esc(p.name()))
                .append("\">").append(esc(p.name())).append("</a></th><th class=\"empty\" width=\"90%\"></th></tr>\n</table>\n");
        sb.append("<table id=\"px-").append(esc(p.name())).append("\" class=\"tbl\" width=\"100%\">\n");
        sb.append("<tr class=\"titre\">").append(form ? "<th rowspan=2 width=1></th>" : "")
                .append("<th rowspan=2></th><th colspan=3>Queue</th><th colspan=3>Session rate</th><th colspan=6>Sessions</th>")
                .append("<th colspan=2>Bytes</th><th colspan=2>Denied</th><th colspan=3>Errors</th><th colspan=2>Warnings</th>")
                .append("<th colspan=9>Server</th></tr>\n<tr class=\"titre\">")
                .append("<th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th>")
                .append("<th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th><th>In</th><th>Out</th><th>Req</th><th>Resp</th>")
                .append("<th>Req</th><th>Conn</th><th>Resp</th><th>Retr</th><th>Redis</th><th>Status</th><th>LastChk</th>")
                .append("<th>Wght</th><th>Act</th><th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th><th>Thrtle</th></tr>\n");
        if (fe != null) {
            Counters c = fe.state.counters;
            sb.append("<tr class=\"frontend\">").append(form ? "<td></td>" : "").append("<td class=ac>Frontend</td>")
                    .append("<td></td><td></td><td></td>")
                    .append(td(c.sessionRate.rate())).append(td(c.sessionRate.max())).append("<td></td>")
                    .append(td(c.sessionsCurrent.get())).append(td(c.sessionsMax.get())).append(td(fe.proxy.maxconn()))
                    .append(td(c.sessionsTotal.sum())).append("<td></td><td></td>")
                    .append(td(c.bytesIn.sum())).append(td(c.bytesOut.sum()))
                    .append(td(c.deniedRequests.sum())).append(td(c.deniedResponses.sum()))
                    .append(td(c.requestErrors.sum())).append("<td></td><td></td><td></td><td></td>")
                    .append("<td class=ac>").append(fe.proxy.disabled() ? "STOP" : "OPEN")
                    .append("</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr>\n");
        }
        if (be != null) {
            for (ServerState s : be.state.servers()) {
                Counters c = s.counters;
                sb.append("<tr class=\"").append(ServerStatus.rowClass(s)).append("\">");
                if (form) {
                    sb.append("<td><input class=\"").append(esc(p.name())).append("\" type=\"checkbox\" name=\"s\" value=\"")
                            .append(esc(s.name())).append("\"></td>");
                }
                sb.append("<td class=ac><a name=\"").append(esc(p.name())).append('/').append(esc(s.name()))
                        .append("\"></a>").append(esc(s.name())).append("</td>")
                        .append(td(0)).append(td(0)).append(s.server.maxqueue() > 0 ? td(s.server.maxqueue()) : "<td>-</td>")
                        .append(td(c.sessionRate.rate())).append(td(c.sessionRate.max())).append("<td></td>")
                        .append(td(c.sessionsCurrent.get())).append(td(c.sessionsMax.get()))
                        .append(s.maxconn() > 0 ? td(s.maxconn()) : "<td>-</td>")
                        .append(td(c.sessionsTotal.sum())).append(td(s.lbTotal.sum()))
                        .append("<td>").append(lastSession(c, now)).append("</td>")
                        .append(td(c.bytesIn.sum())).append(td(c.bytesOut.sum()))
                        .append("<td></td>").append(td(c.deniedResponses.sum())).append("<td></td>")
                        .append(td(c.connectErrors.sum())).append(td(c.responseErrors.sum()))
                        .append(td(c.retries.sum())).append(td(c.redispatches.sum()))
                        .append("<td class=ac>").append(uptime(now - s.lastChange)).append(' ')
                        .append(esc(ServerStatus.of(s))).append("</td>")
                        .append("<td class=ac>").append(s.checksEnabled && !s.lastCheck.isEmpty()
                                ? "<u>" + esc(s.lastCheck) + (s.lastCheckDurationMs >= 0 ? " in " + s.lastCheckDurationMs + "ms" : "")
                                + "<div class=tips>" + esc(s.lastCheckDesc) + "</div></u>" : "").append("</td>")
                        .append(td(s.weight())).append("<td class=ac>").append(s.server.backup() ? "-" : "Y").append("</td>")
                        .append("<td class=ac>").append(s.server.backup() ? "Y" : "-").append("</td>")
                        .append(s.checksEnabled ? td(s.checkFailures.sum()) + td(s.downTransitions.sum())
                                + "<td>" + uptime(StatsCsv.downtime(s, now) * 1000) + "</td>" : "<td></td><td></td><td></td>")
                        .append("<td class=ac>-</td></tr>\n");
            }
            Counters c = be.state.counters;
            Map<String, Object> row = StatsCsv.backend(be, now);
            sb.append("<tr class=\"backend\">").append(form ? "<td></td>" : "").append("<td class=ac>Backend</td>")
                    .append(td(be.state.queueLength())).append(td(c.queueMax.get())).append("<td></td>")
                    .append(td(c.sessionRate.rate())).append(td(c.sessionRate.max())).append("<td></td>")
                    .append(td(c.sessionsCurrent.get())).append(td(c.sessionsMax.get())).append("<td></td>")
                    .append(td(c.sessionsTotal.sum())).append(td(((Number) row.get("lbtot")).longValue()))
                    .append("<td>").append(lastSession(c, now)).append("</td>")
                    .append(td(c.bytesIn.sum())).append(td(c.bytesOut.sum()))
                    .append(td(c.deniedRequests.sum())).append(td(c.deniedResponses.sum())).append("<td></td>")
                    .append(td(c.connectErrors.sum())).append(td(c.responseErrors.sum()))
                    .append(td(c.retries.sum())).append(td(c.redispatches.sum()))
                    .append("<td class=ac>").append(row.get("status")).append("</td><td class=ac>&nbsp;</td>")
                    .append(td(((Number) row.get("weight")).longValue())).append(td(((Number) row.get("act")).longValue()))
                    .append(td(((Number) row.get("bck")).longValue()))
                    .append("<td></td><td>0</td><td></td><td></td></tr>\n");
        }
        sb.append("</table>\n");
        if (form) {
            sb.append("<table class=\"adm\"><tr><td class=\"noborder\">Choose the action to perform on the checked servers : ")
                    .append("<select name=action><option value=\"\"></option>")
                    .append("<option value=\"ready\">Set state to READY</option>")
                    .append("<option value=\"drain\">Set state to DRAIN</option>")
                    .append("<option value=\"maint\">Set state to MAINT</option>")
                    .append("<option value=\"dhlth\">Health: disable checks</option>")
                    .append("<option value=\"ehlth\">Health: enable checks</option>")
                    .append("<option value=\"hrunn\">Health: force UP</option>")
                    .append("<option value=\"hnolb\">Health: force NOLB</option>")
                    .append("<option value=\"hdown\">Health: force DOWN</option>")
                    .append("</select><input type=\"hidden\" name=\"b\" value=\"").append(esc(p.name()))
                    .append("\">&nbsp;<input type=\"submit\" value=\"Apply\"></td></tr></table></form>\n");
        }
        sb.append("<p>\n");
    }

    private static String lastSession(Counters c, long now) {
        long last = c.lastSessionMs.get();
        return last == 0 ? "" : uptime(now - last);
    }

    private static String td(long v) {
        return "<td>" + v + "</td>";
    }

    static String uptime(long ms) {
        long s = ms / 1000;
        long d = s / 86400;
        long h = (s / 3600) % 24;
        long m = (s / 60) % 60;
        long sec = s % 60;
        if (d > 0) {
            return d + "d" + h + "h";
        }
        if (h > 0) {
            return h + "h" + m + "m";
        }
        return m > 0 ? m + "m" + sec + "s" : sec + "s";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            <style type="text/css"><!--
            body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: black; background: white; }
            th, td { font-size: 10px; }
            h1 { font-size: x-large; margin-bottom: 0.5em; }
            h2 { font-family: helvetica, arial; font-size: x-large; font-weight: bold; font-style: italic; color: #6020a0; margin-top: 0em; margin-bottom: 0em; }
            h3 { font-family: helvetica, arial; font-size: 16px; font-weight: bold; color: #b00040; background: #e8e8d0; margin-top: 0em; margin-bottom: 0em; }
            a.px:link, a.px:visited { color: #ffff40; text-decoration: none; }
            table.tbl { border-collapse: collapse; border-style: none; }
            table.tbl td { text-align: right; border-width: 1px 1px 1px 1px; border-style: solid solid solid solid; padding: 2px 3px; border-color: gray; white-space: nowrap; }
            table.tbl td.ac { text-align: center; }
            table.tbl th { border-width: 1px; border-style: solid solid solid solid; border-color: gray; }
            table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap; }
            table.tbl th.empty { border-style: none; empty-cells: hide; background: white; }
            table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black; }
            table.lgd td { border-width: 1px; border-style: solid solid solid solid; border-color: gray; padding: 2px; }
            table.lgd td.noborder, table.adm td.noborder { border-style: none; padding: 2px; white-space: nowrap; }
            .titre { background: #20D0D0; color: #000000; font-weight: bold; text-align: center; }
            .frontend { background: #e8e8d0; }
            .backend { background: #e8e8d0; }
            .active_down { background: #ff9090; }
            .active_going_up { background: #ffd020; }
            .active_going_down { background: #d0d0ff; }
            .active_up { background: #c0ffc0; }
            .active_no_check { background: #e0e0e0; }
            .backup_down { background: #ff9090; }
            .backup_going_up { background: #ff80ff; }
            .backup_going_down { background: #c060ff; }
            .backup_up { background: #b0d0ff; }
            .backup_no_check { background: #e0e0e0; }
            .maintain { background: #c07820; }
            .draining { background: #20a0ff; }
            div.tips { display: none; }
            u:hover div.tips { display: block; position: absolute; background: #ffffe0; border: 1px solid gray; padding: 2px; text-align: left; }
            --></style>
            """;
}
