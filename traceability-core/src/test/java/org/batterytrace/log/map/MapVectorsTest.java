package org.batterytrace.log.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.log.ProofException;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.testing.VectorFiles;
import org.junit.jupiter.api.Test;

/**
 * The language-neutral map vectors in {@code docs/test-vectors/map/}, one case per file (the layout of
 * transparency-dev/merkle's testdata):
 * <ul>
 * <li>{@code derive/<case>.json}: {@code entries} (signed records in log order from index 0) → the map's
 * {@code leaves} (label, key hash, value bytes) and {@code root}, and the checkpoint {@code line};
 * <li>{@code proof/<case>.json}: a {@code root} and a {@code proof}; {@code want} is {@code present} (with the
 * {@code value}), {@code absent}, or {@code error} — files named after the mutation they carry must fail.
 * </ul>
 * The test checks every committed file with the implementation and that the generator ({@link #main})
 * produces exactly the committed set. Regenerate after a deliberate format change:
 * {@code ./mvnw -q -pl traceability-core test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.batterytrace.log.map.MapVectorsTest -Dmap.vectors.dir=docs/test-vectors/map}
 */
public class MapVectorsTest {
    static final Path DIR = Path.of(System.getProperty("map.vectors.dir", "../docs/test-vectors/map"));
    static final String LOG = "trace.example/log";
    static final String MAKER = "91430100MA4L0001XA";
    static final String RECYCLER = "91430300MA4L0003XW";
    static final String PACK = "H5NPBA7HN24L01F3K0000521";
    static final String MODULE = "H5NMBA7HN24L01F3K0000522";
    static final String LOT = "LOT-" + RECYCLER + "-2026A7";

    @Test
    void committedVectorsHoldAndMatchTheGenerator() throws IOException {
        Map<String, ObjectNode> generated = generate();
        Map<String, JsonNode> committed = VectorFiles.readMatching(DIR, generated, (name, vector) -> {
            if (name.startsWith("derive/")) {
                checkDerive(name, vector);
            } else {
                checkProof(name, vector);
            }
        });
        assertTrue(committed.keySet().stream().anyMatch(k -> k.startsWith("proof/") && committed.get(k).get("want").asText().equals("error")));
    }

    /** What another implementation does with a derive file: replay the entries, compare leaves, root and line. */
    static void checkDerive(String name, JsonNode v) {
        List<SignedRecord> entries = new ArrayList<>();
        v.get("entries").forEach(e -> entries.add(SignedRecord.fromJson(e)));
        byte[] root = LogMap.rootOf(entries);
        assertEquals(v.get("root").asText(), Hashes.hex(root), name);
        assertEquals(v.get("checkpointLine").asText(), MapCheckpoints.line(root), name);
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>();
        for (JsonNode leaf : v.get("leaves")) {
            assertEquals(leaf.get("keyHash").asText(), Hashes.hex(MapHash.keyHash(leaf.get("key").asText())), name);
            leaves.add(new SparseMerkleMap.Leaf(Hashes.fromHex(leaf.get("keyHash").asText()), Hashes.fromHex(leaf.get("value").asText())));
        }
        assertArrayEquals(root, NaiveMap.root(leaves), name + ": the listed leaves hash to the root");
    }

    /** What another implementation does with a proof file: verify, and compare with want. */
    static void checkProof(String name, JsonNode v) {
        String want = v.get("want").asText();
        byte[] root = Hashes.fromHex(v.get("root").asText());
        if (want.equals("error")) {
            assertThrows(RuntimeException.class, () -> MapProof.fromJson(v.get("proof"), "proof").verify(root), name);
            try {
                MapProof.fromJson(v.get("proof"), "proof").verify(root);
            } catch (ProofException | RecordFormatException expected) {
                return;
            }
            fail(name + " failed with an unexpected exception kind");
        }
        Optional<MapValue> value = MapProof.fromJson(v.get("proof"), "proof").verify(root);
        assertEquals(want.equals("present"), value.isPresent(), name);
        value.ifPresent(mv -> assertEquals(v.get("value").asText(), Hashes.hex(mv.bytes()), name));
    }

