package org.batterytrace.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.log.NodeStore;
import org.batterytrace.log.Tile;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.Hashes;

/**
 * Merkle nodes as C2SP tlog-tiles lay them out (c2sp.org/tlog-tiles): only the tile levels — tree
 * heights 0, 8, 16, … — are stored, the leaf hashes (height 0) in {@code log_entry.leaf_hash} beside
 * their entry and the higher ones in {@code merkle_node}. A node between two tile levels is recomputed
 * from the stored nodes below it in its tile (one range read of at most 256): it is the root of a
 * complete subtree of them.
 * A tree of n leaves thus stores n + n/255 hashes instead of 2n − 1 rows, and a tile is still one range read.
 * <p>
 * Used on one connection inside one transaction. Writes are buffered and sent as one JDBC batch by
 * {@link #flush()} (the leaf hashes go with the entry rows, written by the caller); reads go through the
 * shared {@link NodeCache}, which only ever holds committed nodes (they never change once written).
 */
final class JdbcNodeStore implements NodeStore {
    private final Connection connection;
    private final NodeCache cache;
    private final List<Object[]> pending = new ArrayList<>();
    /** Nodes between tile levels this store has recomputed (for this store only: it may see uncommitted rows). */
    private final java.util.Map<String, byte[]> computed = new java.util.HashMap<>();
    /** Every node this store completed, for the cache once the transaction has committed. */
    private final List<Object[]> written = new ArrayList<>();

    JdbcNodeStore(Connection connection, NodeCache cache) {
        this.connection = connection;
        this.cache = cache;
    }

    /** Whether nodes of this height are stored (a tile level); the others are recomputed. */
    static boolean stored(int level) {
        return level % Tile.HEIGHT == 0;
    }

    @Override
    public byte[] get(int level, long index) {
        byte[] cached = cache.get(level, index);
        if (cached == null) {
            cached = computed.get(key(level, index));
        }
        if (cached != null) {
            return cached;
        }
        if (stored(level)) {
            List<byte[]> node = read(level, index, 1);
            if (node.isEmpty()) {
                throw new IllegalStateException("merkle node (" + level + ", " + index + ") is missing");
            }
            cache.put(level, index, node.get(0));
            return node.get(0);
        }
        computeTile(level - level % Tile.HEIGHT, (index << (level % Tile.HEIGHT)) >> Tile.HEIGHT);
        byte[] hash = computed.get(key(level, index));
        if (hash == null) {
            throw new IllegalStateException("merkle node (" + level + ", " + index + ") is missing");
        }
        cache.put(level, index, hash);
        return hash;
    }

    /**
     * Reads the stored nodes of tile {@code tile} at tile level {@code base} (as many as exist) and
     * remembers every complete subtree of them up to 7 levels higher: the siblings a proof needs inside one
     * tile then cost one range read together.
     */
    private void computeTile(int base, long tile) {
        List<byte[]> row = read(base, tile << Tile.HEIGHT, Tile.FULL_WIDTH);
        long first = tile << Tile.HEIGHT;
        for (int up = 1; up < Tile.HEIGHT && row.size() > 1; up++) {
            List<byte[]> next = new ArrayList<>(row.size() / 2);
            for (int i = 0; i + 1 < row.size(); i += 2) {
                byte[] parent = TreeHash.node(row.get(i), row.get(i + 1));
                next.add(parent);
                computed.put(key(base + up, (first >> up) + i / 2), parent);
            }
            row = next;
        }
    }

    private static String key(int level, long index) {
        return level + "/" + index;
    }

    /**
     * Stored nodes {@code [first, first + count)} of a tile level, in index order; fewer when the tree
     * does not have them all (yet).
     */
    List<byte[]> read(int level, long first, int count) {
        String sql = level == 0 ? "SELECT leaf_hash FROM log_entry WHERE idx >= ? AND idx < ? ORDER BY idx"
                : "SELECT hash FROM merkle_node WHERE lvl = " + level + " AND idx >= ? AND idx < ? ORDER BY idx";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, first);
            select.setLong(2, first + count);
            List<byte[]> nodes = new ArrayList<>(count);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    nodes.add(level == 0 ? rs.getBytes(1) : Hashes.fromHex(rs.getString(1)));
                }
            }
            return nodes;
        } catch (SQLException e) {
            throw new LogStorageException("reading merkle nodes", e);
        }
    }

    /** Level 0 is written by the caller with its entry; other tile levels go to {@code merkle_node} at {@link #flush()}. */
    @Override
    public void put(int level, long index, byte[] hash) {
        if (level > 0 && stored(level)) {
            pending.add(new Object[] {level, index, Hashes.hex(hash)});
        }
        written.add(new Object[] {level, index, hash});
    }

    /**
     * Puts the nodes completed through this store into the shared cache; call only after their transaction
     * committed. The next append reads the same right edge of the tree, which would otherwise cost a
     * query (and up to 127 hashes) per level.
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
