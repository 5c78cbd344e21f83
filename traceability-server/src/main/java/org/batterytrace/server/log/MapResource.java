package org.batterytrace.server.log;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.server.cache.CachePolicy;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Proofs from the log-derived map. Public: a proof reveals a chain's latest seq, log index and record
 * hash, or a key's status, and hashes of the rest of the map — no record content.
 */
@Path("/log/map")
@Tag(name = "log")
@Produces(MediaType.APPLICATION_JSON)
public class MapResource {
    @Inject
    LogMapStore map;

    @Schema(name = "MapOtherLeaf", description = "the other key's leaf where a non-membership proof's path ends")
    public record OtherLeafDoc(String keyHash, String valueHash) {
    }

    @Schema(name = "MapProofBody", description = "docs/record-format.md §7.3; siblings bottom-up, an empty subtree as 64 zeros")
    public record MapProofDoc(String key,
            @Schema(implementation = Object.class, nullable = true, description = "head: {seq, logIndex, hash}; key: {status: active|revoked, logIndex}; null when absent") Object value,
            @Schema(nullable = true) OtherLeafDoc otherLeaf, List<String> siblings) {
    }

    @Schema(name = "MapProof")
    public record MapProofView(String key, @Schema(description = "false proves the key absent: e.g. a battery code never logged") boolean present,
            long treeSize, String mapRoot, @Schema(description = "C2SP signed note whose trace-map/1 line names mapRoot") String checkpoint,
            @Schema(implementation = MapProofDoc.class) JsonNode proof) {
    }

    @GET
    @Path("/proof")
    @Operation(operationId = "getMapProof", summary = "Get a map proof",
            description = "Membership or non-membership proof of a map key (head:<battery code, lot id or organization> or key:<key id>)"
            + " against the latest checkpoint that names a map root (on a server sharing its database with others, the latest one"
            + " this instance signed or stored).")
    public RestResponse<MapProofView> proof(@QueryParam("key") String key, @QueryParam("treeSize") Long treeSize) {
        if (!MapLabels.isValid(key)) {
            throw new ProblemException(ProblemKind.INVALID_MAP_KEY, "key must be head:<subject> (1-128 characters, no spaces or control characters)"
                    + " or key:<64 lower-case hex key id>");
        }
        LogMapStore.Proven proven = map.prove(List.of(key));
        if (treeSize != null && treeSize != proven.size()) {
            throw new ProblemException(ProblemKind.MAP_PROOF_UNAVAILABLE, "map proofs are served for the latest map checkpoint only, now of size "
                    + proven.size() + "; ask without treeSize, then check consistency from your checkpoint to that one");
        }
        CheckpointEntity checkpoint = CheckpointEntity.findById(proven.size());
        if (checkpoint == null || checkpoint.mapRoot == null) {
            throw new ProblemException(ProblemKind.NO_CHECKPOINT, "the log has not published a checkpoint with a map root yet");
        }
        MapProof proof = proven.proofs().get(0);
        return LogResource.cached(new MapProofView(key, proof.value() != null, proven.size(), checkpoint.mapRoot, checkpoint.note, proof.toJson()),
                CachePolicy.pinned(treeSize != null));
    }
}
