package io.haquark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.model.Bind;
import io.haquark.model.Config;
import io.haquark.model.ListenAddress;
import io.haquark.model.Mode;
import io.haquark.model.Proxy;
import io.haquark.model.ProxyType;
import io.haquark.model.Server;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing model of the seed config and of corpus configs, field by field. */
class ModelTest {
    static final Path CORPUS = CorpusCheckTest.CORPUS;

    static Config load(Path base, String file, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env, base).load(List.of(base.resolve(file)), new Diagnostics());
    }

    static Config corpus(String name) throws ConfigException {
        return load(CORPUS, "configs/" + name, Map.of());
    }

    @Test
    void seed() throws ConfigException {
        Config c = load(Path.of("."), "docs/examples/seed.cfg", Map.of("SEED_HTTP_PORT", "8080"));
        assertEquals(4096, c.global().maxconn());
        Proxy main = c.proxy("main").orElseThrow();
        assertEquals(ProxyType.FRONTEND, main.type());
        assertEquals(Mode.HTTP, main.mode());
        Bind bind = main.binds().get(0);
        assertEquals(List.of(ListenAddress.ip(ListenAddress.Family.ANY, null, 8080, 8080)), bind.addresses());
        assertEquals("url_static", main.acls().get(0).name());
        assertEquals(List.of("path_end", "-i", ".css", ".js", ".html"), main.acls().get(0).expression());
        assertEquals("static", main.switchingRules().get(0).backend());
        assertFalse(main.switchingRules().get(0).condition().unless());
        assertEquals("url_static", main.switchingRules().get(0).condition().alternatives().get(0).get(0).aclName());
        assertEquals("dynamic", main.defaultBackend());
        // inherited from defaults
        assertEquals(30_000, main.timeouts().client());
        assertEquals(10_000, main.timeouts().httpRequest());
        assertEquals(5_000, main.timeouts().httpKeepAlive());
        assertTrue(main.option("httplog"));
        assertTrue(main.option("forwardfor"));
        assertEquals("X-Forwarded-For", main.forwardFor().header());

        Proxy st = c.backend("static").orElseThrow();
        assertEquals("roundrobin", st.balance().algorithm());
        assertEquals(5_000, st.timeouts().connect());
        assertEquals(30_000, st.timeouts().server());
        assertEquals(10_000, st.timeouts().queue());
        assertEquals(3, st.retries());
        assertTrue(st.option("redispatch"));
        Server s1 = st.servers().get(0);
        assertEquals("static1", s1.name());
        assertEquals("127.0.0.1", s1.address());
        assertEquals(8001, s1.port());
        assertTrue(s1.check());
        assertEquals(2000, s1.inter());
        assertEquals(2, s1.rise());
        assertEquals(2, s1.fall());
        assertEquals(100, s1.maxconn());
        assertEquals(1, s1.weight());
        assertEquals(50, c.backend("dynamic").orElseThrow().servers().get(1).maxconn());

        Proxy stats = c.proxy("stats").orElseThrow();
        assertEquals(ProxyType.LISTEN, stats.type());
        assertTrue(stats.stats().enabled());
        assertTrue(stats.stats().hideVersion());
        assertEquals("/admin?stats", stats.stats().uri());
        assertEquals("HAProxy Statistics", stats.stats().realm());
        assertEquals(List.of("user:pass"), stats.stats().auth());
        assertEquals(1, stats.stats().admin().size());
        assertEquals("TRUE", stats.stats().admin().get(0).alternatives().get(0).get(0).aclName());
        assertEquals(8888, stats.binds().get(0).addresses().get(0).portFrom());
    }

    @Test
    void corpus013TcpWithAnonymousAclsAndDefaultsMaxconn() throws ConfigException {
        Config c = corpus("013.cfg");
        Proxy https = c.proxy("https").orElseThrow();
        assertEquals(Mode.TCP, https.mode());
        assertEquals(3000, https.maxconn());
        assertEquals(443, https.binds().get(0).addresses().get(0).portFrom());
        assertEquals(ListenAddress.Family.ANY, https.binds().get(0).addresses().get(0).family());
        var rule = https.switchingRules().get(0);
        assertEquals("bk-nginx", rule.backend());
        assertEquals(List.of("req.ssl_hello_type", "1"), rule.condition().alternatives().get(0).get(0).anonymous());
        assertEquals("bk-openvpn", https.defaultBackend());
        assertEquals(2, https.tcpRequestRules().size());
        assertEquals("inspect-delay", https.tcpRequestRules().get(0).action());
        assertEquals("accept", https.tcpRequestRules().get(1).action());
        Proxy nginx = c.backend("bk-nginx").orElseThrow();
        assertEquals(Mode.TCP, nginx.mode());
        assertEquals(10_000, nginx.timeouts().connect());
        assertEquals(443, nginx.servers().get(0).port());
        assertEquals(List.of("stdout format raw local0"), c.global().logTargets());
    }

    @Test
    void corpus065GlobalAndForwardforExcept() throws ConfigException {
        Config c = corpus("065.cfg");
        assertTrue(c.global().daemon());
        assertEquals(4000, c.global().maxconn());
        assertEquals("/var/run/haproxy.pid", c.global().pidfile());
        assertEquals("haproxy", c.global().user());
        assertEquals(List.of("/var/lib/haproxy/stats"), c.global().statsSockets());
        Proxy api = c.proxy("openshift-api").orElseThrow();
        assertEquals(Mode.TCP, api.mode());
        assertTrue(api.option("tcplog"));
        assertEquals("127.0.0.0/8", api.forwardFor().exceptNetwork());
        assertEquals(60_000, api.timeouts().queue());
        assertEquals(300_000, api.timeouts().client());
        Proxy be = c.backend("openshift-api").orElseThrow();
        assertEquals(4, be.servers().size());
        assertEquals("192.168.88.5", be.servers().get(1).address());
        assertEquals(3, be.servers().get(1).fall());
        assertEquals(10_000, be.timeouts().check());
    }

    @Test
    void corpus034PlainMillisecondsAndBindName() throws ConfigException {
        Config c = corpus("034.cfg");
        Proxy f = c.proxy("redis_public").orElseThrow();
        assertEquals(50_000, f.timeouts().client());
        assertEquals("redis", f.binds().get(0).name());
        assertEquals("0.0.0.0", f.binds().get(0).addresses().get(0).host());
        assertEquals(6379, c.backend("redis_private").orElseThrow().servers().get(0).port());
        assertEquals(GlobalDefaults.MAXCONN, c.global().maxconn());
    }

    @Test
    void corpus006ListenIsBothSides() throws ConfigException {
        Config c = corpus("006.cfg");
        Proxy l = c.proxy("psql").orElseThrow();
        assertEquals(ProxyType.LISTEN, l.type());
        assertTrue(l.type().hasFrontend() && l.type().hasBackend());
        assertEquals(3, l.servers().size());
        assertEquals(60_000, l.timeouts().server());
        assertEquals(2000, l.servers().get(2).inter());
        assertEquals(4096, c.global().maxconn());
    }

    @Test
    void corpus010DefaultServerAndHttpCheck() throws ConfigException {
        Config c = corpus("010.cfg");
        Proxy pg = c.proxy("postgres").orElseThrow();
        assertEquals(2, pg.retries());
        assertEquals("http", pg.healthCheck().type());
        assertEquals("expect", pg.healthCheck().steps().get(0).action());
        assertEquals(List.of("status", "200"), pg.healthCheck().steps().get(0).args());
        Server p1 = pg.servers().get(0);
        assertEquals(3000, p1.inter());
        assertEquals(3, p1.fall());
        assertEquals(2, p1.rise());
        assertEquals(100, p1.maxconn());
        assertEquals(8008, p1.checkPort());
        assertEquals("shutdown-sessions", p1.options().get("on-marked-down"));
        Proxy stats = c.proxy("stats").orElseThrow();
        assertEquals("/", stats.stats().uri());
        assertNull(stats.defaultBackend());
    }

    @Test
    void corpus096RulesKeepTheirArguments() throws ConfigException {
        Config c = corpus("096.cfg");
        Proxy api = c.proxy("api").orElseThrow();
        assertEquals("set-header", api.httpRequestRules().get(0).action());
        assertEquals(List.of("Host", "api.syncano.test"), api.httpRequestRules().get(0).args());
        Proxy be = c.backend("web_http").orElseThrow();
        assertEquals(List.of("X-Real-IP", "%[src]"), be.httpRequestRules().get(0).args());
        assertEquals(360_000, be.timeouts().server());
    }

    @Test
    void namedDefaultsAndFrom() throws ConfigException {
        String cfg = """
                defaults base
                  mode http
                  timeout client 7s
                  timeout connect 1s
                  timeout server 2s
                defaults tcpish from base
                  mode tcp
                defaults
                  timeout client 9s
                frontend a from base
                  bind :1
                  default_backend b
                frontend c from tcpish
                  bind :2
                  default_backend b
                backend b
                  server s 127.0.0.1:80
                """;
        Config c = new ConfigLoader(Map.of(), Path.of(".")).loadText("t.cfg", cfg, new Diagnostics());
        assertEquals(Mode.HTTP, c.proxy("a").orElseThrow().mode());
        assertEquals(7_000, c.proxy("a").orElseThrow().timeouts().client());
        assertEquals(Mode.TCP, c.proxy("c").orElseThrow().mode());
        assertEquals(7_000, c.proxy("c").orElseThrow().timeouts().client());
        Proxy b = c.backend("b").orElseThrow();
        // the last anonymous defaults applies, and it started empty
        assertEquals(9_000, b.timeouts().client());
        assertEquals(Mode.TCP, b.mode());
        assertEquals(0, b.timeouts().server());
    }

    /** HAProxy's global maxconn when the config sets none. */
    static final class GlobalDefaults {
        static final int MAXCONN = io.haquark.model.GlobalSettings.DEFAULT_MAXCONN;
    }
}
