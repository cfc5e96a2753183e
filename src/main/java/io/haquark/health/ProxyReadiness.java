package io.haquark.health;

import io.haquark.engine.Engine;
import io.haquark.engine.ProxyService;
import io.haquark.state.BackendState;
import io.haquark.state.ServerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * /q/health/ready: the proxy is ready when its listeners are open; each backend reports how
 * many of its servers are usable (a backend with none makes the check DOWN, as a load
 * balancer in front of this one should then stop sending traffic).
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
        for (var be : e.routing().backends.values()) {
            BackendState st = be.state;
            int usable = 0;
            for (ServerState s : st.servers) {
                if (s.usable()) {
                    usable++;
                }
            }
            b.withData("backend." + be.name(), usable + "/" + st.servers.length);
            if (st.servers.length > 0 && usable == 0) {
                up = false;
            }
        }
        return b.status(up).build();
    }
}
