package org.batterytrace.server.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.batterytrace.export.Epcis;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * EPCIS 2.0 query interface (GS1 EPCIS 2.0 REST bindings, {@code GET /events} with SimpleEventQuery
 * parameters, paging by {@code nextPageToken} and a {@code Link: rel="next"} header), and the JSON-LD
 * context of the platform's {@code bt:} extension terms.
 */
@Path("/epcis")
@Tag(name = "exports")
public class EpcisResource {
    @Inject
    TraceClock clock;
    public static final String LD_JSON = "application/ld+json";
    /** Event types of EPCIS 2.0 that a query may name. */
    private static final Set<String> EVENT_TYPES = Set.of("ObjectEvent", "AggregationEvent", "AssociationEvent", "TransformationEvent", "TransactionEvent");

    @Inject
    ReadPolicy readPolicy;
    @Inject
    EpcisService epcis;
    @Context
    UriInfo uri;

    @GET
    @Path("/events")
    @Produces({LD_JSON, MediaType.APPLICATION_JSON})
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "queryEpcisEvents", summary = "Query EPCIS events",
            description = "An EPCISQueryDocument of the events whose event time is in [GE_eventTime, LT_eventTime), in log order, a page at a time (regulators, within their region scope). "
            + "Several values of one parameter are given by repeating it or separating them with |.")
    @APIResponse(responseCode = "200", description = "One page of events", headers = {
            @Header(name = "Link", schema = @Schema(type = SchemaType.STRING), description = "<…&nextPageToken=…>; rel=\"next\" while more pages follow"),
            @Header(name = "GS1-Next-Page-Token-Expires", schema = @Schema(type = SchemaType.STRING), description = "The page token does not expire (it names a log position)")},
            content = {@Content(mediaType = LD_JSON, schema = @Schema(implementation = EpcisDocs.QueryDocument.class)),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisDocs.QueryDocument.class))})
    public Response events(@QueryParam("GE_eventTime") String geEventTime, @QueryParam("LT_eventTime") String ltEventTime,
            @QueryParam("eventType") List<String> eventType, @QueryParam("EQ_bizStep") List<String> bizStep, @QueryParam("MATCH_epc") List<String> epc,
            @QueryParam("MATCH_anyEPC") List<String> anyEpc, @QueryParam("perPage") @DefaultValue("100") @Min(1) @Max(1000) int perPage,
            @QueryParam("nextPageToken") String nextPageToken) {
        readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(geEventTime, ltEventTime, clock.now());
        Set<String> types = values(eventType);
        for (String type : types) {
            if (!EVENT_TYPES.contains(type)) {
                throw ProblemException.badRequest("bad-query", "eventType must be one of " + EVENT_TYPES + ", got " + type);
            }
        }
        EpcisService.Page page = epcis.query(new EpcisService.Query(range.from(), range.to(), types, values(bizStep), values(epc), values(anyEpc),
                perPage, nextPageToken), readPolicy::readable);
        ObjectNode doc = Epcis.queryDocument(page.events(), clock.now(), contextUrl(uri));
        Response.ResponseBuilder response = Response.ok(doc).header("GS1-EPCIS-Version", "2.0.0").header("GS1-CBV-Version", "2.0.0");
        if (page.nextPageToken() != null) {
            String next = uri.getRequestUriBuilder().replaceQueryParam("nextPageToken", page.nextPageToken()).build().toString();
            response.header("Link", "<" + next + ">; rel=\"next\"").header("GS1-Next-Page-Token-Expires", "9999-12-31T23:59:59Z");
        }
        return response.build();
    }

    @GET
    @Path("/context.jsonld")
    @Produces({LD_JSON, MediaType.APPLICATION_JSON})
    @Operation(operationId = "getEpcisContext", summary = "Get the EPCIS JSON-LD context",
            description = "JSON-LD context defining every bt: extension term of the EPCIS export (no token needed).")
    @APIResponse(responseCode = "200", description = "The JSON-LD 1.1 context", content = {
            @Content(mediaType = LD_JSON, schema = @Schema(implementation = EpcisDocs.Context.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisDocs.Context.class))})
    public ObjectNode context() {
        return Epcis.context();
    }

    /** The absolute address of the bt: context, as documents reference it. */
    public static String contextUrl(UriInfo uri) {
        return uri.getBaseUri().resolve(EpcisService.CONTEXT_PATH).toString();
    }

    private static Set<String> values(List<String> params) {
        Set<String> values = new LinkedHashSet<>();
        if (params != null) {
            params.forEach(p -> {
                for (String v : p.split("\\|")) {
                    if (!v.isBlank()) {
                        values.add(v.trim());
                    }
                }
            });
        }
        return values;
    }
}