    // ---- the generator ----

    static SigningKey key(String name) {
        return SigningKey.ed25519(Hashes.sha256(("batterytrace map vector " + name).getBytes(StandardCharsets.UTF_8)));
    }

    /** A small deterministic log: two organizations' keys, a pack and a module, a lot, a key rotation. */
    static List<SignedRecord> log() {
        SigningKey logKey = key("log");
        SigningKey maker = key("maker");
        SigningKey maker2 = key("maker-2");
        SigningKey recycler = key("recycler");
        Instant t = Instant.parse("2026-03-14T08:00:00Z");
        List<SignedRecord> entries = new ArrayList<>();
        SignedRecord m1 = KeyEvents.signed(KeyEvents.registration(MAKER, 1, null, t, LOG, maker.publicKey()), logKey);
        SignedRecord r1 = KeyEvents.signed(KeyEvents.registration(RECYCLER, 1, null, t, LOG, recycler.publicKey()), logKey);
        entries.add(m1);
        entries.add(r1);
        SignedRecord p1 = SignedRecord.sign(TraceRecord.of(PACK, 1, null, "PRODUCED", t.plusSeconds(60), MAKER, Json.object()), maker);
        SignedRecord mod1 = SignedRecord.sign(TraceRecord.of(MODULE, 1, null, "PRODUCED", t.plusSeconds(61), MAKER, Json.object().put("parent", PACK)), maker);
        SignedRecord p2 = SignedRecord.sign(TraceRecord.of(PACK, 2, p1.hash(), "INSTALLED", t.plusSeconds(120), MAKER,
                Json.object().put("vin", "LSVAU218XN2183294")), maker);
        entries.add(p1);
        entries.add(mod1);
        entries.add(p2);
        SignedRecord m2 = KeyEvents.signed(KeyEvents.registration(MAKER, 2, m1.hash(), t.plusSeconds(180), LOG, maker2.publicKey()), logKey);
        SignedRecord m3 = KeyEvents.signed(KeyEvents.revocation(MAKER, 3, m2.hash(), t.plusSeconds(180), LOG, maker.publicKey()), logKey);
        entries.add(m2);
        entries.add(m3);
        SignedRecord p3 = SignedRecord.sign(TraceRecord.of(PACK, 3, p2.hash(), "SOLD", t.plusSeconds(240), MAKER, Json.object()), maker2);
        entries.add(p3);
        entries.add(SignedRecord.sign(TraceRecord.of(LOT, 1, null, "LOT_OPENED", t.plusSeconds(300), RECYCLER, Json.object().put("process", "HYDROMETALLURGY")),
                recycler));
        return entries;
    }

