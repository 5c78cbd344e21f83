package org.batterytrace.server.report;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Regulators' reports as JSON rows or CSV ({@code format=csv} or {@code Accept: text/csv}). */
@Path("/reports")
@Tag(name = "reports")
@Produces({MediaType.APPLICATION_JSON, ReportResource.CSV})
@SecurityRequirement(name = TraceApplication.BEARER)
public class ReportResource {
    static final String CSV = "text/csv";
    private static final String GROUP_BY = "comma-separated: province, city, enterprise, chemistry, state, month (batteries); province, city, enterprise, chemistry, type, month (events)";

    @Inject
    ReadPolicy readPolicy;
    @Inject
    ReportService reports;

    @GET
    @Path("/batteries")
    @Operation(summary = "Battery stock: count and declared mass grouped by the custodian's province/city or name, chemistry, state, production month")
    public Response batteries(@QueryParam("groupBy") @Parameter(description = GROUP_BY) String groupBy, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        readPolicy.requireOversight();
        return render(reports.batteries(groupBy), format, accept, "batteries");
    }

    @GET
    @Path("/events")
    @Operation(summary = "Record flows: count of records grouped by the recording enterprise's province/city or name, type, chemistry, event month")
    public Response events(@QueryParam("groupBy") @Parameter(description = GROUP_BY) String groupBy, @QueryParam("type") EventType type,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(from, to);
        return render(reports.events(groupBy, type, range.from(), range.to()), format, accept, "events");
    }

    @GET
    @Path("/cascade-share")
    @Operation(summary = "Per cascade enterprise: collected vs repurposed batteries by count and mass, against the 60 % norm")
    public Response cascadeShare(@QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        readPolicy.requireOversight();
        return render(reports.cascadeShare(), format, accept, "cascade-share");
    }

    @GET
    @Path("/recovery")
    @Operation(summary = "Per recycler: closed lots, input mass, recovery rate per metal, and CN 2024 / EU 2027 / EU 2031 target checks")
    public Response recovery(@QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        readPolicy.requireOversight();
        return render(reports.recovery(), format, accept, "recovery");
    }

    private static Response render(Table table, String format, String accept, String name) {
        boolean csv;
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ProblemException.badRequest("bad-format", "format is json or csv, got " + format);
            }
            csv = format.equals("csv");
        } else {
            csv = accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
        }
        if (csv) {
            return Response.ok(table.toCsv(), CSV + "; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").build();
        }
        return Response.ok(table.toJson(), MediaType.APPLICATION_JSON).build();
    }
}
