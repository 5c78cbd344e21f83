package org.batterytrace.server.compliance;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Reporting deadlines of the 2018 traceability rules: who reported late, and by how much. */
@Path("/compliance")
@Tag(name = "compliance")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class ComplianceResource {
    @Inject
    ReadPolicy readPolicy;
    @Inject
    ComplianceService compliance;

    @GET
    @Path("/late-reports")
    @Operation(summary = "An enterprise's records uploaded after their deadline (15 or 30 working days by stage); the enterprise itself or a regulator")
    public ComplianceDtos.LateReports lateReports(@QueryParam("actor") @NotNull String actor, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        readPolicy.requireOrganizationData(actor);
        TimeRange range = TimeRange.parse(from, to);
        return compliance.lateReports(actor, range.from(), range.to(), limit);
    }

    @GET
    @Path("/timeliness")
    @Operation(summary = "Per enterprise: records checked against their deadline and how many were late (regulators)")
    public List<ComplianceDtos.EnterpriseTimeliness> timeliness(@QueryParam("from") String from, @QueryParam("to") String to) {
        readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(from, to);
        return compliance.overview(range.from(), range.to());
    }
}