    static Map<String, ObjectNode> generate() {
        Map<String, ObjectNode> files = new TreeMap<>();
        List<SignedRecord> log = log();
        derive(files, "empty-log", "no entries: the empty map, whose root is 32 zero bytes", log.subList(0, 0));
        derive(files, "one-key-registration", "a key registration sets its organization's head and the key's status (active)", log.subList(0, 1));
        derive(files, "chains-and-keys", "heads of an organization, a pack overwritten by its second record, a module", log.subList(0, 5));
        derive(files, "key-rotation", "a second key registered and the first revoked: both statuses, the organization's head at seq 3", log.subList(0, 7));
        derive(files, "whole-log", "the whole log: a record by the new key, a recycling lot's head", log);

        LogMap map = LogMap.inMemory();
        byte[] root = map.append(log);
        String keyId = key("maker").keyId();
        proof(files, "present-head", "membership: the pack's head is its third record", root, map.prove(MapLabels.head(PACK)), "present");
        proof(files, "present-key-revoked", "membership: the first maker key is revoked at log index 6", root, map.prove(MapLabels.key(keyId)), "present");
        proof(files, "present-key-active", "membership: the second maker key is active since log index 5", root,
                map.prove(MapLabels.key(key("maker-2").keyId())), "present");
        MapProof emptyEnd = null;
        MapProof leafEnd = null;
        for (int i = 0; emptyEnd == null || leafEnd == null; i++) {
            MapProof p = map.prove(MapLabels.head("H5NPBA7HN24L01F3K" + String.format("%07d", 9_000_000 + i)));
            if (p.otherLeaf() == null && emptyEnd == null) {
                emptyEnd = p;
            } else if (p.otherLeaf() != null && leafEnd == null) {
                leafEnd = p;
            }
        }
        proof(files, "absent-empty-subtree", "non-membership: the code's path ends in an empty subtree", root, emptyEnd, "absent");
        proof(files, "absent-other-leaf", "non-membership: the code's path ends at another key's leaf", root, leafEnd, "absent");
        LogMap one = LogMap.inMemory();
        byte[] oneRoot = one.append(log.subList(0, 1));
        proof(files, "single-leaf-map-present", "a map of one leaf: the root is that leaf, no siblings", oneRoot,
                one.prove(MapLabels.head(MAKER)), "present");
        proof(files, "single-leaf-map-absent", "a map of one leaf proves another key absent by that leaf", oneRoot,
                one.prove(MapLabels.head(PACK)), "absent");
        proof(files, "empty-map-absent", "the empty map proves everything absent with no siblings", MapHash.empty(),
                LogMap.inMemory().prove(MapLabels.head(PACK)), "absent");

        MapProof head = map.prove(MapLabels.head(PACK));
        for (int i : new int[] {0, head.siblings().size() - 1}) {
            mutated(files, "flipped-sibling-bit@" + i, "sibling " + i + " with its last bit flipped", root, head, p -> {
                ArrayNode s = (ArrayNode) p.get("siblings");
                String h = s.get(i).asText();
                s.set(i, Json.MAPPER.getNodeFactory().textNode(h.substring(0, 63) + (h.charAt(63) == '0' ? '1' : '0')));
                return p;
            });
        }
        mutated(files, "sibling-removed@0", "the bottom sibling left out", root, head, p -> {
            ((ArrayNode) p.get("siblings")).remove(0);
            return p;
        });
        mutated(files, "sibling-removed@top", "the root's other child left out", root, head, p -> {
            ArrayNode s = (ArrayNode) p.get("siblings");
            s.remove(s.size() - 1);
            return p;
        });
        mutated(files, "sibling-added-empty@0", "an empty subtree added at the bottom (not canonical)", root, head, p -> {
            ((ArrayNode) p.get("siblings")).insert(0, "0".repeat(64));
            return p;
        });
        mutated(files, "siblings-swapped", "the two lowest siblings in the wrong order", root, head, p -> {
            ArrayNode s = (ArrayNode) p.get("siblings");
            JsonNode a = s.get(0);
            s.set(0, s.get(1));
            s.set(1, a);
            return p;
        });
        mutated(files, "value-seq-changed", "the head claims seq 2 (an older record)", root, head, p -> {
            ((ObjectNode) p.get("value")).put("seq", 2);
            return p;
        });
        mutated(files, "value-hash-changed", "the head names another record hash", root, head, p -> {
            ((ObjectNode) p.get("value")).put("hash", "0".repeat(64));
            return p;
        });
        mutated(files, "present-claimed-absent", "the value removed: a present key claimed absent", root, head, p -> {
            p.putNull("value");
            return p;
        });
        mutated(files, "other-leaf-is-the-key", "a non-membership proof whose other leaf is the key's own", root, head, p -> {
            ObjectNode other = p.putObject("otherLeaf");
            other.put("keyHash", Hashes.hex(MapHash.keyHash(MapLabels.head(PACK))));
            other.put("valueHash", Hashes.hex(MapHash.valueHash(new MapValue.Head(3, 7, log.get(7).hash()).bytes())));
            p.putNull("value");
            return p;
        });
        MapProof absent = leafEnd;
        mutated(files, "absent-claimed-present", "an absent key given a value", root, absent, p -> {
            p.remove("otherLeaf");
            p.putNull("otherLeaf");
            p.set("value", new MapValue.Head(1, 2, log.get(2).hash()).toJson());
            return p;
        });
        mutated(files, "other-leaf-off-path", "the other leaf's key does not share the path", root, absent, p -> {
            ((ObjectNode) p.get("otherLeaf")).put("keyHash", flipFirstBit(p.get("otherLeaf").get("keyHash").asText()));
            return p;
        });
        mutated(files, "key-relabelled", "another key's proof offered for the pack", root, map.prove(MapLabels.head(MODULE)), p -> {
            p.put("key", MapLabels.head(PACK));
            p.set("value", head.value().toJson());
            return p;
        });
        mutated(files, "value-of-the-wrong-kind", "a key status label with a head value", root, map.prove(MapLabels.key(keyId)), p -> {
            p.set("value", head.value().toJson());
            return p;
        });
        mutated(files, "too-many-siblings", "257 siblings: longer than the tree is deep", root, head, p -> {
            ArrayNode s = (ArrayNode) p.get("siblings");
            while (s.size() <= MapHash.MAX_DEPTH) {
                s.insert(0, "1".repeat(64));
            }
            return p;
        });
        return files;
    }

