package org.batterytrace.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.InMemoryNodeStore;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.Tile;
import org.batterytrace.log.TreeHash;
import org.batterytrace.monitor.Monitor.AlarmKind;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor against an in-memory tiled log that grows honestly, then misbehaves in each way it can. */
public class MonitorTest {
    static final String ORIGIN = "trace.example/log";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A log serving a signed checkpoint and tiles from its own tree; tests swap its tree to misbehave. */
    public static final class FakeLog implements LogClient {
        final NoteKey.Signer key;
        public InMemoryNodeStore nodes = new InMemoryNodeStore();
        public MerkleTree tree = new MerkleTree(nodes);
        InMemoryNodeStore tileNodes;
        String extraLine = "";
        boolean down;
        /** The entries it serves (null: unreadable) at most {@code page} at a time, and the map root its checkpoints name (null: none). */
        public java.util.List<org.batterytrace.record.SignedRecord> entries;
        int page = 3;
        public byte[] mapRoot;

        public FakeLog(NoteKey.Signer key) {
            this.key = key;
        }

        public void grow(String prefix, int leaves) {
            for (int i = 0; i < leaves; i++) {
                tree.append(TreeHash.leaf((prefix + tree.size()).getBytes()));
            }
        }

        @Override
        public String checkpoint() throws IOException {
            if (down) {
                throw new IOException("connection refused");
            }
            Checkpoint body = new Checkpoint(ORIGIN, tree.size(), tree.root());
            if (mapRoot != null) {
                body = org.batterytrace.log.map.MapCheckpoints.withMapRoot(body, mapRoot);
            }
            return SignedNotes.sign(body, ORIGIN, key.key()) + extraLine;
        }

        @Override
        public java.util.Optional<List<org.batterytrace.record.SignedRecord>> entries(long start, long end) {
            return entries == null ? java.util.Optional.empty() : java.util.Optional.of(entries.subList((int) start, (int) Math.min(end, start + page)));
        }

