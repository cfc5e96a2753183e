package io.haquark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docs/compatibility.md, generated from the keyword tables themselves so the page cannot
 * drift from what the parser does (a test compares the two).
 */
public final class CompatibilityTable {

    private record Row(String section, String keyword, Support support, String note) {
    }

    private CompatibilityTable() {
    }

    private static String caps(int caps) {
        List<String> s = new ArrayList<>();
        if ((caps & ProxyKeywords.DEF) != 0) {
            s.add("defaults");
        }
        if ((caps & ProxyKeywords.FE) != 0) {
            s.add("frontend");
        }
        if ((caps & ProxyKeywords.BE) != 0) {
            s.add("backend");
        }
        s.add("listen");
        return String.join(", ", s);
    }

    public static String markdown() {
        List<Row> rows = new ArrayList<>();
        for (SectionKind k : SectionKind.values()) {
            rows.add(new Row("(top level)", k.keyword, k.support, k.note));
        }
        for (GlobalKeywords.Def d : GlobalKeywords.KEYWORDS.values()) {
            rows.add(new Row("global", d.keyword(), d.support(), d.note()));
        }
        for (ProxyKeywords.Def d : ProxyKeywords.KEYWORDS.values()) {
            if (d.keyword().equals("option") || d.keyword().equals("timeout") || d.keyword().equals("no")) {
                continue;
            }
            rows.add(new Row(caps(d.caps()), d.keyword(), d.support(), d.note()));
        }
        for (OptionKeywords.Def d : OptionKeywords.OPTIONS.values()) {
            rows.add(new Row(caps(d.caps()), "option " + d.name() + (d.negatable() ? " / no option " + d.name() : ""),
                    d.support(), d.note()));
        }
        for (TimeoutKeywords.Def d : TimeoutKeywords.EVENTS.values()) {
            rows.add(new Row(caps(d.caps()), "timeout " + d.event(), d.support(), null));
        }
        for (BindKeywords.Def d : BindKeywords.KEYWORDS.values()) {
            rows.add(new Row("bind option", d.keyword(), d.support(), d.note()));
        }
        for (ServerKeywords.Def d : ServerKeywords.KEYWORDS.values()) {
            rows.add(new Row("server / default-server option", d.keyword(), d.support(), d.note()));
        }
        for (io.haquark.filters.FilterRegistry.Kind k : io.haquark.filters.FilterRegistry.kinds()) {
            rows.add(new Row("frontend, backend, listen", "filter " + k.name(), k.supported() ? Support.PARTIAL : Support.NOT_YET, k.note()));
        }
        for (io.haquark.rules.HttpActions.Entry d : io.haquark.rules.HttpActions.all()) {
            rows.add(new Row(d.ruleKeyword() + " action", d.action(),
                    !d.supported() ? Support.NOT_YET : d.partial() ? Support.PARTIAL : Support.SUPPORTED, d.note()));
        }
        for (Map.Entry<String, List<String>> e : io.haquark.rules.TcpActions.all().entrySet()) {
            for (String a : e.getValue()) {
                boolean done = io.haquark.rules.TcpActions.supported(e.getKey(), a);
                String limits = io.haquark.rules.TcpActions.limits(a);
                rows.add(new Row(e.getKey() + " action", a.replace("(*)", "(...)"),
                        !done ? Support.NOT_YET : limits != null ? Support.PARTIAL : Support.SUPPORTED,
                        done ? limits : "not yet: warned about and skipped"));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# HAProxy keyword compatibility\n\n");
        sb.append("Generated from haquark's keyword tables (`io.haquark.config.CompatibilityTable`); ");
        sb.append("`CompatibilityTableTest` fails when this page and the parser disagree. Regenerate with\n");
        sb.append("`./mvnw test -Dtest=CompatibilityTableTest -Dhaquark.writeCompat=true`.\n\n");
        sb.append("Status: **supported** works as in HAProxy 2.6; **partial** is accepted and works with the limits noted; ");
        sb.append("**not yet** is accepted (HAProxy accepts it) but ignored, and `-c` prints a `[WARNING] ... not supported by haquark yet, ignored` naming the line.\n");
        sb.append("**rejected** was removed from HAProxy before 2.6: HAProxy 2.6 refuses it, and haquark refuses it with HAProxy's message.\n");
        sb.append("A keyword that is in no table here is unknown to HAProxy 2.6 too and is an error.\n\n");
        sb.append("| section | keyword | status | notes |\n|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.section()).append(" | `").append(r.keyword()).append("` | ")
                    .append(r.support().label()).append(" | ").append(r.note() == null ? "" : r.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
