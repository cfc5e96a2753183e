package io.haquark.model;

import java.util.List;

/**
 * How servers of a backend are checked: {@code type} is tcp (plain connect), http
 * ({@code option httpchk}), tcp-check, mysql, pgsql, redis, ssl-hello, smtp, ldap, spop,
 * external. The http-check / tcp-check lines are kept as rules, in order.
 */
public record HealthCheck(String type, String httpMethod, String httpUri, String httpVersion,
                          List<Rule> steps, boolean disableOn404, boolean logHealthChecks) {
    public static final HealthCheck TCP = new HealthCheck("tcp", null, null, null, List.of(), false, false);

    public HealthCheck {
        steps = List.copyOf(steps);
    }
}