        @Override
        public byte[] tile(Tile tile) throws IOException {
            if (down || !tile.existsIn(tree.size())) {
                throw new IOException("404");
            }
            InMemoryNodeStore from = tileNodes != null ? tileNodes : nodes;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < tile.width(); i++) {
                out.writeBytes(from.get(tile.nodeLevel(), tile.firstNode() + i));
            }
            return out.toByteArray();
        }
    }

    final NoteKey.Signer logKey = new NoteKey.Signer(ORIGIN, SigningKey.generate(SignatureAlgorithm.ED25519));
    final FakeLog log = new FakeLog(logKey);
    final Monitor monitor = new Monitor(logKey.noteKey(), List.of(), log, CLOCK);

    MonitorState honestHistory() throws IOException {
        log.grow("leaf-", 300);
        Monitor.Result first = monitor.poll(MonitorState.fresh(logKey.noteKey().verifierKey()));
        assertTrue(first.ok(), first.lines().toString());
        log.grow("leaf-", 700);
        Monitor.Result second = monitor.poll(first.state());
        assertTrue(second.ok(), second.lines().toString());
        assertTrue(second.lines().get(1).startsWith("consistent  with size 300"), second.lines().toString());
        Monitor.Result again = monitor.poll(second.state());
        assertTrue(again.ok());
        assertEquals(1_000, SignedNotes.verify(again.state().checkpoint(), logKey.noteKey()).size());
        return again.state();
    }

    /** Replaces the log by one that shares the first {@code keep} leaves, then grows it to {@code size}. */
    void fork(int keep, int size) {
        FakeLog fresh = new FakeLog(logKey);
        fresh.grow("leaf-", keep);
        fresh.grow("forked-", size - keep);
        log.nodes = fresh.nodes;
        log.tree = fresh.tree;
    }

    @Test
    void aLogThatOnlyGrowsIsConsistent() throws IOException {
        honestHistory();
    }

    @Test
    void aForkIsAnAlarmThatStays() throws IOException {
        MonitorState state = honestHistory();
        fork(600, 1_500);
        Monitor.Result result = monitor.poll(state);
        assertEquals(AlarmKind.FORK, result.alarm(), result.lines().toString());
        assertEquals(1_000, SignedNotes.verify(result.state().checkpoint(), logKey.noteKey()).size(), "the view stays at the last good checkpoint");
        assertEquals(1_500, SignedNotes.verify(result.state().alarm().checkpoint(), logKey.noteKey()).size(), "the forked checkpoint is kept as evidence");
        // A later, honest-looking poll does not clear it.
        assertEquals(AlarmKind.FORK, monitor.poll(result.state()).alarm());
        Path file = dir.resolve("state.json");
        result.state().write(file);
        assertEquals(result.state(), MonitorState.read(file).orElseThrow());
    }

    @Test
    void aForkAtTheSameSizeIsAnAlarm() throws IOException {
        MonitorState state = honestHistory();
        fork(999, 1_000);
        assertEquals(AlarmKind.FORK, monitor.poll(state).alarm());
    }

    @Test
    void aRollbackIsAnAlarm() throws IOException {
        MonitorState state = honestHistory();
        fork(800, 800);
        assertEquals(AlarmKind.ROLLBACK, monitor.poll(state).alarm());
    }

    @Test
    void tilesThatDoNotMatchTheCheckpointAreAnAlarm() throws IOException {
        MonitorState state = honestHistory();
        log.grow("leaf-", 24);
        FakeLog other = new FakeLog(logKey);
        other.grow("other-", 1_024);
        log.tileNodes = other.nodes;
        assertEquals(AlarmKind.TILES_INVALID, monitor.poll(state).alarm());
    }

    @Test
    void aCheckpointByAnotherKeyIsAnAlarm() throws IOException {
        MonitorState state = honestHistory();
        Monitor impostorMonitor = new Monitor(logKey.noteKey(), List.of(), new FakeLog(new NoteKey.Signer(ORIGIN, SigningKey.generate(SignatureAlgorithm.ED25519))), CLOCK);
        assertEquals(AlarmKind.BAD_CHECKPOINT, impostorMonitor.poll(state).alarm());
    }

    @Test
    void cosignaturesArePrintedAndAForgedOneIsAnAlarm() throws IOException {
        NoteKey.Signer witness = new NoteKey.Signer("witness.example/w1", SigningKey.generate(SignatureAlgorithm.ED25519));
        Monitor withWitness = new Monitor(logKey.noteKey(), List.of(CosignerKey.of(witness)), log, CLOCK);
        log.grow("leaf-", 10);
        String body = new Checkpoint(ORIGIN, 10, log.tree.root()).body();
        log.extraLine = Cosignatures.sign(body, witness, 1_780_000_000L).line() + "\n";
        Monitor.Result result = withWitness.poll(MonitorState.fresh(logKey.noteKey().verifierKey()));
        assertTrue(result.ok(), result.lines().toString());
        assertTrue(result.lines().contains("cosigned    by witness.example/w1 at 2026-05-28T20:26:40Z"), result.lines().toString());
        NoteKey.Signer forger = new NoteKey.Signer(witness.name(), SigningKey.generate(SignatureAlgorithm.ED25519));
        Note.Signature forged = Cosignatures.sign(body, forger, 1_780_000_000L);
        log.extraLine = new Note.Signature(witness.name(), CosignerKey.of(witness).keyId(), forged.signature()).line() + "\n";
        assertEquals(AlarmKind.BAD_COSIGNATURE, withWitness.poll(result.state()).alarm());
    }

    /** A log of real signed records (the verifier's scenario) that names its map root. */
    static FakeLog mapped(NoteKey.Signer key, org.batterytrace.audit.Scenario s) {
        FakeLog log = new FakeLog(key);
        s.entries.forEach(e -> log.tree.append(TreeHash.leaf(e.canonicalBytes())));
        log.entries = new java.util.ArrayList<>(s.entries);
        log.mapRoot = s.map.root();
        return log;
    }

    @Test
    void theMapRootIsRecomputedFromTheEntries() throws IOException {
        String pack = "H5NPBA7HN24L01F3K0000521";
        org.batterytrace.audit.Scenario s = org.batterytrace.audit.Scenario.standard();
        s.record(pack, "PRODUCED", "2026-02-01T08:00:00Z", org.batterytrace.audit.Scenario.MAKER, null);
        FakeLog served = mapped(logKey, s);
        Monitor following = new Monitor(logKey.noteKey(), List.of(), served, CLOCK);
        Monitor.Result first = following.poll(MonitorState.fresh(logKey.noteKey().verifierKey()));
        assertTrue(first.ok(), first.lines().toString());
        assertTrue(first.lines().contains("map         recomputed from the " + s.entries.size() + " entries: the trace-map/1 root matches"), first.lines().toString());

        // The log grows; the monitor that keeps polling reads only the new entries.
        s.standardLifeAfterProduction(pack);
        FakeLog grown = mapped(logKey, s);
        served.tree = grown.tree;
        served.nodes = grown.nodes;
        served.mapRoot = grown.mapRoot;
        served.entries = grown.entries;
        Monitor.Result second = following.poll(first.state());
        assertTrue(second.ok(), second.lines().toString());
        assertTrue(second.lines().get(1).startsWith("consistent"), second.lines().toString());
        assertTrue(second.lines().get(2).startsWith("map         recomputed"), second.lines().toString());

        // A second note for the same tree with another map root: the entries do not give it.
        byte[] wrong = s.map.root().clone();
        wrong[0] ^= 1;
        served.mapRoot = wrong;
        Monitor.Result lie = following.poll(second.state());
        assertEquals(AlarmKind.MAP_MISMATCH, lie.alarm(), lie.lines().toString());
        assertEquals(AlarmKind.MAP_MISMATCH, new Monitor(logKey.noteKey(), List.of(), served, CLOCK).poll(first.state()).alarm(), "a fresh monitor replays from 0");

        // Entries that are not the log's.
        served.mapRoot = s.map.root();
        java.util.Collections.swap(served.entries, 1, 2);
        Monitor.Result swapped = new Monitor(logKey.noteKey(), List.of(), served, CLOCK).poll(first.state());
        assertEquals(AlarmKind.ENTRIES_INVALID, swapped.alarm(), swapped.lines().toString());

        // Entries it cannot read: tiles are checked, the map is not.
        served.entries = null;
        Monitor.Result unread = new Monitor(logKey.noteKey(), List.of(), served, CLOCK).poll(first.state());
        assertTrue(unread.ok(), unread.lines().toString());
        assertTrue(unread.lines().get(2).startsWith("map         not recomputed"), unread.lines().toString());
    }

    @Test
    void anUnreachableLogChangesNothing() throws IOException {
        MonitorState state = honestHistory();
        log.down = true;
        assertThrows(IOException.class, () -> monitor.poll(state));
        log.down = false;
        assertNull(monitor.poll(state).alarm());
    }
}
