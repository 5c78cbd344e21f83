package org.batterytrace.log.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignedRecord;

/**
 * The map derived from the log (docs/record-format.md §7): replaying the entries in log order, entry
 * {@code i} sets
 * <ul>
 * <li>{@code head:<subject>} to {@link MapValue.Head}(seq, i, chain hash) — every entry, so batteries,
 * recycling lots and organizations' key-event chains all have heads;
 * <li>{@code key:<data.keyId>} to {@link MapValue.KeyStatus}(active, i) for a {@code KEY_REGISTERED}
 * entry and (revoked, i) for a {@code KEY_REVOKED} entry, when {@code data.keyId} is 64 lower-case hex.
 * </ul>
 * Later entries overwrite earlier ones. The rule reads nothing but the entries, checks no signature, and
 * is the same for the server, the offline verifier's fixtures and a monitor, so anyone who replays the
 * log recomputes the root that the checkpoint names (Trillian's "log-derived map"). An instance keeps a
 * map and the log size it covers; not thread-safe.
 */
public final class LogMap {
    /** The key-event types of docs/record-format.md §5 (as {@code audit.KeyEvents} writes them). */
    static final String KEY_REGISTERED = "KEY_REGISTERED";
    static final String KEY_REVOKED = "KEY_REVOKED";

    private final SparseMerkleMap map;
    private long size;

    public LogMap(TileStore store, long size) {
        this.map = new SparseMerkleMap(store);
        this.size = size;
    }

    /** An empty map in memory (log size 0). */
    public static LogMap inMemory() {
        return new LogMap(new InMemoryTileStore(), 0);
    }

    /**
     * Recomputes the map root of a whole log from its entries [0, n): the function a monitor runs to
     * check a checkpoint's {@code trace-map/1} line.
     */
    public static byte[] rootOf(List<SignedRecord> entries) {
        LogMap map = inMemory();
        return map.append(entries);
    }

    /** What the map reads of one log entry. */
    public record Entry(long index, String subject, long seq, String hash, String type, String keyId) {
        /** The entry at log index {@code index}. */
        public static Entry of(long index, SignedRecord signed) {
            String keyId = null;
            if (readsData(signed.record().type())) {
                JsonNode id = signed.record().dataField("keyId");
                keyId = id != null && id.isTextual() && Hashes.isSha256Hex(id.textValue()) ? id.textValue() : null;
            }
            return new Entry(index, signed.record().subject(), signed.record().seq(), signed.hash(), signed.record().type(), keyId);
        }

        /** Whether entries of this type need their data read ({@link #of}); others are described by their columns. */
        public static boolean readsData(String type) {
            return KEY_REGISTERED.equals(type) || KEY_REVOKED.equals(type);
        }
    }

    /** The labels entries set and their final values, in log order of their last setting. */
    public static Map<String, MapValue> updates(List<Entry> entries) {
        Map<String, MapValue> updates = new LinkedHashMap<>();
        for (Entry e : entries) {
            String head = MapLabels.head(e.subject());
            updates.remove(head);
            updates.put(head, new MapValue.Head(e.seq(), e.index(), e.hash()));
            if (e.keyId() != null && Entry.readsData(e.type())) {
                String key = MapLabels.key(e.keyId());
                updates.remove(key);
                updates.put(key, new MapValue.KeyStatus(KEY_REVOKED.equals(e.type()), e.index()));
            }
        }
        return updates;
    }

    /** The map's leaves for a set of updates. */
    public static List<SparseMerkleMap.Leaf> leaves(Map<String, MapValue> updates) {
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>(updates.size());
        updates.forEach((label, value) -> leaves.add(new SparseMerkleMap.Leaf(MapHash.keyHash(label), value.bytes())));
        return leaves;
    }

    /** Applies the next entries of the log (indexes size, size + 1, …) and returns the new root. */
    public byte[] append(List<SignedRecord> entries) {
        List<Entry> described = new ArrayList<>(entries.size());
        for (SignedRecord entry : entries) {
            described.add(Entry.of(size + described.size(), entry));
        }
        return apply(described);
    }

    /**
     * Applies described entries, which must be the next ones of the log in order (the first has index
     * {@link #size()}); returns the new root.
     */
    public byte[] apply(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != size + i) {
                throw new IllegalArgumentException("entry " + entries.get(i).index() + " is not the log's next (" + (size + i) + ")");
            }
        }
        byte[] root = map.apply(leaves(updates(entries)));
        size += entries.size();
        return root;
    }

    /** The log size the map covers. */
    public long size() {
        return size;
    }

    public byte[] root() {
        return map.root();
    }

    /** A membership or non-membership proof for a label (see {@link MapLabels}). */
    public MapProof prove(String label) {
        if (!MapLabels.isValid(label)) {
            throw new IllegalArgumentException("not a map label: " + label);
        }
        return MapProof.of(label, map.path(MapHash.keyHash(label)));
    }
}
