package org.batterytrace.server.witness;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.batterytrace.log.AddCheckpoint;
import org.batterytrace.log.Witness;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The C2SP tlog-witness submission endpoint. Requests need no token: a checkpoint is only cosigned when
 * a configured log's key signed it and it extends what this witness saw before. Statuses are the
 * spec's; the old-size conflict answers with the witnessed size as {@code text/x.tlog.size}, as the
 * spec requires, every other refusal with a problem document.
 */
@Path("/witness")
@Tag(name = "witness")
public class WitnessResource {
    static final String TLOG_SIZE = "text/x.tlog.size";

    @Inject
    WitnessService witness;
    @Inject
    WitnessSigner signer;

    @Schema(name = "WitnessKey", description = "Pin cosignerKey in logs (trace.cosigning.witnesses.<id>.key) and auditors' tools (--witness)")
    public record WitnessKeyView(String name, String cosignerKey) {
    }

    @GET
    @Path("/key")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getWitnessKey", summary = "Get the witness key",
            description = "This witness's cosigner key (C2SP tlog-cosignature, Ed25519, type 0x04).")
    public WitnessKeyView key() {
        return new WitnessKeyView(signer.signer().name(), signer.cosignerKey().verifierKey());
    }

    @POST
    @Path("/add-checkpoint")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.TEXT_PLAIN, TLOG_SIZE, Problem.MEDIA_TYPE})
    @Operation(operationId = "addCheckpoint", summary = "Witness a checkpoint",
            description = "Submit a checkpoint with a consistency proof from the last one this witness cosigned (C2SP tlog-witness add-checkpoint).")
    @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
            description = "'old <size>' line, base64 consistency-proof lines, an empty line, the signed checkpoint note")))
    @APIResponse(responseCode = "200", description = "One cosignature line (C2SP tlog-cosignature v1, Ed25519)",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "No signature by a trusted key of the log verifies",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The old size is not the size this witness last cosigned (body: that size), or the same size with another root (a fork)",
            content = {@Content(mediaType = TLOG_SIZE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
                    @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))})
    public Response addCheckpoint(byte[] body) {
        if (body == null || body.length > AddCheckpoint.MAX_CHARS) {
            throw ProblemException.badRequest("witness-malformed", "an add-checkpoint request is at most " + AddCheckpoint.MAX_CHARS + " bytes");
        }
        try {
            String cosignature = witness.addCheckpoint(new String(body, StandardCharsets.UTF_8));
            return Response.ok(cosignature, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
        } catch (Witness.RefusedException e) {
            if (e.refusal() == Witness.Refusal.OLD_SIZE_MISMATCH) {
                return Response.status(409).type(TLOG_SIZE).entity(e.latestSize() + "\n").build();
            }
            String title = switch (e.refusal()) {
                case UNTRUSTED_SIGNATURE -> "Forbidden";
                case UNKNOWN_LOG -> "Not found";
                case FORK -> "Conflict";
                case BAD_PROOF -> "Unprocessable checkpoint";
                default -> "Bad request";
            };
            throw new ProblemException(e.refusal().status(), "witness-" + e.refusal().name().toLowerCase().replace('_', '-'), title, e.getMessage(), null);
        }
    }
}
