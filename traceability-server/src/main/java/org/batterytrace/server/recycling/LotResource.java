package org.batterytrace.server.recycling;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.evidence.EvidenceService;
import org.batterytrace.server.record.RecordDtos.LoggedView;
import org.batterytrace.server.record.RecordResource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Recycling lots: opened, fed and closed through signed records (LOT_OPENED, RECYCLED, LOT_CLOSED); read here. */
@Path("/lots")
@Tag(name = "recycling")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class LotResource {
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
    @Path("/{id}")
    @Operation(summary = "A recycling lot: inputs by mass, and once closed its recovery rates against the CN 2024 and EU 2027/2031 targets")
    public LotDtos.Lot lot(@PathParam("id") String id) {
        requireReadable(id);
        return lots.view(id);
    }

    @GET
    @Path("/{id}/inputs")
    @Operation(summary = "The batteries a lot consumed, with their masses")
    public List<LotDtos.Input> inputs(@PathParam("id") String id) {
        requireReadable(id);
        return lots.inputs(id);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "The lot's signed records in chain order")
    public List<LoggedView> history(@PathParam("id") String id) {
        requireReadable(id);
        return lots.history(id).stream().map(RecordResource::view).toList();
    }

    @GET
    @Path("/{id}/evidence")
    @Operation(summary = "Evidence bundle of the lot's chain for offline verification")
    public JsonNode evidence(@PathParam("id") String id) {
        requireReadable(id);
        return evidence.bundle(id, lots.history(id)).toJson();
    }
}
