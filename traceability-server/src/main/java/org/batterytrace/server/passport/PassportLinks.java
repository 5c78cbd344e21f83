package org.batterytrace.server.passport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.batterytrace.server.TraceConfig;

/** The stable public address of a battery's passport: {@code <trace.passport.base-url>/p/<code>}. */
@ApplicationScoped
public class PassportLinks {
    @Inject
    TraceConfig config;

    /** Whether the base URL is configured; otherwise addresses follow the request's Host header and must not be cached by shared caches. */
    public boolean configured() {
        return config.passport().baseUrl().isPresent();
    }

    /** The page of {@code code}; without a configured base URL, the scheme and host the request came in on. */
    public String page(String code, UriInfo request) {
        URI base = config.passport().baseUrl().orElseGet(() -> request.getBaseUri().resolve("/"));
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        return root + "/p/" + code;
    }
}
