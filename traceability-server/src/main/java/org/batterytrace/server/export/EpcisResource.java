package org.batterytrace.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.auth.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** EPCIS 2.0 export of every chain's records in a time window, for regulators and EPCIS repositories. */
@Path("/epcis")
@Tag(name = "exports")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class EpcisResource {
    @Inject
    Caller caller;
    @Inject
    EpcisService epcis;

    @GET
    @Path("/events")
    @Operation(summary = "EPCISDocument of all records whose event time is in [from, to), in log order (regulators)")
    public JsonNode events(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        caller.requireOversight();
        TimeRange range = TimeRange.parse(from, to);
        return epcis.document(epcis.window(range.from(), range.to(), limit));
    }
}
