package org.batterytrace.server.evidence;

import java.util.List;
import org.batterytrace.server.log.MapResource.MapProofDoc;
import org.batterytrace.server.record.RecordDtos.SignedRecordDoc;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Schema of the evidence bundle (core {@code EvidenceBundle}, docs/record-format.md §8), for the contract only. */
public final class EvidenceDocs {
    private EvidenceDocs() {
    }

    @Schema(name = "EvidenceBundle", description = "trace-evidence/3: everything the offline verifier needs to check a chain against a signed checkpoint (docs/record-format.md §8)")
    public record Bundle(@Schema(required = true, enumeration = "trace-evidence/3") String format,
            @Schema(required = true, description = "battery code or lot id") String subject,
            @Schema(required = true, description = "C2SP signed note with its trace-map/1 line and any witness cosignature lines") String checkpoint,
            @Schema(required = true, description = "every key event of every organization that appears, in log order") List<Entry> keyEvents,
            @Schema(required = true, description = "the organization facts the records' rules read, in log order: the ORG-<id> chain (registration with roles and"
                    + " filed manufacturer codes, white-list decisions) of every actor and receiver, and the MFR-<code> filing of a new battery's manufacturer code")
            List<Entry> organizationFacts,
            @Schema(required = true, description = "the subject's chain in seq order") List<Entry> records,
            @Schema(required = true, description = "the whole chains, in log order, of the batteries and lots the records link to: cascade sources, parents,"
                    + " parts, lots (docs/record-format.md §9.2)") List<Entry> linkedRecords,
            @Schema(description = "map proofs of head:<subject>, key:<keyId> for every signing key and head:<chain> for every facts chain and linked chain the rules read, against the checkpoint's map root") List<MapProofDoc> mapProofs,
            @Schema(description = "a later cosigned checkpoint with the consistency proof from this bundle's tree size, when witnesses answered for a later one") WitnessedCheckpoint witnessedCheckpoint) {
    }

    @Schema(name = "EvidenceEntry", description = "A logged entry with its RFC 9162 inclusion proof in the tree of the bundle's checkpoint")
    public record Entry(@Schema(required = true) SignedRecordDoc entry, @Schema(required = true) long logIndex,
            @Schema(required = true, description = "hex hashes") List<String> proof) {
    }

    @Schema(name = "WitnessedCheckpoint")
    public record WitnessedCheckpoint(@Schema(required = true, description = "C2SP signed note with witness cosignatures") String note,
            @Schema(required = true, description = "RFC 9162 consistency proof, hex hashes") List<String> consistencyProof) {
    }
}
