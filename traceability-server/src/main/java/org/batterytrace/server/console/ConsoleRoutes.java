package org.batterytrace.server.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves the console's pages at {@code /console/…} by routing them to the hidden JAX-RS resource
 * {@code /api/v1/console/…} (as {@code /p/<code>} is routed to the passport), so a page is authenticated,
 * read-checked and answered like any API call. Static files ({@code /console/assets/}, the auditor page
 * {@code /console/audit/}) are not rerouted; the security headers of every {@code /console} path are set
 * by {@code quarkus.http.filter.console} in application.properties.
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String PAGES = "/console/(|batteries|batteries/[0-9A-Za-z]{1,40}|transfers|late-reports|lots|collect|regulator|sign-in|sign-out)";

    void install(@Observes Router router) {
        // Vert.x matches "/console" for "/console/" too: redirect only the bare path.
        router.get("/console").handler(ctx -> {
            if (ctx.request().path().equals("/console")) {
                ctx.response().setStatusCode(303).putHeader("Location", "/console/").end();
            } else {
                ctx.next();
            }
        });
        router.routeWithRegex(PAGES).handler(ctx -> {
            String query = ctx.request().query();
            ctx.reroute("/api/v1" + ctx.request().path() + (query == null ? "" : "?" + query));
        });
    }
}
