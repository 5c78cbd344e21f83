package org.batterytrace.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.ProofException;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TileNodeStore;
import org.batterytrace.log.TreeHash;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;

/**
 * Follows a log by its signed checkpoints and public tiles (c2sp.org/tlog-tiles) and checks that it
 * only grows: every checkpoint must be consistent with the newest one seen before, by an RFC 9162
 * consistency proof the monitor computes from the tiles itself. Consistency is transitive, so checking
 * each new checkpoint against the last verified one checks it against every checkpoint seen. When the
 * client can read the log's entries, the monitor also replays them and recomputes the log-derived map
 * (docs/record-format.md §7, {@link LogMap}): a {@code trace-map/1} root that the entries do not give is an
 * alarm. A log that forks, rolls back, serves tiles or entries that do not match its own checkpoint, or
 * signs a wrong map root raises an alarm, which stays in the state until a person clears it.
 * <p>
 * The replay is kept in memory only: a monitor that polls repeatedly reads each entry once, a monitor
 * started afresh reads the log from entry 0.
 */
public final class Monitor {
    /** What the monitor alarms on. */
    public enum AlarmKind {
        /** The served checkpoint is not a note signed by the pinned log key for its origin. */
        BAD_CHECKPOINT,
        /** A cosignature line by a pinned witness does not verify. */
        BAD_COSIGNATURE,
        /** A signed checkpoint is smaller than one the log signed before. */
        ROLLBACK,
        /** A signed checkpoint is not consistent with one seen before: the log forked. */
        FORK,
        /** The log's tiles do not reproduce the root hash of its own checkpoint. */
        TILES_INVALID,
        /** The log's entries do not reproduce the root hash of its own checkpoint. */
        ENTRIES_INVALID,
        /** The checkpoint's {@code trace-map/1} root is not the root of the map derived from its entries. */
        MAP_MISMATCH
    }

    /** The outcome of one poll: the state to keep, what was seen, and the alarm raised (null if none). */
    public record Result(MonitorState state, List<String> lines, AlarmKind alarm) {
        public boolean ok() {
            return alarm == null;
        }
    }

    private final NoteKey logKey;
    private final List<CosignerKey> witnesses;
    private final LogClient client;
    private final Clock clock;
    /** Entries read per request while replaying (the server's page limit). */
    static final int PAGE = 1_000;
    /** The entries replayed so far, as a tree and as the map derived from them; null until a replay starts. */
    private MerkleTree replayedTree;
    private LogMap replayedMap;

    public Monitor(NoteKey logKey, List<CosignerKey> witnesses, LogClient client, Clock clock) {
        this.logKey = logKey;
        this.witnesses = List.copyOf(witnesses);
        this.client = client;
        this.clock = clock;
    }

