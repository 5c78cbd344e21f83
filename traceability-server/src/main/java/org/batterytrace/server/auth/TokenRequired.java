package org.batterytrace.server.auth;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.WorkerThread;
import org.batterytrace.server.facts.FactsCache;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates before the body is read: an operation that needs a token (its OpenAPI security
 * requirement, on the method, else on its class) answers 401 to a caller without a valid one whatever the
 * body holds, so request parsing is never exposed to anonymous callers and a wrong token is never
 * told more than "unauthorized".
 */
public class TokenRequired {
    @Inject
    Caller caller;

    /** Null (go on at once) unless a non-blocking endpoint's caller needs the database: then after that, on a worker thread. */
    @ServerRequestFilter
    public Uni<Void> authenticate(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        // A method's own requirements (an empty @SecurityRequirements = public) override its class's.
        boolean ownRequirements = method.isAnnotationPresent(SecurityRequirement.class) || method.isAnnotationPresent(SecurityRequirements.class);
        if (ownRequirements ? needsToken(method.getAnnotation(SecurityRequirement.class))
                : needsToken(resource.getResourceClass().getAnnotation(SecurityRequirement.class))) {
            try {
                caller.requireAuthenticated();
            } catch (FactsCache.NotInMemory e) {
                return WorkerThread.call(() -> {
                    caller.requireAuthenticated();
                    return null;
                });
            }
        }
        return null;
    }

    private static boolean needsToken(SecurityRequirement requirement) {
        return requirement != null && TraceApplication.BEARER.equals(requirement.name());
    }
}
