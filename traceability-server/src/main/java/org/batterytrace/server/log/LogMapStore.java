package org.batterytrace.server.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.SignedRecord;
import org.hibernate.Session;

/**
 * The log-derived map in the database ({@code map_tile}, and {@code log_state('map')}: the log size it
 * covers), and this instance's tiles not yet stored. Only the checkpoint integrator changes it:
 * {@link #advance} computes the map at a new size in memory, under the integrator's row lock, for the
 * checkpoint that names the new root; {@link #store} later writes every tile changed since the stored
 * size in one transaction and raises that size, under the {@code log_state('map')} row lock only, so
 * that checkpoints go on being signed while it writes. Between the two, the stored map is that of an
 * older checkpoint, and proofs are served from the unstored tiles over it; a crash in between loses nothing, as the next
 * integrator replays the entries after the stored size (the map is a function of the log). Storing after
 * the checkpoint keeps the tile writes out of the checkpoint's latency, and storing several checkpoints'
 * changes at once writes a tile changed by each of them once: the upper tiles, rewritten by every
 * checkpoint, are most of the saving.
 * <p>
 * An advance may read tiles while a store commits. It reads a tile from the database only when its
 * unstored tiles do not hold it, that is when no entry between the stored size and its own size changed
 * it, so any stored state between the two gives the same tile. It checks the stored size afterwards: a
 * map stored beyond its own size (by another instance) may have changed such a tile, and the advance is
 * then started again from the stored map.
 * <p>
 * Readers take no lock. A proof reads the stored size, then the tiles, then the stored size again; a
 * size that moved beyond the map it read means a store committed in between, and the read is retried (a
 * sequence lock: every commit that touches tiles also raises the size).
 */
@ApplicationScoped
public class LogMapStore {
    /** Attempts before a reader gives up on a map that keeps moving (it moves at most once per checkpoint). */
    private static final int READ_ATTEMPTS = 20;

    @Inject
    EntityManager em;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private final TileCache cache = new TileCache();

    /**
     * Tiles changed since the stored map (size {@code base}), at map size {@code size}. Never changed in
     * place: the integrator and the store replace it ({@code synchronized}), and a store writes the one it
     * started with while later advances replace it.
     */
    private record Pending(long base, long size, Map<TileId, Tile> tiles) {
        static Pending at(long stored) {
            return new Pending(stored, stored, Map.of());
        }

        /**
         * Whether tiles read from a database whose stored map has size {@code stored} are those of this
         * map: the tiles read there are ones no entry in [base, size) changed, the same in every stored
         * state in between.
         */
        boolean readsAlike(long stored) {
            return stored >= base && stored <= size;
        }

        /** This map: its unstored tiles over the stored ones (as of {@code base}). Writes go to {@code written}. */
        TileStore over(TileStore stored, Map<TileId, Tile> written) {
            return new TileStore() {
                @Override
                public Map<TileId, Tile> load(Collection<TileId> ids) {
                    return TileCache.loadThrough(ids, tiles::get, stored);
                }

                @Override
                public void store(Map<TileId, Tile> changed) {
                    written.putAll(changed);
                }
            };
        }
    }

    private volatile Pending pending = Pending.at(-1);

    /** Proofs for labels and the map size (checkpoint tree size) they hold at. */
    public record Proven(long size, List<MapProof> proofs) {
    }

    /**
     * Drops this instance's copy of the upper tiles and its unstored tiles; the integrator then continues
     * from the stored map, as after a restart. Only for tools that rewrite {@code map_tile} without the
     * integrator (the map-proof benchmark's bulk fill: the copy would not see their changes), and for tests
     * of a crash between a checkpoint and the store of its tiles.
     */
    public synchronized void forgetCachedTiles() {
        cache.invalidate();
        pending = Pending.at(-1);
    }

    /**
     * The map size the integrator continues from: where its unstored tiles reach, or the stored size
     * when it has none or the stored map moved without it (another instance stored). The caller holds
     * the integrator's locks.
     */
    public synchronized long mappedSize() {
        long stored = size();
        if (pending.base() != stored) {
            pending = Pending.at(stored);
        }
        return pending.size();
    }

    /** Tiles changed since the stored map. */
    public int unstoredTiles() {
        return pending.tiles().size();
    }

