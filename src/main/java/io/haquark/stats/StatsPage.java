package io.haquark.stats;

import io.haquark.acl.Cond;
import io.haquark.acl.SampleSource;
import io.haquark.engine.BackendRuntime;
import io.haquark.engine.CompiledProxy;
import io.haquark.engine.Routing;
import io.haquark.model.StatsSettings;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Serves the stats page of a proxy with "stats enable": HTML, ";csv", ";json", ";up",
 * ";norefresh"; Basic authentication against "stats auth"; and the admin form's POST
 * (configuration.txt "stats admin"), answered with 303 to "<uri>;st=<result>" like HAProxy.
 */
public final class StatsPage {
    /** The page as the engine serves it for a "stats uri". */
    public static final io.haquark.engine.Engine.StatsApplet APPLET = new io.haquark.engine.Engine.StatsApplet() {
        @Override
        public boolean needsBody(HttpRequest req) {
            return req.method().equals(HttpMethod.POST);
        }

        @Override
        public FullHttpResponse serve(Routing routing, CompiledProxy owner, SampleSource txn, HttpRequest req, byte[] body) {
            return handle(routing, owner, txn, req, body);
        }
    };

    private StatsPage() {
    }

    public static FullHttpResponse handle(Routing routing, CompiledProxy owner, SampleSource txn, HttpRequest req, byte[] body) {
        StatsSettings st = owner.proxy.stats();
        if (!authorized(st, req)) {
            return ErrorPagesBridge.unauthorized(st.realm());
        }
        boolean admin = false;
        for (Cond c : owner.statsAdmin) {
            if (c.test(txn)) {
                admin = true;
                break;
            }
        }
        String rest = req.uri().substring(st.uri().length());
        List<String> opts = List.of(rest.split(";"));
        StatsScope scope = new StatsScope(st.scopes(), owner.name(), searchScope(rest));
        if (req.method().equals(HttpMethod.POST)) {
            String result = admin ? applyAdmin(routing, scope, body == null ? "" : new String(body, StandardCharsets.ISO_8859_1)) : "DENY";
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER);
            r.headers().add("cache-control", "no-cache");
            r.headers().add("content-type", "text/plain");
            r.headers().add("content-length", 0);
            r.headers().add("location", st.uri() + ";st=" + result);
            return r;
        }
        boolean upOnly = opts.contains("up");
        if (opts.contains("csv")) {
            return text(StatsCsv.render(routing, scope, upOnly), "text/plain");
        }
        if (opts.contains("json")) {
            return text(StatsJson.render(routing, scope, upOnly), "application/json");
        }
        String status = null;
        for (String o : opts) {
            if (o.startsWith("st=")) {
                status = o.substring(3);
            }
        }
        boolean norefresh = opts.contains("norefresh");
        FullHttpResponse r = text(StatsHtml.render(routing, st, st.uri(), scope, admin, status, norefresh), "text/html");
        if (st.refreshSeconds() > 0 && !norefresh) {
            r.headers().add("refresh", st.refreshSeconds());
        }
        return r;
    }

    private static FullHttpResponse text(String body, String type) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(b));
        r.headers().add("cache-control", "no-cache");
        r.headers().add("content-type", type);
        r.headers().add("content-length", b.length);
        return r;
    }

    static boolean authorized(StatsSettings st, HttpRequest req) {
        if (st.auth().isEmpty()) {
            return true;
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return st.auth().contains(decoded);
    }

    /** The admin form: b=<backend>&s=<server>...&action=<action>. */
    /** The "scope=<text>" option of a stats URI ("/?;csv;scope=b1"), or "". */
    static String searchScope(String rest) {
        int at = rest.indexOf("scope=");
        if (at < 0) {
            return "";
        }
        int end = at + 6;
        while (end < rest.length() && rest.charAt(end) != ';' && rest.charAt(end) != '&') {
            end++;
        }
        return java.net.URLDecoder.decode(rest.substring(at + 6, end), StandardCharsets.ISO_8859_1);
    }

    static String applyAdmin(Routing routing, StatsScope scope, String form) {
        Map<String, List<String>> params = new QueryStringDecoder(form, false).parameters();
        String action = first(params, "action");
        String backendName = first(params, "b");
        List<String> servers = params.getOrDefault("s", List.of());
        if (action == null || action.isEmpty() || servers.isEmpty()) {
            return "NONE";
        }
        BackendRuntime be = backendName == null ? null : routing.backend(backendName);
        if (be == null && backendName != null && backendName.startsWith("#")) {
            // The page's forms name the backend by its id ("b=#3").
            for (BackendRuntime b : routing.backends.values()) {
                if (("#" + b.proxy.id()).equals(backendName)) {
                    be = b;
                }
            }
        }
        // The page's search scope only filters what is shown; the configured scopes limit actions.
        if (be == null || !new StatsScope(scope.names(), scope.self()).includes(be.name())) {
            return "ERRP";
        }
        List<ServerState> targets = new ArrayList<>();
        for (String name : servers) {
            ServerState s = be.state.server(name);
            if (s == null) {
                return "ERRP";
            }
            targets.add(s);
        }
        for (ServerState s : targets) {
            if (!apply(s, action)) {
                return "ERRP";
            }
        }
        return "DONE";
    }

    /** One admin action on one server; false for an action this page does not know. */
    public static boolean apply(ServerState s, String action) {
        switch (action) {
            case "ready" -> s.setAdmin(ServerState.Admin.READY);
            case "drain" -> s.setAdmin(ServerState.Admin.DRAIN);
            case "maint" -> s.setAdmin(ServerState.Admin.MAINT);
            case "dhlth" -> s.checksEnabled = false;
            case "ehlth" -> s.checksEnabled = s.server.check();
            case "hrunn" -> s.forceHealthy();
            case "hnolb" -> s.forceNoLoadBalance();
            case "hdown" -> s.forceDown();
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String first(Map<String, List<String>> p, String k) {
        List<String> v = p.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
