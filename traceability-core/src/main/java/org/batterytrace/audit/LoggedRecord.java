package org.batterytrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;

/** A signed record with its position in the log and its inclusion proof against the bundle's checkpoint. */
public record LoggedRecord(SignedRecord entry, long logIndex, List<byte[]> proof) {
    public LoggedRecord {
        proof = List.copyOf(proof);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.set("entry", entry.toJson());
        node.put("logIndex", logIndex);
        ArrayNode array = node.putArray("proof");
        proof.forEach(hash -> array.add(Hashes.hex(hash)));
        return node;
    }

    public static LoggedRecord fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException(where + " must be an object {entry, logIndex, proof}");
        }
        Fields.requireExactly(node, where, "entry", "logIndex", "proof");
        long index = Fields.integer(node, "logIndex", where);
        if (index < 0) {
            throw new RecordFormatException(where + ".logIndex must not be negative");
        }
        JsonNode hashes = Fields.array(node, "proof", where);
        BundleLimit.INCLUSION_PROOF_HASHES.check(hashes.size(), where + ".proof");
        JsonNode signatures = node.path("entry").path("signatures");
        if (signatures.isArray()) {
            BundleLimit.SIGNATURES_PER_RECORD.check(signatures.size(), where + ".entry.signatures");
        }
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode hash : hashes) {
            if (!hash.isTextual() || !Hashes.isSha256Hex(hash.textValue())) {
                throw new RecordFormatException(where + ".proof must hold 64-hex SHA-256 hashes");
            }
            proof.add(Hashes.fromHex(hash.textValue()));
        }
        try {
            SignedRecord entry = SignedRecord.fromJson(node.get("entry"));
            entry.canonicalBytes(); // computed here, so that a bundle that cannot be canonicalized fails as malformed, not mid-verification
            return new LoggedRecord(entry, index, proof);
        } catch (org.batterytrace.record.CanonicalizationException e) {
            // A number trace-record/1 cannot canonicalize (a fraction, beyond 2^53): not a bundle, not a crash.
            throw new RecordFormatException(where + ".entry: " + e.getMessage());
        }
    }
}
