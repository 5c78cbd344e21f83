package org.batterytrace.server.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.batterytrace.server.TraceApplication;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates before the body is read: an operation that needs a token (its OpenAPI security
 * requirement, on the method or its class) answers 401 to a caller without a valid one whatever the
 * body holds, so request parsing is never exposed to anonymous callers and a wrong token is never
 * told more than "unauthorized".
 */
public class TokenRequired {
    @Inject
    Caller caller;

    @ServerRequestFilter
    public void authenticate(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method != null && (needsToken(method.getAnnotation(SecurityRequirement.class))
                || needsToken(resource.getResourceClass().getAnnotation(SecurityRequirement.class)))) {
            caller.requireAuthenticated();
        }
    }

    private static boolean needsToken(SecurityRequirement requirement) {
        return requirement != null && TraceApplication.BEARER.equals(requirement.name());
    }
}
