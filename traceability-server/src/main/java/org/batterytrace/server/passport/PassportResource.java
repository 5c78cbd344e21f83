package org.batterytrace.server.passport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import org.batterytrace.passport.Tier;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.cache.CachePolicy;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A battery's passport at its stable public address ({@code /p/<code>} routes here): an HTML page for
 * people (Chinese by default, English with {@code ?lang=en} or Accept-Language), the JSON passport, or
 * JSON-LD, by content negotiation. Public; a caller's API token raises the tier.
 */
@Path("/passports")
@Tag(name = "batteries")
public class PassportResource {
    public static final String LD_JSON = "application/ld+json";
    /** No script at all, styles from this server only, never framed. */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Inject
    Caller caller;
    @Inject
    PassportService passports;
    @Inject
    PassportLinks links;
    @Inject
    @Location("passport/page.html")
    Template page;
    @Context
    UriInfo uri;

    @Inject
    ReadPolicy readPolicy;

    @Inject
    TraceConfig config;

    /** The page names its own address, taken from the Host header unless a base URL is configured. */
    String cachePolicy() {
        return CachePolicy.publicDocument(caller.organization().isEmpty() && !caller.isAdmin(), config.passport().baseUrl().isEmpty(),
                config.passport().publicMaxAge());
    }

    private Tier tier(String code) {
        return readPolicy.passportTier(code);
    }

    @GET
    @Path("/{code}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true) // documented with getPassportPage as its text/html answer
    public Response html(@PathParam("code") String code, @QueryParam("lang") String lang, @HeaderParam("Accept-Language") String acceptLanguage) {
        Tier tier = tier(code);
        String url = links.page(code, uri);
        boolean chinese = PassportPage.chinese(lang, acceptLanguage);
        byte[] html = passports.rendered(code, tier, url, chinese ? "page:zh" : "page:en",
                passport -> page.data("view", PassportPage.view(passport, tier, chinese, url)).render().getBytes(StandardCharsets.UTF_8));
        return secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")), cachePolicy()).build();
    }

    @GET
    @Path("/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getPassportPage", summary = "The passport at its public address (the QR code's target)",
            description = "Content negotiation: JSON (the same document as /batteries/{code}/passport), JSON-LD with each Battery Pass section "
                    + "in its SAMM aspect's vocabulary, or the page for people (HTML without JavaScript; Chinese by default, ?lang=en or "
                    + "Accept-Language for English; /p/{code} is its short address). No token needed; a token raises the tier.")
    @APIResponse(responseCode = "200", description = "The passport, filtered for the caller's tier", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = PassportSchema.NAME)),
            @Content(mediaType = LD_JSON, schema = @Schema(ref = PassportSchema.NAME)),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    public Response json(@PathParam("code") String code) {
        return secured(Response.ok(passports.passportJson(code, tier(code), links.page(code, uri)), MediaType.APPLICATION_JSON_TYPE), cachePolicy()).build();
    }

    @GET
    @Path("/{code}")
    @Produces(LD_JSON)
    @Operation(hidden = true) // documented with getPassportPage as its application/ld+json answer
    public Response jsonLd(@PathParam("code") String code) {
        String url = links.page(code, uri);
        ObjectNode ld = PassportSchema.jsonLd(passports.passport(code, tier(code), url), url);
        return secured(Response.ok(ld, LD_JSON), cachePolicy()).build();
    }

    static Response.ResponseBuilder secured(Response.ResponseBuilder response, String cacheControl) {
        return response.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY").header("Vary", "Accept, Accept-Language, Authorization").header("Cache-Control", cacheControl);
    }
}
