package org.batterytrace.server.log;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.cache.CachePolicy;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The transparency log: checkpoints, proofs and leaf hashes are public; record contents follow the read policy. */
@Path("/log")
@Tag(name = "log")
@Produces(MediaType.APPLICATION_JSON)
public class LogResource {
    private static final int MAX_ENTRIES = 1000;

    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    ReadPolicy readPolicy;

    @Schema(name = "Checkpoint", requiredProperties = {"origin", "size", "rootHash", "note"})
    public record CheckpointView(String origin, long size, String rootHash, @Schema(description = "C2SP signed note") String note) {
    }

    @Schema(name = "LogKey", description = "Pin verifierKey in auditors' tools")
    public record LogKeyView(String origin, String verifierKey) {
    }

    @Schema(name = "InclusionProof")
    public record InclusionView(long logIndex, long treeSize, String leafHash, List<String> proof, String checkpoint) {
    }

    @Schema(name = "ConsistencyProof")
    public record ConsistencyView(long first, long second, List<String> proof) {
    }

    @GET
    @Path("/key")
    @Operation(operationId = "getLogKey", summary = "Get the log's verifier key",
            description = "The log's note verifier key.")
    public RestResponse<LogKeyView> key() {
        return cached(new LogKeyView(signer.origin(), signer.noteKey().verifierKey()), CachePolicy.publicFor(java.time.Duration.ofDays(1)));
    }

    @GET
    @Path("/checkpoint")
    @Operation(operationId = "getCheckpoint", summary = "The published signed checkpoint",
            description = "The latest checkpoint, or, with witnesses configured, the latest cosigned one unless it lags by more than trace.cosigning.publish-wait. "
                    + "JSON by default; Accept: text/plain gives the C2SP signed note alone.")
    @APIResponse(responseCode = "200", description = "The checkpoint", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING, description = "C2SP signed note"))})
    public RestResponse<CheckpointView> checkpoint() {
        return cached(published(), CachePolicy.REVALIDATE);
    }

    private CheckpointView published() {
        CheckpointEntity c = integrator.published();
        if (c == null) {
            throw new ProblemException(ProblemKind.NO_CHECKPOINT, "the log has not published a checkpoint yet");
        }
        return new CheckpointView(signer.origin(), c.size, c.rootHash, c.note);
    }

    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true) // documented with getCheckpoint as its text/plain answer
    public RestResponse<String> checkpointNote() {
        return cached(published().note(), CachePolicy.REVALIDATE);
    }

    @GET
    @Path("/proofs/inclusion")
    @Operation(operationId = "getInclusionProof", summary = "Get an inclusion proof",
            description = "Inclusion proof of an entry (by index or record hash) in the tree of a published checkpoint (default: latest).")
    public RestResponse<InclusionView> inclusion(@QueryParam("index") Long index, @QueryParam("hash") String hash, @QueryParam("treeSize") Long treeSize) {
        if ((index == null) == (hash == null)) {
            throw new ProblemException(ProblemKind.INVALID_REQUEST, "give exactly one of index or hash");
        }
        long idx;
        if (hash != null) {
            LogEntryEntity entry = LogEntryEntity.byHash(hash);
            if (entry == null) {
                throw new ProblemException(ProblemKind.RECORD_NOT_FOUND, "no logged record has hash " + hash);
            }
            idx = entry.idx;
        } else {
            idx = index;
        }
        CheckpointEntity checkpoint = treeSize == null ? CheckpointEntity.latest() : CheckpointEntity.findById(treeSize);
        if (checkpoint == null) {
            throw new ProblemException(ProblemKind.NO_CHECKPOINT, treeSize == null ? "no checkpoint yet" : "no checkpoint was published for tree size " + treeSize);
        }
        if (idx < 0 || idx >= checkpoint.size) {
            throw new ProblemException(ProblemKind.NOT_YET_COVERED, "entry " + idx + " is not in the tree of size " + checkpoint.size
                    + (idx >= 0 ? "; entries are covered by a checkpoint within about a second" : ""));
        }
        long size = checkpoint.size;
        List<String> proof = log.read(size, tree -> tree.inclusionProof(idx, size)).stream().map(Hashes::hex).toList();
        String leaf = Hashes.hex(log.read(size, tree -> tree.leafHash(idx)));
        return cached(new InclusionView(idx, size, leaf, proof, checkpoint.note), CachePolicy.pinned(treeSize != null));
    }

    @GET
    @Path("/proofs/consistency")
    @Operation(operationId = "getConsistencyProof", summary = "Get a consistency proof",
            description = "Consistency proof between two published tree sizes.")
    public RestResponse<ConsistencyView> consistency(@QueryParam("first") @Min(1) long first, @QueryParam("second") Long second) {
        CheckpointEntity to = second == null ? CheckpointEntity.latest() : CheckpointEntity.findById(second);
        if (to == null) {
            throw new ProblemException(ProblemKind.NO_CHECKPOINT, "no checkpoint was published for tree size " + second);
        }
        if (first < 1 || first > to.size) {
            throw new ProblemException(ProblemKind.INVALID_REQUEST, "need 1 <= first <= second, got first=" + first + " second=" + to.size);
        }
        long size = to.size;
        List<String> proof = log.read(size, tree -> tree.consistencyProof(first, size)).stream().map(Hashes::hex).toList();
        return cached(new ConsistencyView(first, size, proof), CachePolicy.pinned(second != null));
    }

    /** A 200 with its cache policy; {@link org.batterytrace.server.cache.ConditionalGet} adds the ETag and answers 304s. */
    public static <T> RestResponse<T> cached(T entity, String cacheControl) {
        return RestResponse.ResponseBuilder.ok(entity).header(jakarta.ws.rs.core.HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @Schema(name = "LogEntry", description = "A log leaf: its hash for everyone; the signed record and its chain hash only for readers of its chain")
    public record EntryView(long logIndex, @Schema(description = "RFC 9162 leaf hash, hex") String leafHash,
            @Schema(description = "SHA-256 of the signed record (readers only)") String hash,
            @Schema(implementation = org.batterytrace.server.record.RecordDtos.SignedRecordDoc.class, description = "the signed record (readers only)") JsonNode entry) {
    }

    @GET
    @Path("/entries")
    @Operation(operationId = "listLogEntries", summary = "List log entries",
            description = "Log entries [start, end), at most 1000: leaf hashes for everyone, the signed records to those who may read their chains.")
    public List<EntryView> entries(@QueryParam("start") @DefaultValue("0") @Min(0) long start, @QueryParam("end") Long end) {
        long stop = end == null ? start + 100 : end;
        if (stop <= start || stop - start > MAX_ENTRIES) {
            throw new ProblemException(ProblemKind.INVALID_RANGE, "need start < end and at most " + MAX_ENTRIES + " entries per request");
        }
        List<LogEntryEntity> entries = log.entries(start, stop);
        Set<String> readable = readPolicy.readable(entries.stream().map(e -> e.subject).toList());
        return entries.stream().map(e -> {
            byte[] canonical = e.envelope.getBytes(StandardCharsets.UTF_8);
            String leaf = Hashes.hex(TreeHash.leaf(canonical));
            return readable.contains(e.subject) ? new EntryView(e.idx, leaf, e.hash, Json.parse(canonical)) : new EntryView(e.idx, leaf, null, null);
        }).toList();
    }
}
