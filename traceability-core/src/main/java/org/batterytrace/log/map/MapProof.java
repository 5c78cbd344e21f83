package org.batterytrace.log.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.batterytrace.log.ProofException;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;

/**
 * A proof that a label maps to a value in the map with a given root (membership), or to nothing
 * (non-membership: "this battery code was never logged"). JSON form (docs/record-format.md §7.3):
 * <pre>{ "key": "head:…", "value": {…} | null, "otherLeaf": {"keyHash", "valueHash"} | null, "siblings": ["hex", …] }</pre>
 * {@code siblings} run bottom-up, from the subtree next to where the key's path ends up to the root's
 * other child; an empty subtree is 64 zeros. A non-membership proof ends either in an empty subtree
 * ({@code otherLeaf} null) or at the one other leaf whose key shares the path.
 */
public record MapProof(String label, MapValue value, OtherLeaf otherLeaf, List<byte[]> siblings) {
    public MapProof {
        siblings = List.copyOf(siblings);
    }

    /** The leaf of another key where a non-membership proof's path ends. */
    public record OtherLeaf(byte[] keyHash, byte[] valueHash) {
        public OtherLeaf {
            if (keyHash == null || keyHash.length != MapHash.SIZE || valueHash == null || valueHash.length != MapHash.SIZE) {
                throw new IllegalArgumentException("the other leaf needs a 32-byte key hash and value hash");
            }
        }
    }

    /** The proof for {@code label} from a path of the map (see {@link SparseMerkleMap#path}). */
    public static MapProof of(String label, SparseMerkleMap.Path path) {
        MapValue value = path.value() == null ? null : MapValue.decode(path.value());
        OtherLeaf other = path.other() == null ? null : new OtherLeaf(path.other().key(), MapHash.valueHash(path.other().value()));
        return new MapProof(label, value, other, path.siblings());
    }

    /**
     * Verifies the proof against a map root and returns the value the label maps to, or empty when it
     * proves the label absent. Pure: no storage, only hashing. Throws {@link ProofException} when the
     * proof is malformed or leads to another root. Checks, in order: at most 256 siblings, each 32 bytes;
     * a value matching the label's kind; an {@code otherLeaf} that is not the key itself and shares the
     * key's path to that depth; no empty sibling next to the end of the path (canonical form); the root.
     */
    public Optional<MapValue> verify(byte[] root) {
        if (!MapLabels.isValid(label)) {
            throw new ProofException("map proof for a malformed key label");
        }
        if (value != null && (value instanceof MapValue.Head) != label.startsWith(MapLabels.HEAD)) {
            throw new ProofException("map value of the wrong kind for " + label);
        }
        check(root, MapHash.keyHash(label), value == null ? null : value.bytes(), otherLeaf, siblings);
        return Optional.ofNullable(value);
    }

    /**
     * The label-free core of {@link #verify}: checks that {@code key} maps to {@code value} (or, with a
     * null value, to nothing) under {@code root}. Throws {@link ProofException} otherwise.
     */
    public static void check(byte[] root, byte[] key, byte[] value, OtherLeaf otherLeaf, List<byte[]> siblings) {
        if (siblings.size() > MapHash.MAX_DEPTH) {
            throw new ProofException("map proof is longer than the tree is deep (" + siblings.size() + " > " + MapHash.MAX_DEPTH + ")");
        }
        for (byte[] sibling : siblings) {
            if (sibling == null || sibling.length != MapHash.SIZE) {
                throw new ProofException("map proof element is not a 32-byte hash");
            }
        }
        byte[] terminal;
        if (value != null) {
            if (otherLeaf != null) {
                throw new ProofException("a map proof holds either a value or another leaf, not both");
            }
            terminal = MapHash.leaf(key, MapHash.valueHash(value));
        } else if (otherLeaf != null) {
            if (MessageDigest.isEqual(otherLeaf.keyHash(), key)) {
                throw new ProofException("the path ends at the key's own leaf: it is present, not absent");
            }
            if (!MapHash.samePrefix(otherLeaf.keyHash(), key, siblings.size())) {
                throw new ProofException("the other leaf does not lie on the key's path");
            }
            terminal = MapHash.leaf(otherLeaf.keyHash(), otherLeaf.valueHash());
        } else {
            terminal = MapHash.empty();
        }
        if (!siblings.isEmpty() && MapHash.isEmpty(siblings.get(0))) {
            throw new ProofException("map proof is not in canonical form: the subtree next to the end of the path is empty");
        }
        if (!MessageDigest.isEqual(rootFrom(key, terminal, siblings), root)) {
            throw new ProofException("map proof leads to a different root");
        }
    }

    /** Hashes a terminal up its path: at depth d the key's bit d says whether the path went right. */
    static byte[] rootFrom(byte[] key, byte[] terminal, List<byte[]> siblingsBottomUp) {
        byte[] h = terminal;
        int depth = siblingsBottomUp.size();
        for (byte[] sibling : siblingsBottomUp) {
            depth--;
            h = MapHash.bit(key, depth) == 0 ? MapHash.node(h, sibling) : MapHash.node(sibling, h);
        }
        return h;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("key", label);
        if (value == null) {
            node.putNull("value");
        } else {
            node.set("value", value.toJson());
        }
        if (otherLeaf == null) {
            node.putNull("otherLeaf");
        } else {
            ObjectNode other = node.putObject("otherLeaf");
            other.put("keyHash", Hashes.hex(otherLeaf.keyHash()));
            other.put("valueHash", Hashes.hex(otherLeaf.valueHash()));
        }
        ArrayNode array = node.putArray("siblings");
        siblings.forEach(h -> array.add(Hashes.hex(h)));
        return node;
    }

    /** Parses the JSON form strictly; hashes must be 64 lower-case hex digits. */
    public static MapProof fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException(where + " must be an object {key, value, otherLeaf, siblings}");
        }
        Fields.requireExactly(node, where, "key", "value", "otherLeaf", "siblings");
        String label = Fields.text(node, "key", where);
        if (!MapLabels.isValid(label)) {
            throw new RecordFormatException(where + ".key must be head:<subject> or key:<key id>");
        }
        JsonNode v = node.get("value");
        MapValue value = v == null || v.isNull() ? null : MapValue.fromJson(label, v, where + ".value");
        JsonNode o = node.get("otherLeaf");
        OtherLeaf other = null;
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw new RecordFormatException(where + ".otherLeaf must be an object or null");
            }
            Fields.requireExactly(o, where + ".otherLeaf", "keyHash", "valueHash");
            other = new OtherLeaf(hash(Fields.text(o, "keyHash", where + ".otherLeaf"), where + ".otherLeaf.keyHash"),
                    hash(Fields.text(o, "valueHash", where + ".otherLeaf"), where + ".otherLeaf.valueHash"));
        }
        JsonNode array = Fields.array(node, "siblings", where);
        if (array.size() > MapHash.MAX_DEPTH) {
            throw new RecordFormatException(where + ".siblings holds more than " + MapHash.MAX_DEPTH + " hashes");
        }
        List<byte[]> siblings = new ArrayList<>(array.size());
        for (JsonNode h : array) {
            siblings.add(hash(h.isTextual() ? h.textValue() : null, where + ".siblings"));
        }
        return new MapProof(label, value, other, siblings);
    }

    private static byte[] hash(String hex, String where) {
        if (!Hashes.isSha256Hex(hex)) {
            throw new RecordFormatException(where + " must hold 64-hex SHA-256 hashes");
        }
        return Hashes.fromHex(hex);
    }
}
