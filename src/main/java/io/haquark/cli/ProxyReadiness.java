package io.haquark.cli;

import io.haquark.engine.Engine;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * /q/health/ready: the proxy is ready when its listeners are open and every backend a
 * frontend uses has a usable server; each such backend reports "usable/total", and the
 * failing ones are named (a load balancer in front of this one should then stop sending).
 */
@Readiness
@ApplicationScoped
public class ProxyReadiness implements HealthCheck {
    @Inject
    ProxyService service;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("haquark");
        Engine e = service.engine();
        if (e == null || e.routing() == null) {
            return b.down().withData("reason", "no configuration loaded").build();
        }
        boolean up = !e.listeners().isEmpty();
        b.withData("listeners", e.listeners().size());
        java.util.Set<String> used = new java.util.HashSet<>();
        for (var fe : e.routing().frontends.values()) {
            if (fe.proxy.defaultBackend() != null) {
                used.add(fe.proxy.defaultBackend());
            }
            fe.proxy.switchingRules().forEach(r -> used.add(r.backend()));
            if (fe.proxy.type().hasBackend()) {
                used.add(fe.name());
            }
        }
        java.util.List<String> failing = new java.util.ArrayList<>();
        for (var be : e.routing().backends.values()) {
            if (!used.contains(be.name())) {
                continue;
            }
            BackendState st = be.state;
            int usable = 0;
            for (ServerState s : st.servers()) {
                if (s.usable()) {
                    usable++;
                }
            }
            b.withData("backend." + be.name(), usable + "/" + st.servers().length);
            if (st.servers().length > 0 && usable == 0) {
                up = false;
                failing.add(be.name());
            }
        }
        if (!failing.isEmpty()) {
            b.withData("failing", String.join(",", failing));
        }
        return b.status(up).build();
    }
}
