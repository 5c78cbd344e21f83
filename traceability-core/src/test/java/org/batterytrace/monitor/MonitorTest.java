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
            return SignedNotes.sign(new Checkpoint(ORIGIN, tree.size(), tree.root()), ORIGIN, key.key()) + extraLine;
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

    @Test
    void anUnreachableLogChangesNothing() throws IOException {
        MonitorState state = honestHistory();
        log.down = true;
        assertThrows(IOException.class, () -> monitor.poll(state));
        log.down = false;
        assertNull(monitor.poll(state).alarm());
    }
}
