package org.batterytrace.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record with its signatures: {@code {"record": {...}, "signatures": [...]}}. Its canonical form is
 * the log leaf, and its SHA-256 is the chain hash the next record names in {@code prev}.
 */
public final class SignedRecord {
    private final TraceRecord record;
    /** An actor and a receiver sign, each with at most a few keys; more is refused before any is verified. */
    public static final int MAX_SIGNATURES = 8;
    private final List<RecordSignature> signatures;
    private volatile byte[] canonical;
    private volatile String hash;
    private volatile byte[] hashBytes;
    private volatile byte[] leafHash;

    private SignedRecord(TraceRecord record, List<RecordSignature> signatures) {
        this.record = Objects.requireNonNull(record, "record");
        if (signatures.isEmpty()) {
            throw new RecordFormatException("a signed record needs at least one signature");
        }
        this.signatures = List.copyOf(signatures);
    }

    public static SignedRecord of(TraceRecord record, List<RecordSignature> signatures) {
        return new SignedRecord(record, signatures);
    }

    public static SignedRecord sign(TraceRecord record, SigningKey... keys) {
        List<RecordSignature> signatures = new ArrayList<>();
        for (SigningKey key : keys) {
            signatures.add(key.sign(record));
        }
        return new SignedRecord(record, signatures);
    }

    /** The same record with one more signature (the receiver's acceptance of a transfer). */
    public SignedRecord withSignature(RecordSignature signature) {
        List<RecordSignature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new SignedRecord(record, all);
    }

    public static SignedRecord fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException("signed record must be an object {record, signatures}");
        }
        Fields.requireExactly(node, "signed record", "record", "signatures");
        TraceRecord record = TraceRecord.fromJson(node.get("record"));
        JsonNode array = Fields.array(node, "signatures", "signed record");
        if (array.size() > MAX_SIGNATURES) {
            throw new RecordFormatException("signed record holds " + array.size() + " signatures, more than " + MAX_SIGNATURES);
        }
        List<RecordSignature> signatures = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            signatures.add(RecordSignature.fromJson(item));
        }
        return new SignedRecord(record, signatures);
    }

    public static SignedRecord parse(String json) {
        return fromJson(Json.parse(json));
    }

    public static SignedRecord parse(byte[] json) {
        return fromJson(Json.parse(json));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.set("record", record.toJson());
        ArrayNode array = node.putArray("signatures");
        for (RecordSignature signature : signatures) {
            array.add(signature.toJson());
        }
        return node;
    }

    /**
     * RFC 8785 form of the whole envelope. Assembled from the record's cached canonical bytes: the
     * member names "record" and "signatures" are already in canonical order.
     */
    public byte[] canonicalBytes() {
        return canonicalBytesShared().clone();
    }

    /**
     * The canonical envelope without a copy, read-only: for writers that stream it (a log append of
     * thousands of records copies nothing per record).
     */
    public ByteBuffer canonicalView() {
        return ByteBuffer.wrap(canonicalBytesShared()).asReadOnlyBuffer();
    }

    byte[] canonicalBytesShared() {
        byte[] bytes = canonical;
        if (bytes == null) {
            List<byte[]> signatureBytes = new ArrayList<>(signatures.size());
            for (RecordSignature signature : signatures) {
                signatureBytes.add(signature.canonicalBytes());
            }
            bytes = Jcs.object().canonicalMember("record", record.canonicalBytesShared()).canonicalArray("signatures", signatureBytes).toByteArray();
            canonical = bytes;
        }
        return bytes;
    }

    /** Hex SHA-256 of the canonical envelope: the chain hash. */
    public String hash() {
        String h = hash;
        if (h == null) {
            h = Hashes.hex(hashBytesShared());
            hash = h;
        }
        return h;
    }

    /** {@link #hash()} as its 32 bytes. */
    public byte[] hashBytes() {
        return hashBytesShared().clone();
    }

    private byte[] hashBytesShared() {
        byte[] h = hashBytes;
        if (h == null) {
            h = Hashes.sha256(canonicalBytesShared());
            hashBytes = h;
        }
        return h;
    }

    /**
     * The record's leaf hash in the log, SHA-256(0x00 || canonical envelope) (RFC 9162 section 2.1.1, as
     * {@code log.TreeHash.leaf}), kept once computed: the server computes it on all cores while it checks
     * signatures, so a log append under the lock only reads it.
     */
    public byte[] leafHash() {
        byte[] h = leafHash;
        if (h == null) {
            h = Hashes.sha256((byte) 0x00, canonicalBytesShared());
            leafHash = h;
        }
        return h.clone();
    }

    public TraceRecord record() {
        return record;
    }

    public List<RecordSignature> signatures() {
        return signatures;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRecord other && java.util.Arrays.equals(canonicalBytesShared(), other.canonicalBytesShared());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(canonicalBytesShared());
    }

    @Override
    public String toString() {
        return record + " " + signatures;
    }
}