    /** Whether the integrator has computed map sizes that are not stored yet. */
    public boolean hasUnstored() {
        Pending now = pending;
        return now.size() > now.base();
    }

    /** The log size the stored map covers (committed; no lock). */
    public long size() {
        return withConnection(LogMapStore::size);
    }

    private static long size(Connection connection) {
        try (PreparedStatement select = connection.prepareStatement("SELECT counter FROM log_state WHERE name = 'map'");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LogStorageException("reading the map size", e);
        }
    }

    /**
     * Applies log entries [from, to) to the map in memory and returns the new root; {@code from} is
     * {@link #mappedSize()} and the caller holds the integrator's locks. The changed tiles join the unstored
     * ones when the current transaction (the one that signs the checkpoint naming the root) commits.
     * Returns empty, having dropped this instance's unstored tiles, when another instance stored the map
     * beyond {@code from} meanwhile: the caller starts again from {@link #mappedSize()}.
     */
    public Optional<byte[]> advance(long from, long to) {
        Pending before = pending;
        if (from != before.size()) {
            throw new IllegalStateException("the map is at " + before.size() + ", not " + from);
        }
        return withConnection(connection -> {
            long started = System.nanoTime();
            List<LogMap.Entry> entries = readEntries(connection, from, to);
            long read = System.nanoTime() - started;
            Map<TileId, Tile> written = new HashMap<>();
            TileStore map = before.over(cache.over(new JdbcTileStore(connection), before.base()), written);
            long[] loading = new long[1];
            TileStore timed = new TileStore() {
                @Override
                public Map<TileId, Tile> load(Collection<TileId> ids) {
                    long start = System.nanoTime();
                    Map<TileId, Tile> found = map.load(ids);
                    loading[0] += System.nanoTime() - start;
                    return found;
                }

                @Override
                public void store(Map<TileId, Tile> tiles) {
                    map.store(tiles);
                }
            };
            byte[] root = new LogMap(timed, from).apply(entries);
            if (!before.readsAlike(size(connection))) {
                synchronized (this) {
                    pending = Pending.at(-1);
                }
                return Optional.<byte[]>empty();
            }
            long total = System.nanoTime() - started;
            metrics.timer("trace.map.advance").record(total, TimeUnit.NANOSECONDS);
            phase("read entries", read);
            phase("load tiles", loading[0]);
            phase("hash", total - read - loading[0]);
            TransactionEnd.then(transactions, () -> advanced(before, to, written), () -> {
            });
            return Optional.of(root);
        });
    }

    /** After the commit of an advance from {@code before}: its tiles join the unstored ones (rebased by a store meanwhile). */
    private synchronized void advanced(Pending before, long to, Map<TileId, Tile> written) {
        if (pending.size() != before.size()) {
            return; // dropped meanwhile: the integrator continues from the stored map
        }
        // A copy of every unstored tile at each checkpoint: up to map-unstored-tiles of them. Layers that spared the copy
        // kept superseded upper tiles alive longer and did not run faster (docs/benchmarks.md, twenty-third session).
        long start = System.nanoTime();
        Map<TileId, Tile> tiles = new HashMap<>(pending.tiles());
        tiles.putAll(written);
        pending = new Pending(pending.base(), to, tiles);
        phase("join unstored", System.nanoTime() - start);
    }

    /**
     * After the commit of a store of {@code stored}: the unstored tiles are those changed since, the ones
     * advances replaced after the store started. A tile object is never changed once unstored, so the same
     * object means the same tile.
     */
    private synchronized void storedUpTo(Pending stored) {
        cache.publish(stored.base(), stored.size(), stored.tiles());
        if (pending.base() != stored.base() || pending.size() < stored.size()) {
            return; // reset meanwhile (the integrator rereads the stored size)
        }
        Map<TileId, Tile> newer = new HashMap<>();
        pending.tiles().forEach((id, tile) -> {
            if (stored.tiles().get(id) != tile) {
                newer.put(id, tile);
            }
        });
        pending = new Pending(stored.size(), pending.size(), newer);
    }

