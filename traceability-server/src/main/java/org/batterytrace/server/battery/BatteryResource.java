package org.batterytrace.server.battery;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.evidence.EvidenceService;
import org.batterytrace.server.export.EpcisService;
import org.batterytrace.server.export.PassportService;
import org.batterytrace.server.record.RecordDtos.BatchDoc;
import org.batterytrace.server.record.RecordDtos.BatchResult;
import org.batterytrace.server.record.RecordDtos.LoggedView;
import org.batterytrace.server.record.RecordBatches;
import org.batterytrace.server.record.RecordIngest;
import org.batterytrace.server.record.RecordResource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/batteries")
@Tag(name = "batteries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BatteryResource {
    @Inject
    Caller caller;
    @Inject
    BatteryService batteries;
    @Inject
    EvidenceService evidence;
    @Inject
    RecordIngest ingest;
    @Inject
    EpcisService epcisService;
    @Inject
    CascadeCodeService cascadeCodes;
    @Inject
    PassportService passports;
    @Inject
    ReadPolicy readPolicy;

    /** 401 without a token, 400/404 for a malformed or unknown code, 403 for a caller who may not read its records. */
    private void requireReadable(String code) {
        caller.requireAuthenticated();
        batteries.require(code);
        readPolicy.requireRecords(code);
    }

    @POST
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "Register batteries in bulk: signed PRODUCED (or ASSEMBLED) records, packs before their modules and cells; safe to retry")
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchDoc.class)))
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "200", description = "Every record was logged before (an identical resubmission): the original acknowledgements",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    public RestResponse<BatchResult> register(@NotNull JsonNode body) {
        String actor = caller.requireOrganization().id;
        return RecordResource.respond(BatchResult.of(ingest.submit(RecordBatches.parse(body), actor, RecordIngest.Mode.REGISTRATION)));
    }

    @POST
    @Path("/cascade-codes")
    @ResponseStatus(201)
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "Issue new 19-character cascade-product codes under the cascade enterprise's manufacturer code (register them with ASSEMBLED)")
    public CascadeCodeService.Issued cascadeCodes(@NotNull CascadeCodeService.Request request) {
        return cascadeCodes.issue(caller.requireOrganization(), request);
    }

    @GET
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "Find batteries by state, custodian, maker or level, a page at a time; lists only batteries whose records the caller may read")
    public BatteryDtos.Page search(@QueryParam("state") BatteryState state, @QueryParam("custodian") String custodian, @QueryParam("maker") String maker,
            @QueryParam("level") ProductLevel level, @QueryParam("page") @DefaultValue("0") @Min(0) @Max(TraceApplication.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return batteries.search(state, custodian, maker, level, page, size, readPolicy.batteryCondition());
    }

    @GET
    @Path("/{code}/summary")
    @Operation(summary = "Public summary of a battery: identity, chemistry, maker (no token needed)")
    public BatteryDtos.Summary summary(@PathParam("code") String code) {
        return BatteryDtos.Summary.of(batteries.require(code));
    }

    @GET
    @Path("/{code}")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "Battery details: state, custodian, pack/module/cell and cascade links")
    public BatteryDtos.Details details(@PathParam("code") String code) {
        requireReadable(code);
        return batteries.details(code);
    }

    @GET
    @Path("/{code}/history")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "The battery's signed records in chain order, with log indexes")
    public List<LoggedView> history(@PathParam("code") String code) {
        requireReadable(code);
        return batteries.history(code).stream().map(RecordResource::view).toList();
    }

    @GET
    @Path("/{code}/epcis")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "The battery's records as a GS1 EPCIS 2.0 JSON-LD document (mapping: docs/epcis-mapping.md)")
    public JsonNode epcis(@PathParam("code") String code) {
        requireReadable(code);
        return epcisService.document(batteries.history(code));
    }

    @GET
    @Path("/{code}/passport")
    @Operation(summary = "EU battery-passport view; the caller's role selects the tier: public (no token), legitimate interest, authority")
    public JsonNode passport(@PathParam("code") String code) {
        BatteryEntity battery = batteries.require(code);
        return passports.passport(code, PassportService.tier(caller.isAdmin(), caller.organization().orElse(null), battery));
    }

    @GET
    @Path("/{code}/evidence")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(summary = "Evidence bundle (trace-evidence/2: records, key events, inclusion and map proofs, the checkpoint with its witness cosignatures) for offline verification with the core's verifier")
    public JsonNode evidence(@PathParam("code") String code) {
        requireReadable(code);
        return evidence.bundle(code).toJson();
    }
}
