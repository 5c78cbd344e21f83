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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * covers). Only the checkpoint integrator advances it, under its row lock, in the transaction that signs
 * the checkpoint naming the new root — so the stored map always matches the latest map checkpoint, and
 * a restart resumes from the stored tiles instead of replaying the log.
 * <p>
 * Readers take no lock. A proof reads the map size, then the tiles, then the size again; a changed size
 * means an integrator committed in between, and the read is retried (a sequence lock: every commit that
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

    /** Proofs for labels and the map size (checkpoint tree size) they hold at. */
    public record Proven(long size, List<MapProof> proofs) {
    }

    /**
     * Drops this instance's copy of the upper tiles. Only for tools that rewrite {@code map_tile} without
     * the integrator (the map-proof benchmark's bulk fill): the copy would not see their changes.
     */
    public void forgetCachedTiles() {
        cache.invalidate();
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
     * Applies log entries [from, to) to the map and records that it covers {@code to}; returns the new
     * root. The caller holds the integrator lock and {@code from} is the map's size.
     */
    public byte[] advance(long from, long to) {
        return withConnection(connection -> {
            long started = System.nanoTime();
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
            long read = System.nanoTime() - started;
            Map<TileId, Tile> written = new HashMap<>();
            TileStore tiles = cache.over(new JdbcTileStore(connection), from);
            long[] loadAndStore = new long[2];
            TileStore recording = new TileStore() {
                @Override
                public Map<TileId, Tile> load(java.util.Collection<TileId> ids) {
                    long start = System.nanoTime();
                    Map<TileId, Tile> loaded = tiles.load(ids);
                    loadAndStore[0] += System.nanoTime() - start;
                    return loaded;
                }

                @Override
                public void store(Map<TileId, Tile> changed) {
                    long start = System.nanoTime();
                    tiles.store(changed);
                    loadAndStore[1] += System.nanoTime() - start;
                    written.putAll(changed);
                }
            };
            byte[] root = new LogMap(recording, from).apply(entries);
            long total = System.nanoTime() - started;
            metrics.timer("trace.map.advance").record(total, java.util.concurrent.TimeUnit.NANOSECONDS);
            phase("read entries", read);
            phase("load tiles", loadAndStore[0]);
            phase("store tiles", loadAndStore[1]);
            phase("hash", total - read - loadAndStore[0] - loadAndStore[1]);
            metrics.counter("trace.map.tiles.written").increment(written.size());
            // The copy of the upper tiles follows the database only once this transaction has committed.
            TransactionEnd.then(transactions, () -> cache.publish(from, to, written), cache::invalidate);
            try (PreparedStatement update = connection.prepareStatement("UPDATE log_state SET counter = ? WHERE name = 'map'")) {
                update.setLong(1, to);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new LogStorageException("recording the map size", e);
            }
            return root;
        });
    }

    /** Where map maintenance spends its time ({@code trace.map.phase}), for benchmarks. */
    private void phase(String name, long nanos) {
        metrics.timer("trace.map.phase", "phase", name).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
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
