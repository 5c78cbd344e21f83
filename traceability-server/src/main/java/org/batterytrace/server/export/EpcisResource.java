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
import java.util.List;
import java.util.Set;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
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
    ReadPolicy readPolicy;
    @Inject
    EpcisService epcis;

    @GET
    @Path("/events")
    @Operation(summary = "EPCISDocument of the records whose event time is in [from, to), in log order, within the regulator's region scope")
    public JsonNode events(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(from, to);
        List<LogEntryEntity> window = epcis.window(range.from(), range.to(), limit);
        Set<String> readable = readPolicy.readable(window.stream().map(e -> e.subject).toList());
        return epcis.document(window.stream().filter(e -> readable.contains(e.subject)).toList());
    }
}
