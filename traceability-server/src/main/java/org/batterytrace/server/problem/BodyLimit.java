package org.batterytrace.server.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared Content-Length exceeds the body limit before reading it, with a
 * problem document rather than the HTTP layer's bare 413.
 */
@ApplicationScoped
public class BodyLimit {
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        long max = maxBodySize.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > max) {
                String body = "{\"type\":\"urn:batterytrace:problem:body-too-large\",\"title\":\"Request body too large\",\"status\":413,\"detail\":\"the body declares "
                        + declared + " bytes; at most " + max + " are accepted (split bulk requests)\",\"instance\":\"" + ctx.request().path().replace("\"", "") + "\"}";
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).putHeader(HttpHeaders.CONNECTION, "close").end(body);
                ctx.request().connection().close();
                return;
            }
            ctx.next();
        });
    }
}
