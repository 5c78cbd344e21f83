package org.batterytrace.server.report;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.recycling.LotService;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Regulators' reports as JSON rows or CSV ({@link TableResponses}). Days and months are Beijing dates.
 * Every report takes {@code region}: a province, city or county code or prefix that narrows it to the
 * organizations there (whose organization each report uses is in its description).
 */
@Path("/reports")
@Tag(name = "reports")
@Produces({MediaType.APPLICATION_JSON, TableResponses.CSV})
@SecurityRequirement(name = TraceApplication.BEARER)
public class ReportResource {
    @Inject
    TraceClock clock;
    static final String GROUP_BY = "comma-separated: province, city, enterprise, chemistry, state, month, saleProvince, saleCity (batteries);"
            + " province, city, enterprise, chemistry, type, month, saleProvince, saleCity (events). saleProvince/saleCity: where the vehicle was sold"
            + " (data.region of its SOLD record; null when not given)";
    static final String REGION = "administrative division code or prefix (43 = Hunan, 4301 or 430100 = Changsha); absent = the whole country";
    static final String FROM = "RFC 3339 date-time with any offset (2026-01-01T00:00:00+08:00) or a date (start of that day, Beijing time); inclusive";
    static final String TO = "as from; exclusive";
    static final String AS_OF = "RFC 3339 date-time, or a date (the end of that day, Beijing time); absent = now";

    @Inject
    ReadPolicy readPolicy;
    @Inject
    ReportService reports;
    @Inject
    LotService lots;

    @GET
    @Path("/batteries")
    @Operation(operationId = "reportBatteryStock", summary = "Report battery stock",
            description = "Battery stock: count and declared mass grouped by the custodian's province/city or id, chemistry, state, production month or sale region;"
            + " now, or as of a past instant (chains replayed up to that event time). region: the custodian's")
    public Response batteries(@QueryParam("groupBy") @Parameter(description = GROUP_BY) String groupBy,
            @QueryParam("asOf") @Parameter(description = AS_OF) String asOf, @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        Instant at = asOf == null ? null : TimeRange.asOf("asOf", asOf, clock.now());
        return TableResponses.render(reports.batteries(groupBy, at, scope.narrowedTo(RegionScope.of(region))), format, accept, "batteries");
    }

    @GET
    @Path("/events")
    @Operation(operationId = "reportRecordFlows", summary = "Report record flows",
            description = "Record flows: records grouped by the recording enterprise's province/city or id, type, chemistry, month or sale region, whose event time"
            + " (by=event, default) or upload time (by=upload) is in [from, to). region: the recording enterprise's")
    public Response events(@QueryParam("groupBy") @Parameter(description = GROUP_BY) String groupBy,
            @QueryParam("type") @Parameter(description = "one record type, e.g. PRODUCED") String type,
            @QueryParam("from") @Parameter(description = FROM) String from, @QueryParam("to") @Parameter(description = TO) String to,
            @QueryParam("by") @Parameter(description = "event (the record's time, default) or upload (when the platform accepted it)") String by,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        EventType eventType = type == null ? null : EventType.fromName(type.trim())
                .orElseThrow(() -> ProblemException.badRequest("bad-type", "unknown record type " + type + "; use one of " + EventType.names()));
        TimeRange range = TimeRange.parse(from, to, clock.now());
        return TableResponses.render(reports.events(groupBy, eventType, range.from(), range.to(), TimeRange.Basis.parse(by, TimeRange.Basis.EVENT),
                scope.narrowedTo(RegionScope.of(region))), format, accept, "events");
    }

    @GET
    @Path("/cascade-share")
    @Operation(operationId = "reportCascadeShare", summary = "Report cascade share",
            description = "Per cascade enterprise: waste batteries it received (collected itself or accepted by transfer after retirement) whose first receipt is"
            + " in [from, to) (all time if both absent), and how many of those it repurposed, by count and declared mass, against the 60 % norm."
            + " region: the cascade enterprise's")
    public Response cascadeShare(@QueryParam("from") @Parameter(description = FROM) String from, @QueryParam("to") @Parameter(description = TO) String to,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        Instant[] window = optionalWindow(from, to);
        return TableResponses.render(reports.cascadeShare(window[0], window[1], scope.narrowedTo(RegionScope.of(region))), format, accept, "cascade-share");
    }

    @GET
    @Path("/recovery")
    @Operation(operationId = "reportRecovery", summary = "Report recovery rates",
            description = "Per recycler: lots closed in [from, to) (all time if both absent) with inputs, their input mass, recovery rate per metal and the"
            + " CN 2024 / EU 2027 / EU 2031 target checks; lots closed without inputs counted apart. region: the recycler's")
    public Response recovery(@QueryParam("from") @Parameter(description = FROM) String from, @QueryParam("to") @Parameter(description = TO) String to,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        Instant[] window = optionalWindow(from, to);
        return TableResponses.render(reports.recovery(window[0], window[1], scope.narrowedTo(RegionScope.of(region))), format, accept, "recovery");
    }

    @GET
    @Path("/missing-uploads")
    @Operation(operationId = "reportMissingUploads", summary = "Report missing uploads",
            description = "Waste batteries whose next record was overdue at asOf (retired but not collected, collected but not tested, dismantled or recycled, …"
            + " within the working-day allowances of docs/reporting-rules.md), counted per holding enterprise, its city and state, or listed (detail=true)."
            + " region: the holding enterprise's")
    public Response missingUploads(@QueryParam("asOf") @Parameter(description = AS_OF) String asOf,
            @QueryParam("detail") @DefaultValue("false") @Parameter(description = "true: one row per battery") boolean detail,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        return TableResponses.render(reports.missingUploads(TimeRange.asOf("asOf", asOf, clock.now()), scope.narrowedTo(RegionScope.of(region)), detail), format, accept, "missing-uploads");
    }

    @GET
    @Path("/mass-balance")
    @Operation(operationId = "reportMassBalance", summary = "Report lot mass balance",
            description = "Per closed recycling lot: the assayed metal against what the declared input (mass and chemistry) can plausibly contain, and the"
            + " input against the registered battery masses; implausible assays flagged. region: the recycler's")
    public Response massBalance(@QueryParam("recycler") @Parameter(description = "one recycler's credit code") String recycler,
            @QueryParam("flagged") @DefaultValue("false") @Parameter(description = "true: only lots with a finding") boolean flagged,
            @QueryParam("region") @Parameter(description = REGION) String region,
            @QueryParam("format") @Parameter(description = TableResponses.FORMAT_DESCRIPTION) String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        RegionScope scope = readPolicy.requireOversight();
        return TableResponses.render(lots.massBalanceTable(recycler, flagged, scope.narrowedTo(RegionScope.of(region))), format, accept, "mass-balance");
    }

    /** [from, to) where either may be absent: null = unbounded. */
    static Instant[] optionalWindow(String from, String to) {
        Instant start = from == null ? null : TimeRange.instant("from", from);
        Instant end = to == null ? null : TimeRange.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.badRequest("bad-range", "from " + start + " must be before to " + end);
        }
        return new Instant[] {start, end};
    }
}
