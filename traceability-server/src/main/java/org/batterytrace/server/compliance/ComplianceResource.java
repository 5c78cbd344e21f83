package org.batterytrace.server.compliance;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.report.Table;
import org.batterytrace.server.report.TableResponses;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Reporting deadlines of the 2018 traceability rules (docs/reporting-rules.md): who reported late, and by
 * how much. Windows select on the upload time by default ({@code by=upload}: when the platform accepted
 * the record), or on the event time ({@code by=event}); the reports and the EPCIS export select on the
 * event time. JSON, or CSV as in {@link TableResponses}.
 */
@Path("/compliance")
@Tag(name = "compliance")
@Produces({MediaType.APPLICATION_JSON, TableResponses.CSV})
@SecurityRequirement(name = TraceApplication.BEARER)
public class ComplianceResource {
    @Inject
    TraceClock clock;
    private static final String BY = "upload (default: when the platform accepted the record) or event (the record's own time): which time [from, to) selects";
    private static final String FROM = "RFC 3339 date-time with any offset (2026-01-01T00:00:00+08:00) or a date (start of that day, Beijing time); inclusive;"
            + " default 365 days before to";
    private static final String TO = "as from; exclusive; default now";
    private static final String REGION = "administrative division code or prefix of the recording enterprise (43, 4301 or 430100); absent = the whole country";

    @Inject
    ReadPolicy readPolicy;
    @Inject
    ComplianceService compliance;

    @GET
    @Path("/late-reports")
    @Operation(operationId = "listLateReports", summary = "List an enterprise's late reports",
            description = "An enterprise's records uploaded after their deadline (15 or 30 working days by stage and article), for records whose upload"
            + " (by=upload, default) or event (by=event) time is in [from, to); the enterprise itself or a regulator. CSV lists the items")
    @APIResponse(responseCode = "200", content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ComplianceDtos.LateReports.class)),
            @Content(mediaType = TableResponses.CSV, schema = @Schema(type = SchemaType.STRING))})
    public Response lateReports(@QueryParam("actor") @NotNull String actor, @QueryParam("from") @Parameter(description = FROM) String from,
            @QueryParam("to") @Parameter(description = TO) String to, @QueryParam("by") @Parameter(description = BY) String by,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        readPolicy.requireOrganizationData(actor);
        TimeRange range = TimeRange.parse(from, to, clock.now());
        ComplianceDtos.LateReports late = compliance.lateReports(actor, range.from(), range.to(), TimeRange.Basis.parse(by, TimeRange.Basis.UPLOAD), limit,
                RegionScope.of(region));
        return json(format, accept) ? Response.ok(late, MediaType.APPLICATION_JSON).build()
                : TableResponses.render(Table.of(ComplianceDtos.LateReport.class, late.items()), format, accept, "late-reports");
    }

    @GET
    @Path("/timeliness")
    @Operation(operationId = "getTimeliness", summary = "Timeliness per enterprise",
            description = "Per enterprise: records checked against their deadline and how many were late, for records whose upload (by=upload, default)"
            + " or event (by=event) time is in [from, to) (regulators)")
    public Response timeliness(@QueryParam("from") @Parameter(description = FROM) String from, @QueryParam("to") @Parameter(description = TO) String to,
            @QueryParam("by") @Parameter(description = BY) String by, @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(from, to, clock.now());
        return TableResponses.render(Table.of(ComplianceDtos.EnterpriseTimeliness.class, compliance.overview(range.from(), range.to(),
                TimeRange.Basis.parse(by, TimeRange.Basis.UPLOAD), scope.narrowedTo(RegionScope.of(region)))), format, accept, "timeliness");
    }

    @GET
    @Path("/by-stage")
    @Operation(operationId = "getLateReportsByStage", summary = "Late reports by stage",
            description = "Late reports by stage (record type) and article of the 2018 rules: records checked and late, for records whose upload"
            + " (by=upload, default) or event (by=event) time is in [from, to) (regulators)")
    public Response byStage(@QueryParam("from") @Parameter(description = FROM) String from, @QueryParam("to") @Parameter(description = TO) String to,
            @QueryParam("by") @Parameter(description = BY) String by, @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        TimeRange range = TimeRange.parse(from, to, clock.now());
        return TableResponses.render(Table.of(ComplianceDtos.StageTimeliness.class, compliance.byStage(range.from(), range.to(),
                TimeRange.Basis.parse(by, TimeRange.Basis.UPLOAD), scope.narrowedTo(RegionScope.of(region)))), format, accept, "late-by-stage");
    }

    @GET
    @Path("/rules")
    @SecurityRequirements
    @Operation(operationId = "getReportingRules", summary = "Get the reporting rules",
            description = "The reporting rule applied: for each record type, state before it and role, the working days allowed and the article (public).")
    public Response rules(@QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return TableResponses.render(Table.of(ComplianceDtos.Rule.class, compliance.rules()), format, accept, "reporting-rules");
    }

    private static boolean json(String format, String accept) {
        if (format != null) {
            return format.trim().equalsIgnoreCase("json");
        }
        return accept == null || !accept.contains(TableResponses.CSV) || accept.contains(MediaType.APPLICATION_JSON);
    }
}
