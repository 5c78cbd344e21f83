package org.batterytrace.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.log.NodeStore;
import org.batterytrace.record.Hashes;

/**
 * Merkle nodes in the {@code merkle_node} table, used on one connection inside one transaction. Writes
 * are buffered and sent as one JDBC batch by {@link #flush()}; reads go through the shared
 * {@link NodeCache}, which only ever holds committed nodes (they never change once written).
 */
final class JdbcNodeStore implements NodeStore {
    private final Connection connection;
    private final NodeCache cache;
    private final List<Object[]> pending = new ArrayList<>();
    /** Every node this store wrote, for the cache once the transaction has committed. */
    private final List<Object[]> written = new ArrayList<>();

    JdbcNodeStore(Connection connection, NodeCache cache) {
        this.connection = connection;
        this.cache = cache;
    }

    @Override
    public byte[] get(int level, long index) {
        byte[] cached = cache.get(level, index);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT hash FROM merkle_node WHERE lvl = ? AND idx = ?")) {
            select.setInt(1, level);
            select.setLong(2, index);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("merkle node (" + level + ", " + index + ") is missing");
                }
                byte[] hash = Hashes.fromHex(rs.getString(1));
                cache.put(level, index, hash);
                return hash;
            }
        } catch (SQLException e) {
            throw new LogStorageException("reading merkle node", e);
        }
    }

    @Override
    public void put(int level, long index, byte[] hash) {
        pending.add(new Object[] {level, index, Hashes.hex(hash)});
        written.add(new Object[] {level, index, hash});
    }

    /**
     * Puts the nodes written through this store into the shared cache; call only after their transaction
     * committed. The next append reads the same right edge of the tree, which would otherwise cost one
     * query per level.
     */
    void cacheWritten() {
        for (Object[] node : written) {
            cache.put((Integer) node[0], (Long) node[1], (byte[]) node[2]);
        }
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO merkle_node (lvl, idx, hash) VALUES (?, ?, ?)")) {
            for (Object[] row : pending) {
                insert.setInt(1, (Integer) row[0]);
                insert.setLong(2, (Long) row[1]);
                insert.setString(3, (String) row[2]);
                insert.addBatch();
            }
            insert.executeBatch();
            pending.clear();
        } catch (SQLException e) {
            throw new LogStorageException("writing merkle nodes", e);
        }
    }
}
