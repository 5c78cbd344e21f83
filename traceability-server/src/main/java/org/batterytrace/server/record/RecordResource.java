package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.TraceApplication;
import org.batterytrace.server.WorkerThread;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.problem.Problems;
import org.batterytrace.server.record.RecordDtos.AcceptedView;
import org.batterytrace.server.record.RecordDtos.BatchDoc;
import org.batterytrace.server.record.RecordDtos.BatchResult;
import org.batterytrace.server.record.RecordDtos.LoggedView;
import org.batterytrace.server.record.RecordDtos.PrepareRequest;
import org.batterytrace.server.record.RecordDtos.Prepared;
import org.batterytrace.server.record.RecordDtos.SignedRecordDoc;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/records")
@Tag(name = "records")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RecordResource {
    @Inject
    Caller caller;
    @Inject
    PrepareService prepare;
    @Inject
    RecordIngest ingest;
    @Inject
    ReadPolicy readPolicy;

    @POST
    @Path("/prepare")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "prepareRecord", summary = "Prepare a record to sign",
            description = "Fill in the next record of a battery's chain and return the canonical bytes to sign.")
    public Prepared prepare(@Valid @NotNull PrepareRequest request) {
        return prepare.prepare(request, caller.requireOrganization());
    }

    @POST
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "submitRecord", summary = "Submit a signed record",
            description = "Submit one signed record; returns its durable log index. Retrying the identical record is safe: it is answered with its first acknowledgement.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SignedRecordDoc.class)))
    @APIResponse(responseCode = "201", description = "Logged", content = @Content(schema = @Schema(implementation = AcceptedView.class)))
    @APIResponse(responseCode = "200", description = "Logged before (an identical resubmission): the original acknowledgement",
            content = @Content(schema = @Schema(implementation = AcceptedView.class)))
    @NonBlocking
    public Uni<RestResponse<AcceptedView>> submit(@NotNull JsonNode body) {
        // On the HTTP event loop: usually checked from memory and queued for the group commit with no thread hand-off,
        // the answer sent when the group commits; what needs the database goes on on a worker thread.
        SignedRecord record = SignedRecord.fromJson(body);
        Caller.Credential credential = caller.requireCredential();
        CompletableFuture<RecordIngest.Accepted> queued = ingest.submitFromMemory(record, credential);
        if (queued != null) {
            return Uni.createFrom().completionStage(queued).map(RecordResource::submitted);
        }
        return WorkerThread.call(() -> submitted(ingest.submit(List.of(record), credential, RecordIngest.Mode.ANY).get(0)));
    }

    /** 201, or 200 for an identical resubmission answered with its first acknowledgement. */
    private static RestResponse<AcceptedView> submitted(RecordIngest.Accepted accepted) {
        return RestResponse.status(RestResponse.Status.fromStatusCode(accepted.replayed() ? 200 : 201), AcceptedView.of(accepted));
    }

    @POST
    @Path("/bulk")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "submitRecords", summary = "Submit signed records in bulk",
            description = "Submit many signed records at once: all are stored or none (422 lists every failing item); records logged before are answered with their first acknowledgement.")
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchDoc.class)))
    @APIResponse(responseCode = "201", description = "Logged", content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "200", description = "Every record was logged before (an identical resubmission): the original acknowledgements",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    public RestResponse<BatchResult> bulk(@NotNull JsonNode body) {
        return respond(BatchResult.of(ingest.submit(RecordBatches.parse(body), caller.requireCredential(), RecordIngest.Mode.ANY)));
    }

    /** 201, or 200 for a batch that only repeats what is logged already. */
    public static RestResponse<BatchResult> respond(BatchResult result) {
        return RestResponse.status(RestResponse.Status.fromStatusCode(result.status()), result);
    }

    @GET
    @Path("/{hash}")
    @SecurityRequirement(name = TraceApplication.BEARER)
    @Operation(operationId = "getRecord", summary = "Get a record by hash",
            description = "A logged record by its hash (readers of its chain).")
    public LoggedView byHash(@PathParam("hash") String hash) {
        caller.requireAuthenticated();
        LogEntryEntity entry = LogEntryEntity.byHash(hash);
        if (entry == null) {
            throw new ProblemException(ProblemKind.RECORD_NOT_FOUND, "no logged record has hash " + hash);
        }
        readPolicy.requireRecords(entry.subject);
        return view(entry);
    }

    public static LoggedView view(LogEntryEntity entry) {
        return new LoggedView(entry.idx, entry.hash, Json.parse(entry.envelope));
    }
}
