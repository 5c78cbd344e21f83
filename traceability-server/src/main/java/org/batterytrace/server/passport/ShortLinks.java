package org.batterytrace.server.passport;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * Serves the short public passport address {@code /p/<code>} (the one a battery's QR code carries) by
 * routing it to {@code /api/v1/passports/<code>}, keeping the request's headers for content negotiation.
 */
@ApplicationScoped
public class ShortLinks {
    /** GB/T 34014 codes are 19 or 24 upper-case letters and digits; anything else is left to the 404. */
    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z]{1,40}");

    void install(@Observes Router router) {
        router.get("/p/:code").handler(ctx -> {
            String code = ctx.pathParam("code");
            if (!CODE.matcher(code).matches()) {
                ctx.next();
                return;
            }
            String query = ctx.request().query();
            ctx.reroute("/api/v1/passports/" + code + (query == null ? "" : "?" + query));
        });
    }
}