    /**
     * Fetches the current checkpoint and checks it against {@code state}. Throws {@link IOException}
     * when the log cannot be read; the state is then unchanged and nothing is concluded.
     * Precondition: the state is for this log key.
     */
    public Result poll(MonitorState state) throws IOException {
        List<String> lines = new ArrayList<>();
        if (state.alarm() != null) {
            lines.add("alarm raised " + state.alarm().at() + " is still standing; investigate, then delete the state file to start over");
            return new Result(state, lines, state.alarm().kind());
        }
        String note = client.checkpoint();
        Checkpoint checkpoint;
        try {
            checkpoint = SignedNotes.verify(note, logKey);
        } catch (CheckpointException e) {
            return alarm(state, lines, AlarmKind.BAD_CHECKPOINT, e.getMessage(), note);
        }
        lines.add("checkpoint  " + checkpoint.origin() + " size " + checkpoint.size() + " root " + Hashes.hex(checkpoint.rootHash()));
        List<String> invalid = new ArrayList<>();
        for (Cosignatures.Cosigned c : Cosignatures.verifyAll(Note.parse(note), witnesses, invalid)) {
            lines.add("cosigned    by " + c.witness().name() + " at " + c.time());
        }
        if (!invalid.isEmpty()) {
            return alarm(state, lines, AlarmKind.BAD_COSIGNATURE, String.join("; ", invalid), note);
        }
        Checkpoint previous;
        try {
            previous = state.checkpoint() == null ? null : SignedNotes.verify(state.checkpoint(), logKey);
        } catch (CheckpointException e) {
            throw new RecordFormatException("the state's checkpoint does not verify with the log key: " + e.getMessage());
        }
        if (previous != null && checkpoint.size() < previous.size()) {
            return alarm(state, lines, AlarmKind.ROLLBACK, "the log now serves size " + checkpoint.size() + " after it signed size " + previous.size(), note);
        }
        if (previous != null && checkpoint.size() == previous.size()) {
            if (!MessageDigest.isEqual(checkpoint.rootHash(), previous.rootHash())) {
                return alarm(state, lines, AlarmKind.FORK, "two signed checkpoints of size " + checkpoint.size() + " with different roots", note);
            }
            if (!checkpoint.equals(previous)) {
                lines.add("same tree   signed again with other extension lines");
                return checkMap(state, lines, checkpoint, note);
            }
            lines.add("unchanged   since the last poll");
            return new Result(state.seen(note), lines, null);
        }
        TileNodeStore tiles = new TileNodeStore(checkpoint.size(), tile -> {
            try {
                return client.tile(tile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            MerkleTree tree = tiles.tree();
            if (!MessageDigest.isEqual(tree.root(), checkpoint.rootHash())) {
                return alarm(state, lines, AlarmKind.TILES_INVALID, "the tiles of size " + checkpoint.size() + " do not hash to the checkpoint's root", note);
            }
            if (previous == null) {
                lines.add("first view  trusted on first use; the tiles reproduce its root (" + tiles.tilesFetched() + " tiles)");
                return checkMap(state, lines, checkpoint, note);
            }
            if (previous.size() == 0) {
                lines.add("consistent  every tree extends the empty one seen before");
                return checkMap(state, lines, checkpoint, note);
            }
            List<byte[]> proof = tree.consistencyProof(previous.size(), checkpoint.size());
            try {
                Proofs.verifyConsistency(previous.size(), checkpoint.size(), previous.rootHash(), checkpoint.rootHash(), proof);
            } catch (ProofException e) {
                return alarm(state, lines, AlarmKind.FORK, "the tree of size " + checkpoint.size() + " does not extend the tree of size " + previous.size()
                        + " seen before: " + e.getMessage(), note);
            }
            lines.add("consistent  with size " + previous.size() + " seen before (proof of " + proof.size() + " hashes from " + tiles.tilesFetched() + " tiles)");
            return checkMap(state, lines, checkpoint, note);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (ProofException e) {
            return alarm(state, lines, AlarmKind.TILES_INVALID, e.getMessage(), note);
        }
    }

    /**
     * Replays the entries the checkpoint covers (those not replayed yet) and compares the tree and the map
     * they give with the checkpoint's root and {@code trace-map/1} line. Skipped, with a line saying so,
     * when the checkpoint has no map line or the entries cannot be read. Precondition: the checkpoint
     * verified and is consistent with everything replayed before.
     */
    private Result checkMap(MonitorState state, List<String> lines, Checkpoint checkpoint, String note) throws IOException {
        byte[] claimed;
        try {
            claimed = MapCheckpoints.mapRoot(checkpoint).orElse(null);
        } catch (CheckpointException e) {
            return alarm(state, lines, AlarmKind.BAD_CHECKPOINT, e.getMessage(), note);
        }
        if (claimed == null) {
            lines.add("map         the checkpoint names no map root (no trace-map/1 line)");
            return new Result(state.seen(note), lines, null);
        }
        if (replayedTree == null || replayedTree.size() > checkpoint.size()) {
            replayedTree = MerkleTree.inMemory();
            replayedMap = LogMap.inMemory();
        }
        try {
            while (replayedTree.size() < checkpoint.size()) {
                long start = replayedTree.size();
                Optional<List<SignedRecord>> page = client.entries(start, Math.min(checkpoint.size(), start + PAGE));
                if (page.isEmpty()) {
                    replayedTree = null;
                    lines.add("map         not recomputed: the entries cannot be read (--entries, with a token that may read every chain)");
                    return new Result(state.seen(note), lines, null);
                }
                if (page.get().isEmpty()) {
                    throw new IOException("the log served no entries from index " + start);
                }
                for (SignedRecord entry : page.get()) {
                    replayedTree.append(TreeHash.leaf(entry.canonicalBytes()));
                }
                replayedMap.append(page.get());
            }
        } catch (IOException | RuntimeException e) {
            replayedTree = null; // a partial replay is not kept
            throw e;
        }
        if (!MessageDigest.isEqual(replayedTree.root(), checkpoint.rootHash())) {
            replayedTree = null;
            return alarm(state, lines, AlarmKind.ENTRIES_INVALID, "the " + checkpoint.size() + " entries served do not hash to the checkpoint's root", note);
        }
        byte[] recomputed = replayedMap.root();
        if (!MessageDigest.isEqual(recomputed, claimed)) {
            return alarm(state, lines, AlarmKind.MAP_MISMATCH, "the checkpoint's trace-map/1 root " + Hashes.hex(claimed) + " is not " + Hashes.hex(recomputed)
                    + ", the root of the map derived from its " + checkpoint.size() + " entries", note);
        }
        lines.add("map         recomputed from the " + checkpoint.size() + " entries: the trace-map/1 root matches");
        return new Result(state.seen(note), lines, null);
    }

    private Result alarm(MonitorState state, List<String> lines, AlarmKind kind, String detail, String note) {
        lines.add("ALARM " + kind + ": " + detail);
        return new Result(state.alarmed(new MonitorState.Alarm(kind, detail, note, clock.instant())), lines, kind);
    }
}
