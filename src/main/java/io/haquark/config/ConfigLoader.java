package io.haquark.config;

import io.haquark.acl.PredefinedAcls;
import io.haquark.model.Condition;
import io.haquark.model.Config;
import io.haquark.model.ErrorFile;
import io.haquark.model.KeywordError;
import io.haquark.model.Location;
import io.haquark.model.Proxy;
import io.haquark.model.ProxyType;
import io.haquark.model.Rule;
import io.haquark.model.SwitchingRule;
import io.haquark.model.Userlist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Loads haproxy.cfg files into the routing model: reads lines (ConfigReader), applies
 * conditional blocks (Preprocessor), hands each line to its section's keyword table, then
 * checks cross references (backends, ACLs, errorfiles) the way HAProxy's post-parse does.
 */
public final class ConfigLoader {
    private final Map<String, String> env;
    private final Path baseDir;

    /** @param env the process environment; setenv/unsetenv in global change a copy of it */
    public ConfigLoader(Map<String, String> env, Path baseDir) {
        this.env = new HashMap<>(env);
        this.baseDir = baseDir;
    }

    public static ConfigLoader standard() {
        return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** Expands -f arguments: a directory contributes its *.cfg files in lexical order. */
    public static List<Path> expandFiles(List<Path> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".cfg") && Files.isRegularFile(f))
                            .sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Loads and validates; throws with every alert when the configuration is not usable. */
    public Config load(List<Path> files, Diagnostics diag) throws ConfigException {
        State st = new State(diag);
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            String name = f.toString();
            names.add(name);
            String text;
            try {
                text = Files.readString(f, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                diag.alert((String) null, "Could not open configuration file " + name + " : " + describe(e));
                continue;
            }
            loadText(st, name, text);
        }
        return st.finish(names);
    }

