package org.batterytrace.log.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;

/**
 * A value in the log-derived map. Its bytes (what the leaf hash commits to) are a fixed binary layout,
 * big-endian (docs/record-format.md §7.2):
 * <ul>
 * <li>{@link Head} (labels {@code head:<subject>}): {@code 0x01 ‖ uint64 seq ‖ uint64 logIndex ‖ record hash[32]} (49 bytes);
 * <li>{@link KeyStatus} (labels {@code key:<keyId>}): {@code 0x02 ‖ status (0x00 active, 0x01 revoked) ‖ uint64 logIndex} (10 bytes).
 * </ul>
 */
public sealed interface MapValue permits MapValue.Head, MapValue.KeyStatus {
    byte HEAD = 0x01;
    byte KEY_STATUS = 0x02;

    byte[] bytes();

    ObjectNode toJson();

    /** The latest record of a chain (battery, lot or organization key events): its seq, log index and chain hash. */
    record Head(long seq, long logIndex, String hash) implements MapValue {
        public Head {
            if (seq < 1 || logIndex < 0 || !Hashes.isSha256Hex(hash)) {
                throw new IllegalArgumentException("a head needs seq >= 1, logIndex >= 0 and a hex SHA-256 hash");
            }
        }

        @Override
        public byte[] bytes() {
            return ByteBuffer.allocate(49).put(HEAD).putLong(seq).putLong(logIndex).put(Hashes.fromHex(hash)).array();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("seq", seq);
            node.put("logIndex", logIndex);
            node.put("hash", hash);
            return node;
        }
    }

    /** A key's latest key event: active since its KEY_REGISTERED entry, or revoked by its KEY_REVOKED entry. */
    record KeyStatus(boolean revoked, long logIndex) implements MapValue {
        public KeyStatus {
            if (logIndex < 0) {
                throw new IllegalArgumentException("logIndex must not be negative");
            }
        }

        @Override
        public byte[] bytes() {
            return ByteBuffer.allocate(10).put(KEY_STATUS).put((byte) (revoked ? 1 : 0)).putLong(logIndex).array();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("status", revoked ? "revoked" : "active");
            node.put("logIndex", logIndex);
            return node;
        }
    }

    /** Decodes value bytes; throws {@link IllegalArgumentException} for any other layout. */
    static MapValue decode(byte[] bytes) {
        if (bytes.length == 49 && bytes[0] == HEAD) {
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, 48);
            long seq = b.getLong();
            long index = b.getLong();
            byte[] hash = new byte[32];
            b.get(hash);
            return new Head(seq, index, Hashes.hex(hash));
        }
        if (bytes.length == 10 && bytes[0] == KEY_STATUS && (bytes[1] == 0 || bytes[1] == 1)) {
            return new KeyStatus(bytes[1] == 1, ByteBuffer.wrap(bytes, 2, 8).getLong());
        }
        throw new IllegalArgumentException("not a map value encoding");
    }

    /** Reads the JSON form of the value a label holds ({@code head:} → Head, {@code key:} → KeyStatus). */
    static MapValue fromJson(String label, JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException(where + " must be an object");
        }
        try {
            if (label.startsWith(MapLabels.HEAD)) {
                Fields.requireExactly(node, where, "seq", "logIndex", "hash");
                return new Head(Fields.integer(node, "seq", where), Fields.integer(node, "logIndex", where), Fields.text(node, "hash", where));
            }
            Fields.requireExactly(node, where, "status", "logIndex");
            String status = Fields.text(node, "status", where);
            if (!status.equals("active") && !status.equals("revoked")) {
                throw new RecordFormatException(where + ".status must be 'active' or 'revoked'");
            }
            return new KeyStatus(status.equals("revoked"), Fields.integer(node, "logIndex", where));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException(where + ": " + e.getMessage());
        }
    }
}
