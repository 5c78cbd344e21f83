package org.batterytrace.server.recycling;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.batterytrace.export.Epcis;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.evidence.EvidenceDocs;
import org.batterytrace.server.evidence.EvidenceService;
import org.batterytrace.server.export.EpcisDocs;
import org.batterytrace.server.export.EpcisResource;
import org.batterytrace.server.export.EpcisService;
import org.batterytrace.server.record.RecordDtos.LoggedView;
import org.batterytrace.server.record.RecordResource;
import org.batterytrace.server.time.TraceClock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Recycling lots: opened, fed and closed through signed records (LOT_OPENED, RECYCLED, LOT_CLOSED); read here. */
@Path("/lots")
@Tag(name = "recycling")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class LotResource {
    @Inject
    TraceClock clock;
    @Inject
    Caller caller;
    @Inject
    LotService lots;
    @Inject
    EvidenceService evidence;
    @Inject
    ReadPolicy readPolicy;

    /** 401 without a token, 400/404 for a malformed or unknown lot, 403 for a caller who may not read its records. */
    private void requireReadable(String id) {
        caller.requireAuthenticated();
        lots.require(id);
        readPolicy.requireRecords(id);
    }

    @GET
    @Operation(operationId = "listLots", summary = "List recycling lots",
            description = "Recycling lots, oldest first, filtered by recycler, state (open, closed), process, opening time [from, to), the recycler's region,"
            + " or flagged=true for lots whose mass balance has a finding; each with its input and mass-balance verdict (a regulator, or a recycler for its own lots)")
    public LotDtos.LotPage list(@QueryParam("recycler") String recycler, @QueryParam("state") @Parameter(description = "open or closed") String state,
            @QueryParam("process") String process,
            @QueryParam("from") @Parameter(description = "opened at or after: RFC 3339 date-time with any offset, or a date (Beijing time)") String from,
            @QueryParam("to") @Parameter(description = "opened before; as from") String to,
            @QueryParam("region") @Parameter(description = "administrative division code or prefix of the recycler (43, 4301, 430100)") String region,
            @QueryParam("flagged") @DefaultValue("false") boolean flagged,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(TraceApplication.MAX_PAGE) int page, @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        RegionScope scope;
        if (recycler == null) {
            scope = readPolicy.requireOversight().narrowedTo(RegionScope.of(region));
        } else {
            readPolicy.requireOrganizationData(recycler);
            scope = RegionScope.of(region);
        }
        Instant start = from == null ? null : TimeRange.instant("from", from);
        Instant end = to == null ? null : TimeRange.instant("to", to);
        return lots.list(new LotService.Filter(recycler, LotService.lotState(state), process, start, end, scope, flagged), page, size);
    }
    @Inject
    EpcisService epcisService;
    @Context
    UriInfo uri;

    @GET
    @Path("/{id}")
    @Operation(operationId = "getLot", summary = "Get a recycling lot",
            description = "A recycling lot: inputs by mass, its mass balance, and once closed its recovery rates against the CN 2024 and EU 2027/2031 targets.")
    public LotDtos.Lot lot(@PathParam("id") String id) {
        requireReadable(id);
        return lots.view(id);
    }

    @GET
    @Path("/{id}/inputs")
    @Operation(operationId = "listLotInputs", summary = "List a lot's inputs",
            description = "The batteries a lot consumed, with their masses.")
    public List<LotDtos.Input> inputs(@PathParam("id") String id) {
        requireReadable(id);
        return lots.inputs(id);
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "getLotHistory", summary = "Get a lot's signed records",
            description = "The lot's signed records in chain order.")
    public List<LoggedView> history(@PathParam("id") String id) {
        requireReadable(id);
        return lots.history(id).stream().map(RecordResource::view).toList();
    }

    @GET
    @Path("/{id}/epcis")
    @Produces({EpcisResource.LD_JSON, MediaType.APPLICATION_JSON})
    @Operation(operationId = "getLotEpcis", summary = "Get a lot as EPCIS",
            description = "The lot as GS1 EPCIS 2.0: its opening, the RECYCLED inputs and the closing outputs, one transformation (transformationID = the lot).")
    @APIResponse(responseCode = "200", description = "The EPCIS document", content = {@Content(mediaType = EpcisResource.LD_JSON, schema = @Schema(implementation = EpcisDocs.Document.class)), @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisDocs.Document.class))})
    public JsonNode epcis(@PathParam("id") String id) {
        requireReadable(id);
        return Epcis.document(epcisService.lot(id), clock.now(), EpcisResource.contextUrl(uri));
    }

    @GET
    @Path("/{id}/evidence")
    @Operation(operationId = "getLotEvidence", summary = "Get a lot's evidence bundle",
            description = "Evidence bundle of the lot's chain for offline verification.")
    @APIResponse(responseCode = "200", description = "The evidence bundle", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvidenceDocs.Bundle.class)))
    public JsonNode evidence(@PathParam("id") String id) {
        requireReadable(id);
        return evidence.bundle(id, lots.history(id)).toJson();
    }
}