    /** Loads one in-memory text (tests, and -f - some day). */
    public Config loadText(String name, String text, Diagnostics diag) throws ConfigException {
        State st = new State(diag);
        loadText(st, name, text);
        return st.finish(List.of(name));
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    private void loadText(State st, String file, String text) {
        Function<String, String> envFn = env::get;
        ConfigReader reader = new ConfigReader(envFn);
        Preprocessor pp = new Preprocessor(envFn);
        for (ConfigReader.RawLine raw : reader.parse(file, text, st.diag)) {
            ConfigLine line = reader.expand(raw, envFn, st.diag);
            if (line == null || !pp.accept(line, st.diag)) {
                continue;
            }
            st.dispatch(line);
        }
        pp.finish(st.diag);
        // A section does not continue across files (HAProxy resets at each file).
        st.closeSection();
        st.section = null;
    }

    /** Everything one load accumulates; thrown away after finish(). */
    private final class State {
        final Diagnostics diag;
        final LoadContext ctx;
        SectionKind section;
        ProxyBuilder proxy;
        GlobalBuilder global = new GlobalBuilder();
        UserlistBuilder userlist;
        String httpErrorsName;
        ProxyBuilder currentDefaults = new ProxyBuilder("", ProxyType.DEFAULTS, null);
        final Map<String, ProxyBuilder> namedDefaults = new HashMap<>();
        final List<ProxyBuilder> proxies = new ArrayList<>();
        final Map<String, Userlist> userlists = new LinkedHashMap<>();
        final Map<String, Map<Integer, ErrorFile>> httpErrors = new LinkedHashMap<>();
        final Map<String, io.haquark.model.Ring> rings = new LinkedHashMap<>();
        RingBuilder ring;
        final Map<String, Location> httpErrorsWhere = new HashMap<>();
        final List<String> ignoredSections = new ArrayList<>();
        boolean globalSeen;

        State(Diagnostics diag) {
            this.diag = diag;
            this.ctx = new LoadContext(diag, baseDir);
        }

        void dispatch(ConfigLine line) {
            SectionKind opens = SectionKind.BY_KEYWORD.get(line.keyword());
            try {
                if (opens != null) {
                    closeSection();
                    openSection(opens, line);
                    return;
                }
                if (section == null) {
                    diag.alert(line, "unknown keyword '" + line.keyword() + "' out of section.");
                    return;
                }
                switch (section) {
                    case GLOBAL -> globalLine(line);
                    case DEFAULTS, FRONTEND, BACKEND, LISTEN -> {
                        if (proxy != null) {
                            proxyLine(line);
                        }
                    }
                    case USERLIST -> {
                        if (userlist != null) {
                            userlist.parse(line);
                        }
                    }
                    case HTTP_ERRORS -> httpErrorsLine(line);
                    case RING -> {
                        if (ring != null) {
                            ring.parse(line, ctx);
                        }
                    }
                    default -> { /* content of a section we warned about when it opened */ }
                }
            } catch (KeywordError e) {
                alert(line, e);
            } catch (LoadContext.CapabilityWarning w) {
                diag.warning(line, w.getMessage());
            } catch (RuntimeException e) {
                // A value no keyword parser foresaw (e.g. a NUL in a file name): an alert on
                // this line, never a crash of "haquark -c" (found by ConfigFuzzTest).
                diag.alert(line, "error detected while parsing '" + line.keyword() + "' : "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ".");
            }
        }

        void alert(ConfigLine line, KeywordError e) {
            if (e.prefixed()) {
                diag.alert((String) null, e.getMessage());
            } else {
                diag.alert(line, e.getMessage());
            }
        }

        void closeSection() {
            if (ring != null) {
                rings.put(ring.name, ring.build());
                ring = null;
            }
            if (userlist != null) {
                userlists.put(userlist.name, userlist.build());
                userlist = null;
            }
            proxy = null;
            httpErrorsName = null;
        }

        void openSection(SectionKind kind, ConfigLine line) {
            section = kind;
            switch (kind) {
                case GLOBAL -> {
                    if (line.size() > 1) {
                        throw new KeywordError("'global' cannot handle unexpected argument '" + line.arg(1) + "'.");
                    }
                    globalSeen = true;
                }
                case DEFAULTS -> openDefaults(line);
                case FRONTEND, BACKEND, LISTEN -> openProxy(kind, line);
                case USERLIST -> {
                    ProxyKeywords.needArgs(line, 1, "<name> as arguments");
                    if (userlists.containsKey(line.arg(1))) {
                        diag.warning(line, "userlist '" + line.arg(1) + "' has the same name as another userlist; please fix this.");
                    }
                    userlist = new UserlistBuilder(line.arg(1), LoadContext.loc(line));
                }
                case RING -> {
                    ProxyKeywords.needArgs(line, 1, "<name> as argument");
                    if (rings.containsKey(line.arg(1))) {
                        throw new KeywordError("sink '" + line.arg(1) + "' already exists");
                    }
                    ring = new RingBuilder(line.arg(1), LoadContext.loc(line));
                }
                case HTTP_ERRORS -> {
                    ProxyKeywords.needArgs(line, 1, "<name> as argument");
                    httpErrorsName = line.arg(1);
                    if (httpErrors.containsKey(httpErrorsName)) {
                        throw new KeywordError("http-errors section '" + httpErrorsName + "' has the same name as another http-errors section declared at "
                                + httpErrorsWhere.get(httpErrorsName) + ".");
                    }
                    httpErrors.put(httpErrorsName, new LinkedHashMap<>());
                    httpErrorsWhere.put(httpErrorsName, LoadContext.loc(line));
                }
                default -> {
                    ignoredSections.add(kind.keyword + " " + line.arg(1));
                    ctx.unsupported(line, "'" + kind.keyword + "' section '" + line.arg(1) + "'");
                }
            }
        }

        private void checkName(ConfigLine line, String what) {
            String name = line.arg(1);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':')) {
                    throw new KeywordError("character '" + c + "' is not permitted in '" + what + "' name '" + name + "'.");
                }
            }
        }

        private ProxyBuilder fromDefaults(ConfigLine line, int fromIndex) {
            if (line.size() > fromIndex) {
                if (!line.arg(fromIndex).equals("from") || line.arg(fromIndex + 1).isEmpty()) {
                    throw new KeywordError("please use the 'from' keyword followed by a defaults section name, not '"
                            + line.arg(fromIndex) + "'.");
                }
                String ref = line.arg(fromIndex + 1);
                ProxyBuilder d = namedDefaults.get(ref);
                if (d == null) {
                    throw new KeywordError("defaults section '" + ref + "' not found for " + line.keyword() + " '"
                            + line.arg(1) + "'.");
                }
                return d;
            }
            return currentDefaults;
        }

        void openDefaults(ConfigLine line) {
            String name = "";
            int fromIndex = 1;
            if (line.size() > 1 && !line.arg(1).equals("from")) {
                checkName(line, "defaults");
                name = line.arg(1);
                fromIndex = 2;
            }
            // Without "from", a defaults section starts from HAProxy's built-in settings, not the previous one.
            ProxyBuilder parent = line.size() > fromIndex ? fromDefaults(line, fromIndex)
                    : new ProxyBuilder("", ProxyType.DEFAULTS, null);
            if (parent.hasRules()) {
                throw new KeywordError("a defaults section cannot inherit from a defaults section defining TCP/HTTP rules "
                        + "(defaults section at " + parent.where + ").");
            }
            ProxyBuilder d = parent.inherit(name, ProxyType.DEFAULTS, LoadContext.loc(line));
            if (!name.isEmpty()) {
                namedDefaults.put(name, d);
            }
            currentDefaults = d;
            proxy = d;
        }

        void openProxy(SectionKind kind, ConfigLine line) {
            if (line.size() < 2 || line.arg(1).isEmpty()) {
                throw new KeywordError("'" + kind.keyword + "' expects an <id> argument");
            }
            checkName(line, kind.keyword);
            ProxyType type = ProxyType.valueOf(kind.name());
            String name = line.arg(1);
            for (ProxyBuilder other : proxies) {
                // HAProxy 2.6's rule, quirks included: a listen may follow a backend of the same name.
                boolean clash = other.name.equals(name) && switch (type) {
                    case FRONTEND, LISTEN -> other.type.hasFrontend();
                    default -> other.type.hasBackend();
                };
                if (clash) {
                    proxy = null;
                    diag.alert((String) null, "Parsing [" + line.location() + "]: " + shownType(type) + " '" + name
                            + "' has the same name as " + shownType(other.type) + " '" + name + "' declared at "
                            + other.where + ".");
                    return;
                }
            }
            ProxyBuilder parent = fromDefaults(line, 2);
            if (parent != null && parent.hasRules()) {
                inheritRules(parent, type);
            }
            proxy = parent.inherit(name, type, LoadContext.loc(line));
            proxies.add(proxy);
        }

        /**
         * A named defaults section with rules serves frontends or backends, not both and not a
         * listen, so that its rules run once per transaction (configuration.txt §4 "defaults").
         */
        private void inheritRules(ProxyBuilder d, ProxyType type) {
            String at = " (defaults section at " + d.where + ").";
            if (type == ProxyType.LISTEN) {
                throw new KeywordError("a listen section cannot inherit from a defaults section defining TCP/HTTP rules.");
            }
            boolean fe = type == ProxyType.FRONTEND;
            if (fe ? d.rulesUsedByBackend : d.rulesUsedByFrontend) {
                throw new KeywordError("frontends and backends cannot inherit from the same defaults section if it defines "
                        + "TCP/HTTP rules" + at);
            }
            if (!fe && d.hasLayer4Rules()) {
                throw new KeywordError("a backend section cannot inherit from a defaults section defining 'tcp-request "
                        + "connection' or 'tcp-request session' rules" + at);
            }
            if (fe && d.tcpResponseRules.stream().anyMatch(r -> !r.action().equals("inspect-delay"))) {
                throw new KeywordError("a frontend section cannot inherit from a defaults section defining 'tcp-response "
                        + "content' rules" + at);
            }
            if (fe) {
                d.rulesUsedByFrontend = true;
            } else {
                d.rulesUsedByBackend = true;
            }
        }

        private static String shownType(ProxyType t) {
            return t == ProxyType.LISTEN ? "proxy" : t.keyword();
        }

        void globalLine(ConfigLine line) {
            GlobalKeywords.Def def = GlobalKeywords.KEYWORDS.get(line.keyword());
            if (def == null) {
                throw new KeywordError("unknown keyword '" + line.keyword() + "' in 'global' section");
            }
            def.parser().parse(ctx, global, line);
            switch (line.keyword()) {
                case "setenv" -> env.put(line.arg(1), line.arg(2));
                case "presetenv" -> env.putIfAbsent(line.arg(1), line.arg(2));
                case "unsetenv" -> line.from(1).forEach(env::remove);
                case "resetenv" -> env.keySet().retainAll(line.from(1));
                default -> { }
            }
        }

        void httpErrorsLine(ConfigLine line) {
            if (!line.keyword().equals("errorfile")) {
                throw new KeywordError("unknown keyword '" + line.keyword() + "' in 'http-errors' section");
            }
            ProxyKeywords.needArgs(line, 2, "<status_code> and <file> as arguments");
            int code = ctx.errorStatus(line.arg(1), "errorfile");
            httpErrors.get(httpErrorsName).put(code, new ErrorFile(code, ctx.resolveFile(line.arg(2), line), null, 0));
        }

        void proxyLine(ConfigLine line) {
            ProxyKeywords.Def def = ProxyKeywords.KEYWORDS.get(line.keyword());
            String sectionName = proxy.type.keyword();
            if (def == null) {
                throw new KeywordError("unknown keyword '" + line.keyword() + "' in '" + sectionName + "' section");
            }
            if (proxy.isDefaults()) {
                if ((def.caps() & ProxyKeywords.DEF) == 0) {
                    // HAProxy 2.6 words it differently for the rule keywords named defaults may carry.
                    boolean ruleKeyword = java.util.Set.of("acl", "http-request", "http-response", "http-after-response",
                            "tcp-request", "tcp-response").contains(line.keyword());
                    throw new KeywordError("'" + line.keyword() + "' not allowed in "
                            + (ruleKeyword && proxy.name.isEmpty() ? "anonymous " : "") + "'defaults' section.");
                }
            } else if ((def.caps() & LoadContext.capsOf(proxy)) == 0) {
                String missing = proxy.type.hasFrontend() ? "backend" : "frontend";
                if (line.keyword().equals("server") || line.keyword().equals("default-server")) {
                    throw new KeywordError("[" + line.location() + "] : parsing [" + line.location() + "] : '" + line.keyword()
                            + "' not allowed because " + proxy.describe() + " has no " + missing + " capability.", true);
                }
                diag.warning(line, "'" + line.keyword() + "' ignored because " + proxy.describe() + " has no "
                        + missing + " capability.");
                return;
            }
            def.parser().parse(ctx, proxy, line);
            checkAclReferences(line);
        }

        /** ACLs must be declared before a condition names them (HAProxy resolves them while parsing). */
        private void checkAclReferences(ConfigLine line) {
            Condition c = lastCondition(line);
            if (c == null) {
                return;
            }
            for (List<Condition.Term> alt : c.alternatives()) {
                for (Condition.Term t : alt) {
                    if (t.isAnonymous() || PredefinedAcls.ALL.containsKey(t.aclName())) {
                        continue;
                    }
                    boolean known = proxy.acls.stream().anyMatch(a -> a.name().equals(t.aclName()));
                    if (!known) {
                        String what = line.keyword().equals("use_backend") ? "switching rule"
                                : "an '" + line.keyword() + (line.size() > 1 ? " " + line.arg(1) : "") + "' condition";
                        throw new KeywordError("error detected while parsing " + what + " : no such ACL : '" + t.aclName() + "'.");
                    }
                }
            }
        }

        private Condition lastCondition(ConfigLine line) {
            Location here = LoadContext.loc(line);
            for (List<Rule> rules : List.of(proxy.httpRequestRules, proxy.httpResponseRules, proxy.tcpRequestRules,
                    proxy.tcpResponseRules, proxy.redirects, proxy.checkSteps)) {
                if (!rules.isEmpty() && rules.get(rules.size() - 1).where().equals(here)) {
                    return rules.get(rules.size() - 1).condition();
                }
            }
            if (!proxy.switchingRules.isEmpty()) {
                SwitchingRule r = proxy.switchingRules.get(proxy.switchingRules.size() - 1);
                if (r.where().equals(here)) {
                    return r.condition();
                }
            }
            if (line.keyword().equals("stats") && line.arg(1).equals("admin") && !proxy.statsAdmin.isEmpty()) {
                return proxy.statsAdmin.get(proxy.statsAdmin.size() - 1);
            }
            return null;
        }

        /**
         * "track [<backend>/]<server>" (configuration.txt §5.2): the server must exist and be
         * checked (by a check, an agent, or by tracking in turn); a tracking server has no check
         * of its own. HAProxy's messages.
         */
        private static String trackError(ProxyBuilder p, io.haquark.model.Server srv, String track, Map<String, ProxyBuilder> backends) {
            if (srv.check()) {
                return "unable to enable checks and tracking at the same time!";
            }
            int slash = track.indexOf('/');
            ProxyBuilder owner = slash < 0 ? p : backends.get(track.substring(0, slash));
            if (owner == null) {
                return "unable to find required proxy '" + track.substring(0, slash) + "' for tracking.";
            }
            String name = slash < 0 ? track : track.substring(slash + 1);
            io.haquark.model.Server t = owner.servers.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (t == null) {
                return "unable to find required server '" + name + "' for tracking.";
            }
            if (!t.trackable()) {
                return "unable to use " + owner.name + "/" + name + " for tracking as it does not have any check nor agent enabled.";
            }
            return null;
        }

        Config finish(List<String> files) throws ConfigException {
            closeSection();
            Map<String, ProxyBuilder> backends = new HashMap<>();
            for (ProxyBuilder p : proxies) {
                if (p.type.hasBackend()) {
                    backends.put(p.name, p);
                }
            }
            List<Proxy> built = new ArrayList<>();
            // A "stats socket" gives the CLI an internal proxy of its own, which takes id 1 in
            // HAProxy: then the configured proxies are numbered from 2 (iid in "show stat",
            // "#<id>" in the stats page's forms, be_id in "show servers state").
            int nextId = global.statsSockets.isEmpty() ? 1 : 2;
            for (ProxyBuilder p : proxies) {
                if (p.type.hasFrontend()) {
                    if (p.defaultBackend != null && !backends.containsKey(p.defaultBackend) && !p.defaultBackend.contains("%[")) {
                        diag.alert((String) null, "parsing [" + p.where + "] : Proxy '" + p.name + "': unable to find required default_backend: '"
                                + p.defaultBackend + "'.");
                    }
                    for (SwitchingRule r : p.switchingRules) {
                        if (!r.dynamic() && !backends.containsKey(r.backend())) {
                            diag.alert((String) null, "parsing [" + r.where() + "] : Proxy '" + p.name + "': unable to find required use_backend: '"
                                    + r.backend() + "'.");
                        }
                    }
                    if (p.binds.isEmpty() && !p.disabled) {
                        diag.warning((String) null, p.describe() + " has no 'bind' directive. Please declare it as a backend if this was intended.");
                    }
                }
                String verifyDefault = global.sslDefaults.getOrDefault("ssl-server-verify", "required");
                for (io.haquark.model.Server srv : p.servers) {
                    // A server spoken to over TLS verifies its certificate unless told not to, and needs
                    // the CAs to do it with (HAProxy refuses to start otherwise).
                    if ((srv.ssl() || srv.checkSsl()) && !srv.options().containsKey("ca-file")
                            && !srv.options().getOrDefault("verify", verifyDefault).equals("none")) {
                        diag.alert((String) null, "[" + srv.where() + "] : 'server " + p.name + "/" + srv.name()
                                + "' : verify is enabled by default but no CA file specified. If you're running on a LAN where"
                                + " you're certain to trust the server's certificate, please set an explicit 'verify none' statement"
                                + " on the 'server' line, or use 'ssl-server-verify none' in the global section to disable"
                                + " server-side verifications by default.");
                    }
                    String track = srv.options().get("track");
                    if (track != null) {
                        String why = trackError(p, srv, track, backends);
                        if (why != null) {
                            diag.alert((String) null, "[" + srv.where() + "] : 'server " + p.name + "/" + srv.name() + "' : " + why);
                        }
                    }
                }
                for (String section : p.resolveErrorFiles(httpErrors)) {
                    diag.alert((String) null, "parsing [" + p.where + "] : proxy '" + p.name + "': unable to find http-errors section '" + section + "'.");
                }
                if ("external".equals(p.checkType) && !p.disabled) {
                    if (!global.externalCheck) {
                        diag.alert((String) null, "Proxy '" + p.name + "' : 'option external-check' unable to find required 'global.external-check'.");
                    }
                    if (!global.insecureFork) {
                        diag.warning((String) null, "Proxy '" + p.name + "' : 'insecure-fork-wanted' not enabled in the global section, 'option external-check' will likely fail.");
                    }
                }
                if (p.mode != io.haquark.model.Mode.HTTP && !p.httpRequestRules.isEmpty()
                        && p.tcpRequestRules.stream().noneMatch(r -> r.action().equals("switch-mode"))) {
                    diag.warning((String) null, "'http-request' rules ignored for " + p.describe() + " as they require HTTP mode.");
                }
                boolean missingTimeouts = (p.type.hasFrontend() && p.tClient == 0)
                        || (p.type.hasBackend() && (p.tConnect == 0 || p.tServer == 0));
                if (missingTimeouts && !p.disabled) {
                    diag.warning((String) null, "missing timeouts for " + p.describe() + ".\n   | While not properly invalid, you will certainly encounter various problems\n   | with such a configuration. To fix this, please ensure that all following\n   | timeouts are set to a non-zero value: 'client', 'connect', 'server'.");
                }
                if (p.id == 0) {
                    while (idTaken(nextId)) {
                        nextId++;
                    }
                    p.id = nextId++;
                }
                built.add(p.build());
            }
            if (diag.hasAlerts()) {
                throw new ConfigException(diag);
            }
            List<io.haquark.model.Proxy> ruleDefaults = new ArrayList<>();
            for (ProxyBuilder d : namedDefaults.values()) {
                if (d.hasRules()) {
                    ruleDefaults.add(d.build());
                }
            }
            return new Config(files, global.build(), built, userlists, httpErrors, ignoredSections, rings, ruleDefaults);
        }

        private boolean idTaken(int id) {
            return proxies.stream().anyMatch(p -> p.id == id);
        }
    }
}