    private static String flipFirstBit(String hex) {
        int first = Character.digit(hex.charAt(0), 16) ^ 8;
        return Character.forDigit(first, 16) + hex.substring(1);
    }

    private static void derive(Map<String, ObjectNode> files, String name, String desc, List<SignedRecord> entries) {
        ObjectNode v = Json.object();
        v.put("desc", desc);
        ArrayNode array = v.putArray("entries");
        entries.forEach(e -> array.add(e.toJson()));
        Map<String, MapValue> updates = new TreeMap<>();
        List<LogMap.Entry> described = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            described.add(LogMap.Entry.of(i, entries.get(i)));
        }
        updates.putAll(LogMap.updates(described));
        List<String[]> leaves = new ArrayList<>();
        updates.forEach((label, value) -> leaves.add(new String[] {Hashes.hex(MapHash.keyHash(label)), label, Hashes.hex(value.bytes())}));
        leaves.sort((a, b) -> a[0].compareTo(b[0]));
        ArrayNode out = v.putArray("leaves");
        for (String[] leaf : leaves) {
            out.addObject().put("key", leaf[1]).put("keyHash", leaf[0]).put("value", leaf[2]);
        }
        byte[] root = LogMap.rootOf(entries);
        v.put("root", Hashes.hex(root));
        v.put("checkpointLine", MapCheckpoints.line(root));
        files.put("derive/" + name + ".json", v);
    }

    private static void proof(Map<String, ObjectNode> files, String name, String desc, byte[] root, MapProof proof, String want) {
        ObjectNode v = Json.object();
        v.put("desc", desc);
        v.put("root", Hashes.hex(root));
        v.set("proof", proof.toJson());
        v.put("want", want);
        if (proof.value() != null) {
            v.put("value", Hashes.hex(proof.value().bytes()));
        }
        files.put("proof/" + name + ".json", v);
    }

    private static void mutated(Map<String, ObjectNode> files, String name, String desc, byte[] root, MapProof proof, UnaryOperator<ObjectNode> edit) {
        ObjectNode v = Json.object();
        v.put("desc", desc);
        v.put("root", Hashes.hex(root));
        v.set("proof", edit.apply(proof.toJson()));
        v.put("want", "error");
        files.put("proof/" + name + ".json", v);
    }

    /** Writes the vector files (and removes stale ones). */
    public static void main(String[] args) throws IOException {
        VectorFiles.write(DIR, generate());
    }
}
