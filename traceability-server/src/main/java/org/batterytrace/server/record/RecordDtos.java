package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the record endpoints. Signed records are parsed strictly by the core, so their schemas here document only. */
public final class RecordDtos {
    private RecordDtos() {
    }

    @Schema(name = "TraceRecord", description = "trace-record/1; see docs/record-format.md",
            requiredProperties = {"format", "subject", "seq", "prev", "type", "time", "actor", "data"})
    public record RecordDoc(@Schema(examples = "trace-record/1") String format, String subject, long seq,
            @Schema(nullable = true, description = "hex SHA-256 of the previous signed record; null for seq 1") String prev,
            @Schema(examples = "RETIRED") String type, @Schema(examples = "2026-09-01T08:00:00Z") String time, String actor,
            Map<String, Object> data) {
    }

    @Schema(name = "RecordSignature", requiredProperties = {"keyId", "alg", "value"})
    public record SignatureDoc(@Schema(description = "hex SHA-256 of the signer's SubjectPublicKeyInfo") String keyId,
            @Schema(enumeration = {"Ed25519", "SM2", "ES256"}) String alg, @Schema(description = "base64url signature") String value) {
    }

    @Schema(name = "SignedRecord", requiredProperties = {"record", "signatures"})
    public record SignedRecordDoc(RecordDoc record, List<SignatureDoc> signatures) {
    }

    @Schema(name = "RecordBatch")
    public record BatchDoc(List<SignedRecordDoc> records) {
    }

    @Schema(name = "PrepareRequest", description = "The server fills format, seq, prev, actor (your organization) and, unless given, time")
    public record PrepareRequest(@NotBlank String subject, @NotBlank String type,
            @Schema(description = "RFC 3339 UTC; defaults to now") String time,
            @Schema(implementation = Object.class, description = "event data; integers or strings only") ObjectNode data) {
    }

    @Schema(name = "PreparedRecord")
    public record Prepared(@Schema(implementation = RecordDoc.class) JsonNode record,
            @Schema(description = "the RFC 8785 canonical JSON to sign, as text") String canonical,
            @Schema(description = "the same bytes, base64url") String canonicalBase64Url) {
    }

    @Schema(name = "AcceptedRecord", requiredProperties = {"subject", "seq", "hash", "logIndex", "replayed"}, description = "The log index is durable once returned; a checkpoint covers it within about a second")
    public record AcceptedView(String subject, long seq, String hash, long logIndex, String state, String custodian,
            @Schema(description = "true: this identical record was logged before and this is its original acknowledgement") boolean replayed) {
        public static AcceptedView of(RecordIngest.Accepted a) {
            return new AcceptedView(a.subject(), a.seq(), a.hash(), a.logIndex(), a.state().name(), a.custodian(), a.replayed());
        }
    }

    @Schema(name = "BatchResult")
    public record BatchResult(int accepted, long firstLogIndex, long lastLogIndex, List<AcceptedView> records) {
        public static BatchResult of(List<RecordIngest.Accepted> accepted) {
            List<AcceptedView> views = accepted.stream().map(AcceptedView::of).toList();
            return new BatchResult(views.size(), views.get(0).logIndex(), views.get(views.size() - 1).logIndex(), views);
        }

        /** 200 when every record was logged before (a retry), 201 when this request logged any. */
        public int status() {
            return records.stream().allMatch(AcceptedView::replayed) ? 200 : 201;
        }
    }

    @Schema(name = "LoggedRecord")
    public record LoggedView(long logIndex, String hash, @Schema(implementation = SignedRecordDoc.class) JsonNode entry) {
    }
}
