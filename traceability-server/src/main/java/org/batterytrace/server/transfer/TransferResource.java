package org.batterytrace.server.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
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
import java.time.Instant;
import java.util.List;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.record.RecordDtos.AcceptedView;
import org.batterytrace.server.record.RecordDtos.SignatureDoc;
import org.batterytrace.server.record.RecordDtos.SignedRecordDoc;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/transfers")
@Tag(name = "transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = TraceApplication.BEARER)
public class TransferResource {
    @Inject
    Caller caller;
    @Inject
    TransferService transfers;

    @Schema(name = "Transfer")
    public record TransferView(String id, String subject, long seq, String from, String to, String status,
            @Schema(implementation = SignedRecordDoc.class, description = "the TRANSFERRED record with the custodian's signature; the receiver signs record's canonical bytes")
            JsonNode offer, Long logIndex, Instant createdAt, Instant decidedAt) {
        static TransferView of(TransferEntity t) {
            return new TransferView(t.id, t.subject, t.seq, t.fromOrg, t.toOrg, t.status.name(), Json.parse(t.offer), t.logIndex, t.createdAt, t.decidedAt);
        }
    }

    @POST
    @Operation(operationId = "offerTransfer", summary = "Offer a custody transfer",
            description = "Offer custody: a TRANSFERRED record (data.to = receiver) signed by the custodian; an identical offer again returns the pending transfer.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SignedRecordDoc.class)))
    @APIResponse(responseCode = "201", description = "Offered", content = @Content(schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "200", description = "This identical offer is pending already", content = @Content(schema = @Schema(implementation = TransferView.class)))
    public RestResponse<TransferView> offer(@NotNull JsonNode body) {
        TransferService.Offered offered = transfers.offer(SignedRecord.fromJson(body), caller.requireOrganization());
        return RestResponse.status(RestResponse.Status.fromStatusCode(offered.replayed() ? 200 : 201), TransferView.of(offered.transfer()));
    }

    @GET
    @Operation(operationId = "listTransfers", summary = "List transfers",
            description = "Transfers to (incoming, default) or from the caller's organization.")
    public List<TransferView> list(@QueryParam("direction") @DefaultValue("incoming") Direction direction, @QueryParam("status") TransferEntity.Status status) {
        return transfers.list(caller.requireOrganization(), direction == Direction.incoming, status).stream().map(TransferView::of).toList();
    }

    public enum Direction {
        incoming, outgoing
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTransfer", summary = "Get a transfer",
            description = "One transfer (parties only).")
    public TransferView get(@PathParam("id") String id) {
        return TransferView.of(transfers.visibleTo(id, caller.requireOrganization()));
    }

    @POST
    @Path("/{id}/accept")
    @Operation(operationId = "acceptTransfer", summary = "Accept a transfer",
            description = "Accept: add the receiver's signature; the record is logged and custody moves (the same acceptance again returns the first acknowledgement).")
    @RequestBody(content = @Content(schema = @Schema(implementation = SignatureDoc.class)))
    public AcceptedView accept(@PathParam("id") String id, @NotNull JsonNode signature) {
        return AcceptedView.of(transfers.accept(id, RecordSignature.fromJson(signature), caller.requireOrganization()));
    }

    @POST
    @Path("/{id}/reject")
    @Operation(operationId = "rejectTransfer", summary = "Reject or cancel a transfer",
            description = "Reject (receiver) or cancel (custodian) a pending transfer.")
    public TransferView reject(@PathParam("id") String id) {
        return TransferView.of(transfers.reject(id, caller.requireOrganization()));
    }
}
