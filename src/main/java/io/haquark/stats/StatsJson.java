package io.haquark.stats;

import io.haquark.engine.Routing;
import java.util.List;

/**
 * ";json": every CSV row as an object of field name to value (HAProxy's own JSON carries a
 * schema with typed values; this flat form is what haquark offers for now).
 */
final class StatsJson {
    private StatsJson() {
    }

    static String render(Routing routing, StatsScope scope, boolean upOnly) {
        String csv = StatsCsv.render(routing, scope, upOnly);
        String[] lines = csv.split("\n");
        List<String> fields = StatsCsv.FIELDS;
        StringBuilder sb = new StringBuilder("[");
        for (int l = 1; l < lines.length; l++) {
            String[] v = lines[l].split(",", -1);
            sb.append(l > 1 ? ",\n" : "\n").append('{');
            boolean first = true;
            for (int i = 0; i < fields.size() && i < v.length; i++) {
                if (v[i].isEmpty()) {
                    continue;
                }
                sb.append(first ? "" : ",").append('"').append(fields.get(i)).append("\":");
                sb.append(v[i].matches("-?\\d+") ? v[i] : "\"" + v[i].replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
                first = false;
            }
            sb.append('}');
        }
        return sb.append("\n]\n").toString();
    }
}
