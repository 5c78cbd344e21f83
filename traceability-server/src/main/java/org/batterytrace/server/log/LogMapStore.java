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
 * covers), and this instance's tiles not yet stored. Only the checkpoint integrator changes it, under
 * its row lock: {@link #advance} computes the map at a new size in memory, for the checkpoint that names
 * the new root; {@link #store} later writes every tile changed since the stored size in one transaction
 * and raises that size. Between the two, the stored map is that of an older checkpoint, and proofs are
 * served from it; a crash in between loses nothing, as the next integrator replays the entries after the
 * stored size (the map is a function of the log). Storing after the checkpoint keeps the tile writes out
 * of the checkpoint's latency, and storing several checkpoints' changes at once writes a tile changed by
 * each of them once: the upper tiles, rewritten by every checkpoint, are most of the saving.
 * <p>
 * Readers take no lock. A proof reads the map size, then the tiles, then the size again; a changed size
 * means a store committed in between, and the read is retried (a sequence lock: every commit that
 * touches tiles also raises the size).
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
     * Tiles changed since the stored map (size {@code base}), at map size {@code size}; read and replaced
     * by the integrator only, under its locks (see {@link CheckpointIntegrator}).
     */
    private record Pending(long base, long size, Map<TileId, Tile> tiles) {
        static Pending at(long stored) {
            return new Pending(stored, stored, Map.of());
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
    public void forgetCachedTiles() {
        cache.invalidate();
        pending = Pending.at(-1);
    }

    /**
     * The map size the integrator continues from: where its unstored tiles reach, or the stored size
     * when it has none or the stored map moved without it (another instance stored). The caller holds
     * the integrator's locks.
     */
    public long mappedSize() {
        long stored = size();
        if (pending.base() != stored) {
            pending = Pending.at(stored);
        }
        return pending.size();
    }

    /** Tiles changed since the stored map; the caller holds the integrator's locks. */
    public int unstoredTiles() {
        return pending.tiles().size();
    }

    /** Whether the integrator has computed map sizes that are not stored yet. */
    public boolean hasUnstored() {
        return pending.size() > pending.base();
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
     */
    public byte[] advance(long from, long to) {
        Pending before = pending;
        if (from != before.size()) {
            throw new IllegalStateException("the map is at " + before.size() + ", not " + from);
        }
        return withConnection(connection -> {
            long started = System.nanoTime();
            List<LogMap.Entry> entries = readEntries(connection, from, to);
            long read = System.nanoTime() - started;
            TileStore stored = cache.over(new JdbcTileStore(connection), before.base());
            Map<TileId, Tile> written = new HashMap<>();
            long[] loading = new long[1];
            TileStore overlay = new TileStore() {
                @Override
                public Map<TileId, Tile> load(Collection<TileId> ids) {
                    long start = System.nanoTime();
                    Map<TileId, Tile> found = TileCache.loadThrough(ids, before.tiles()::get, stored);
                    loading[0] += System.nanoTime() - start;
                    return found;
                }

                @Override
                public void store(Map<TileId, Tile> changed) {
                    written.putAll(changed);
                }
            };
            byte[] root = new LogMap(overlay, from).apply(entries);
            long total = System.nanoTime() - started;
            metrics.timer("trace.map.advance").record(total, TimeUnit.NANOSECONDS);
            phase("read entries", read);
            phase("load tiles", loading[0]);
            phase("hash", total - read - loading[0]);
            TransactionEnd.then(transactions, () -> {
                Map<TileId, Tile> tiles = new HashMap<>(before.tiles());
                tiles.putAll(written);
                pending = new Pending(before.base(), to, tiles);
            }, () -> {
            });
            return root;
        });
    }

    /**
     * Writes the unstored tiles and raises the stored size to where they reach, in the current transaction;
     * the caller holds the integrator's locks. Returns the number of tiles written. If the stored map moved
     * meanwhile (another instance stored), the unstored tiles are dropped instead: the integrator then
     * continues from the stored map.
     */
    public int store() {
        Pending unstored = pending;
        if (unstored.size() <= unstored.base()) {
            return 0;
        }
        return withConnection(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE log_state SET counter = ? WHERE name = 'map' AND counter = ?")) {
                update.setLong(1, unstored.size());
                update.setLong(2, unstored.base());
                if (update.executeUpdate() != 1) {
                    pending = Pending.at(-1);
                    cache.invalidate();
                    return 0;
                }
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
            TransactionEnd.then(transactions, () -> {
                cache.publish(unstored.base(), unstored.size(), unstored.tiles());
                if (pending == unstored) {
                    pending = Pending.at(unstored.size());
                }
            }, cache::invalidate);
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
     * Membership or non-membership proofs of {@code labels} (see {@code MapLabels}) from one consistent
     * state of the map, and the log size that state covers.
     */
    @Transactional
    public Proven prove(List<String> labels) {
        return withConnection(connection -> {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                long before = size(connection);
                LogMap map = new LogMap(cache.over(new JdbcTileStore(connection), before), before);
                List<MapProof> proofs = new ArrayList<>(labels.size());
                for (String label : labels) {
                    proofs.add(map.prove(label));
                }
                if (size(connection) == before) {
                    return new Proven(before, proofs);
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
