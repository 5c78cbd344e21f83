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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.time.TraceClock;
import org.hibernate.Session;

/**
 * The append-only log in the database. Appends hold a row lock on the log size from
 * {@link #lock()} until commit, so index assignment is gap-free and serial across every server
 * instance sharing the database; each append writes its entry rows (with their leaf hashes) and the
 * tile-level Merkle nodes it completes in the caller's transaction, so an acknowledged index is durable.
 */
@ApplicationScoped
public class TransparencyLog {
    @Inject
    TraceClock clock;
    @Inject
    EntityManager em;
    @Inject
    TransactionSynchronizationRegistry transactions;

    private final NodeCache cache = new NodeCache(4096);

    /** A locked view of the log inside the current transaction. */
    public final class Appender {
        private final Connection connection;
        private long size;
        private final long factsVersion;

        private Appender(Connection connection, long size, long factsVersion) {
            this.connection = connection;
            this.size = size;
            this.factsVersion = factsVersion;
        }

        public long size() {
            return size;
        }

        /** The facts counter when the lock was taken ({@link org.batterytrace.server.facts.FactsCache}). */
        public long factsVersion() {
            return factsVersion;
        }

        /** Appends the entries in order and returns their log indexes. */
        public long[] append(List<SignedRecord> entries) {
            long[] indexes = new long[entries.size()];
            if (entries.isEmpty()) {
                return indexes;
            }
            JdbcNodeStore store = new JdbcNodeStore(connection, cache);
            MerkleTree tree = MerkleTree.open(store, size);
            try {
                BulkInsert insert = BulkInsert.into("log_entry", "idx", "subject", "seq", "type", "actor", "record_time", "hash", "envelope", "accepted_at",
                        "leaf_hash");
                Instant acceptedAt = clock.now();
                for (int i = 0; i < entries.size(); i++) {
                    SignedRecord entry = entries.get(i);
                    TraceRecord record = entry.record();
                    // Submitted records had their leaf hash computed with their signature checks, before the lock.
                    byte[] leaf = entry.leafHash();
                    long index = tree.append(leaf);
                    indexes[i] = index;
                    // The tree's level 0 lives with its entry (leaf_hash; JdbcNodeStore reads it from there).
                    insert.row(index, record.subject(), record.seq(), record.type(), record.actor(), record.instant(), entry.hashBytes(),
                            new BulkInsert.Utf8(entry.canonicalView()), acceptedAt, leaf);
                }
                insert.execute(connection);
                store.flush();
                // Committed nodes never change: once the transaction commits, later appends and proofs read them from memory.
                TransactionEnd.then(transactions, store::cacheWritten, () -> {
                });
                size = tree.size();
                try (PreparedStatement update = connection.prepareStatement("UPDATE log_state SET counter = ? WHERE name = 'size'")) {
                    update.setLong(1, size);
                    update.executeUpdate();
                }
            } catch (SQLException e) {
                throw new LogStorageException("appending to the log", e);
            }
            return indexes;
        }
    }

    /**
     * Takes the log's append lock for the rest of the current transaction. Callers validate chains
     * after taking it, so two writers of one battery cannot both pass the sequence check.
     */
    public Appender lock() {
        em.flush();
        return withConnection(this::lockOn);
    }

    /**
     * {@link #lock()}, waiting for the lock at most {@code millis} ms on PostgreSQL (then the statement fails
     * with SQL state 55P03, lock_not_available). Once the lock is held, lock waits are unbounded again, as in
     * any transaction holding the log lock: a transaction holding rows written ahead of the lock
     * ({@code BatteryRowsAhead}) bounds only how long it holds them without it.
     */
    public Appender lockWithin(long millis) {
        em.flush();
        return withConnection(connection -> {
            try (java.sql.Statement set = connection.createStatement()) {
                boolean postgres = connection.isWrapperFor(org.postgresql.PGConnection.class);
                if (postgres) {
                    set.execute("SET LOCAL lock_timeout = " + millis); // an integer is milliseconds
                }
                Appender appender = lockOn(connection);
                if (postgres) {
                    set.execute("SET LOCAL lock_timeout TO DEFAULT");
                }
                return appender;
            } catch (SQLException e) {
                throw new LogStorageException("bounding the wait for the log lock", e);
            }
        });
    }

    private Appender lockOn(Connection connection) {
        // The facts counter is locked with the size: a change of facts waits for this transaction, and it for the change.
        // In one order for every transaction (ORDER BY): an update moves a row in the heap, and two transactions that
        // locked the two rows in scan order could each hold one and wait for the other.
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, counter FROM log_state WHERE name IN ('size', 'write_facts') ORDER BY name FOR UPDATE");
             ResultSet rs = select.executeQuery()) {
            long size = -1;
            long facts = -1;
            while (rs.next()) {
                if ("size".equals(rs.getString(1))) {
                    size = rs.getLong(2);
                } else {
                    facts = rs.getLong(2);
                }
            }
            return new Appender(connection, size, facts);
        } catch (SQLException e) {
            throw new LogStorageException("locking the log", e);
        }
    }

    /** The committed size (no lock). */
    public long size() {
        return ((Number) em.createNativeQuery("SELECT counter FROM log_state WHERE name = 'size'").getSingleResult()).longValue();
    }

    /** A read-only tree of {@code size} committed leaves, for roots and proofs. Transactional to keep one connection throughout. */
    @Transactional
    public <T> T read(long size, Function<MerkleTree, T> reader) {
        return withConnection(connection -> reader.apply(MerkleTree.open(new JdbcNodeStore(connection, cache), size)));
    }

    /** Stored nodes {@code [first, first + count)} of tile level {@code level} (a multiple of 8), fewer where the tree has none yet. */
    @Transactional
    public List<byte[]> storedNodes(int level, long first, int count) {
        return withConnection(connection -> new JdbcNodeStore(connection, cache).read(level, first, count));
    }

    public List<LogEntryEntity> entries(long start, long end) {
        return LogEntryEntity.list("idx >= ?1 and idx < ?2 order by idx", start, end);
    }

    private <T> T withConnection(Function<Connection, T> work) {
        List<T> result = new ArrayList<>(1);
        em.unwrap(Session.class).doWork(connection -> result.add(work.apply(connection)));
        return result.get(0);
    }
}
