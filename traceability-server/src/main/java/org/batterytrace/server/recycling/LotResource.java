package org.batterytrace.server.recycling;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.batterytrace.export.Epcis;
import org.batterytrace.server.export.EpcisResource;
import org.batterytrace.server.export.EpcisService;
import java.util.List;
import org.batterytrace.server.TraceApplication;
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
    EpcisService epcisService;
    @Context
    UriInfo uri;

    @GET
    @Path("/{id}")
    @Operation(summary = "A recycling lot: inputs by mass, and once closed its recovery rates against the CN 2024 and EU 2027/2031 targets")
    public LotDtos.Lot lot(@PathParam("id") String id) {
        caller.requireAuthenticated();
        return lots.view(id);
    }

    @GET
    @Path("/{id}/inputs")
    @Operation(summary = "The batteries a lot consumed, with their masses")
    public List<LotDtos.Input> inputs(@PathParam("id") String id) {
        caller.requireAuthenticated();
        return lots.inputs(id);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "The lot's signed records in chain order")
    public List<LoggedView> history(@PathParam("id") String id) {
        caller.requireAuthenticated();
        return lots.history(id).stream().map(RecordResource::view).toList();
    }

    @GET
    @Path("/{id}/epcis")
    @Produces({EpcisResource.LD_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "The lot as GS1 EPCIS 2.0: its opening, the RECYCLED inputs and the closing outputs, one transformation (transformationID = the lot)")
    public JsonNode epcis(@PathParam("id") String id) {
        caller.requireAuthenticated();
        lots.require(id);
        return Epcis.document(epcisService.lot(id), Instant.now(), EpcisResource.contextUrl(uri));
    }

    @GET
    @Path("/{id}/evidence")
    @Operation(summary = "Evidence bundle of the lot's chain for offline verification")
    public JsonNode evidence(@PathParam("id") String id) {
        caller.requireAuthenticated();
        return evidence.bundle(id, lots.history(id)).toJson();
    }
}
