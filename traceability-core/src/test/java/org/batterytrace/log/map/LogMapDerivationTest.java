package org.batterytrace.log.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.Scenario;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.junit.jupiter.api.Test;

/** The derivation rule (docs/record-format.md §7.1) against a naive fold over the entries, and the checkpoint line. */
class LogMapDerivationTest {
    static final String PACK = "H5NPBA7HN24L01F3K0000521";
    static final String CASCADE = "H5NMB02G580000007RP";
    static final String LOT = "LOT-" + Scenario.RECYCLER + "-2026A7";

    /** The rule, written out: every entry sets its subject's head; key events set their key's status. */
    static Map<String, MapValue> naive(List<SignedRecord> entries) {
        Map<String, MapValue> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            TraceRecord r = entries.get(i).record();
            map.put("head:" + r.subject(), new MapValue.Head(r.seq(), i, entries.get(i).hash()));
            boolean registered = r.type().equals("KEY_REGISTERED");
            if ((registered || r.type().equals("KEY_REVOKED")) && r.dataField("keyId") != null
                    && r.dataField("keyId").asText().matches("[0-9a-f]{64}")) {
                map.put("key:" + r.dataField("keyId").asText(), new MapValue.KeyStatus(!registered, i));
            }
        }
        return map;
    }

    static byte[] naiveRoot(Map<String, MapValue> map) {
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>();
        map.forEach((label, value) -> leaves.add(new SparseMerkleMap.Leaf(MapHash.keyHash(label), value.bytes())));
        return NaiveMap.root(leaves);
    }

    /** Every kind of entry: three organizations' key events, a revocation, battery, cascade-product and lot chains. */
    static Scenario busyLog() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(CASCADE, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        s.record(LOT, "LOT_OPENED", "2026-10-02T08:00:00Z", Scenario.RECYCLER, Json.object().put("process", "HYDROMETALLURGY"));
        s.revoke(Scenario.OEM, Instant.parse("2026-12-01T00:00:00Z"));
        return s;
    }

    @Test
    void theMapIsTheNaiveFoldOverTheEntriesWhateverTheBatches() {
        Scenario s = busyLog();
        Map<String, MapValue> expected = naive(s.entries);
        byte[] root = naiveRoot(expected);
        assertArrayEquals(root, LogMap.rootOf(s.entries));
        assertArrayEquals(root, s.map.root(), "one entry at a time");
        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            LogMap map = LogMap.inMemory();
            int at = 0;
            while (at < s.entries.size()) {
                int n = 1 + random.nextInt(6);
                map.append(s.entries.subList(at, Math.min(s.entries.size(), at + n)));
                at = Math.min(s.entries.size(), at + n);
            }
            assertArrayEquals(root, map.root(), "round " + round);
            assertEquals(s.entries.size(), map.size());
        }
        for (Map.Entry<String, MapValue> e : expected.entrySet()) {
            assertEquals(e.getValue(), s.map.prove(e.getKey()).verify(root).orElseThrow(), e.getKey());
        }
        assertTrue(s.map.prove("head:X12MCPM27KLPCLX2M2382320").verify(root).isEmpty());
        MapValue.KeyStatus oem = (MapValue.KeyStatus) expected.get(MapLabels.key(s.keys.get(Scenario.OEM).keyId()));
        assertTrue(oem.revoked());
        assertEquals(LogMap.KEY_REGISTERED, KeyEvents.REGISTERED);
        assertEquals(LogMap.KEY_REVOKED, KeyEvents.REVOKED);
    }

    @Test
    void aKeyEventWithoutAReadableKeyIdSetsOnlyItsHead() {
        Scenario s = Scenario.standard();
        TraceRecord odd = TraceRecord.of(Scenario.MAKER, 2, s.entries.get(0).hash(), KeyEvents.REVOKED, Instant.parse("2026-02-01T00:00:00Z"), Scenario.LOG,
                Json.object().put("keyId", "NOT-HEX"));
        List<SignedRecord> entries = new ArrayList<>(s.entries);
        entries.add(SignedRecord.sign(odd, s.log.key()));
        Map<String, MapValue> expected = naive(entries);
        assertArrayEquals(naiveRoot(expected), LogMap.rootOf(entries));
        assertFalse(expected.containsKey("key:NOT-HEX"));
    }

    @Test
    void entriesMustComeInLogOrder() {
        Scenario s = Scenario.standard();
        LogMap map = LogMap.inMemory();
        assertThrows(IllegalArgumentException.class, () -> map.apply(List.of(LogMap.Entry.of(1, s.entries.get(1)))));
        map.apply(List.of(LogMap.Entry.of(0, s.entries.get(0))));
        assertEquals(1, map.size());
    }

    @Test
    void valuesHaveTheirFixedLayout() {
        MapValue.Head head = new MapValue.Head(7, 42, "ab".repeat(32));
        assertEquals(49, head.bytes().length);
        assertEquals(head, MapValue.decode(head.bytes()));
        assertEquals(head, MapValue.fromJson("head:X", head.toJson(), "v"));
        MapValue.KeyStatus revoked = new MapValue.KeyStatus(true, 9);
        assertEquals("02010000000000000009", org.batterytrace.record.Hashes.hex(revoked.bytes()));
        assertEquals(revoked, MapValue.decode(revoked.bytes()));
        assertEquals(revoked, MapValue.fromJson("key:" + "0".repeat(64), revoked.toJson(), "v"));
        assertThrows(IllegalArgumentException.class, () -> MapValue.decode(new byte[] {3}));
        assertThrows(RuntimeException.class, () -> MapValue.fromJson("key:" + "0".repeat(64), head.toJson(), "v"));
    }

    @Test
    void labels() {
        assertTrue(MapLabels.isValid("head:" + PACK));
        assertTrue(MapLabels.isValid("key:" + "0".repeat(64)));
        assertFalse(MapLabels.isValid("head:"));
        assertFalse(MapLabels.isValid("head:a b"));
        assertFalse(MapLabels.isValid("head:" + "x".repeat(129)));
        assertFalse(MapLabels.isValid("key:" + "A".repeat(64)));
        assertFalse(MapLabels.isValid("battery:" + PACK));
        assertFalse(MapLabels.isValid(null));
    }

    @Test
    void theCheckpointLineCarriesTheRootAndOldCheckpointsHaveNone() {
        byte[] root = LogMap.rootOf(busyLog().entries);
        Checkpoint plain = new Checkpoint("trace.example/log", 5, new byte[32]);
        assertTrue(MapCheckpoints.mapRoot(plain).isEmpty(), "a checkpoint from before the map");
        Checkpoint withMap = MapCheckpoints.withMapRoot(plain, root);
        assertEquals(List.of(MapCheckpoints.line(root)), withMap.extensions());
        Checkpoint parsed = Checkpoint.parseBody(withMap.body());
        assertArrayEquals(root, MapCheckpoints.mapRoot(parsed).orElseThrow());
        assertEquals(withMap, MapCheckpoints.withMapRoot(withMap, root), "replaces, never doubles, the line");
        Checkpoint twice = new Checkpoint("trace.example/log", 5, new byte[32], List.of(MapCheckpoints.line(root), MapCheckpoints.line(root)));
        assertThrows(CheckpointException.class, () -> MapCheckpoints.mapRoot(twice));
        Checkpoint shortRoot = new Checkpoint("trace.example/log", 5, new byte[32], List.of("trace-map/1 AAAA"));
        assertThrows(CheckpointException.class, () -> MapCheckpoints.mapRoot(shortRoot));
        Checkpoint other = new Checkpoint("trace.example/log", 5, new byte[32], List.of("some-other/1 extension"));
        assertTrue(MapCheckpoints.mapRoot(other).isEmpty(), "unknown extension lines are ignored");
    }
}