    /**
     * Writes the unstored tiles and raises the stored size to where they reach, in the current transaction,
     * holding the {@code log_state('map')} row lock: one store at a time per database, while checkpoints go
     * on. Returns the number of tiles written. If the stored map moved meanwhile (another instance stored),
     * the unstored tiles are dropped instead: the integrator then continues from the stored map.
     */
    public int store() {
        Pending unstored = pending;
        if (unstored.size() <= unstored.base()) {
            return 0;
        }
        return withConnection(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT counter FROM log_state WHERE name = 'map' FOR UPDATE");
                 ResultSet rs = lock.executeQuery();
                 PreparedStatement update = connection.prepareStatement("UPDATE log_state SET counter = ? WHERE name = 'map'")) {
                rs.next();
                if (rs.getLong(1) != unstored.base()) {
                    synchronized (this) {
                        if (pending.base() == unstored.base()) {
                            pending = Pending.at(-1);
                        }
                        cache.invalidate();
                    }
                    return 0;
                }
                update.setLong(1, unstored.size());
                update.executeUpdate();
            } catch (SQLException e) {
                throw new LogStorageException("recording the map size", e);
            }
            long start = System.nanoTime();
            new JdbcTileStore(connection).store(unstored.tiles());
            long nanos = System.nanoTime() - start;
            metrics.timer("trace.map.store").record(nanos, TimeUnit.NANOSECONDS);
            phase("store tiles", nanos);
            metrics.counter("trace.map.tiles.written").increment(unstored.tiles().size());
            // The copy of the upper tiles follows the database only once this transaction has committed.
            TransactionEnd.then(transactions, () -> storedUpTo(unstored), cache::invalidate);
            return unstored.tiles().size();
        });
    }

    private static List<LogMap.Entry> readEntries(Connection connection, long from, long to) {
        List<LogMap.Entry> entries = new ArrayList<>((int) (to - from));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT idx, subject, seq, hash, type, CASE WHEN type IN ('KEY_REGISTERED', 'KEY_REVOKED') THEN envelope END"
                        + " FROM log_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            select.setLong(1, from);
            select.setLong(2, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long idx = rs.getLong(1);
                    String type = rs.getString(5);
                    entries.add(LogMap.Entry.readsData(type) ? LogMap.Entry.of(idx, SignedRecord.parse(rs.getString(6)))
                            : new LogMap.Entry(idx, rs.getString(2), rs.getLong(3), Hashes.hex(rs.getBytes(4)), type, null));
                }
            }
        } catch (SQLException e) {
            throw new LogStorageException("reading log entries for the map", e);
        }
        if (entries.size() != to - from) {
            throw new IllegalStateException("log entries [" + from + ", " + to + ") are not all committed");
        }
        return entries;
    }

    /** Where map maintenance spends its time ({@code trace.map.phase}), for benchmarks. */
    private void phase(String name, long nanos) {
        metrics.timer("trace.map.phase", "phase", name).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The log size whose map {@link #prove} answers for: that of the latest map checkpoint this instance
     * signed, before its tiles are stored too, or else the stored map's.
     */
    public long provableSize() {
        Pending now = pending;
        long stored = size();
        return now.base() == stored ? now.size() : stored;
    }

    /**
     * Membership or non-membership proofs of {@code labels} (see {@code MapLabels}) from one consistent
     * state of the map, and the log size that state covers: {@link #provableSize()}. Unstored tiles are
     * served from memory, so proofs exist for a checkpoint as soon as it is signed.
     */
    @Transactional
    public Proven prove(List<String> labels) {
        return withConnection(connection -> {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                Pending unstored = pending;
                long stored = size(connection);
                Pending state = unstored.base() == stored ? unstored : Pending.at(stored);
                LogMap map = new LogMap(state.over(cache.over(new JdbcTileStore(connection), stored), new HashMap<>()), state.size());
                List<MapProof> proofs = new ArrayList<>(labels.size());
                for (String label : labels) {
                    proofs.add(map.prove(label));
                }
                if (state.readsAlike(size(connection))) {
                    return new Proven(state.size(), proofs);
                }
            }
            throw new LogStorageException("reading the map", new SQLException("the map kept changing during " + READ_ATTEMPTS + " attempts"));
        });
    }

    private <T> T withConnection(Function<Connection, T> work) {
        List<T> result = new ArrayList<>(1);
        em.unwrap(Session.class).doWork(connection -> result.add(work.apply(connection)));
        return result.get(0);
    }
}
