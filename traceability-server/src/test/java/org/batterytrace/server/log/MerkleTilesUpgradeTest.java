package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.batterytrace.log.InMemoryNodeStore;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NodeStore;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.Hashes;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V10 (Merkle nodes stored as tlog-tiles) upgrades a database created at V8 in place: a log
 * written the old way — every node of the tree a {@code merkle_node} row of hex — keeps its roots and
 * its inclusion and consistency proofs for every size, byte for byte, when read through the tiled
 * {@link JdbcNodeStore}; only the tile levels stay in {@code merkle_node}, the leaves move beside their
 * entries, and appends after the upgrade continue the same tree. V13 then turns every record hash from
 * hex text into its 32 bytes. On H2 here, on PostgreSQL in
 * {@code PostgresMerkleTilesUpgradeTest}.
 */
public class MerkleTilesUpgradeTest {
    /** Above 256² leaves, so that the old database holds nodes of three tile levels (0, 8, 16) and the levels between. */
    private static final int OLD_SIZE = 65_536 + 1_234;
    private static final int APPENDED = 700;

    protected DataSource database() throws Exception {
        return InMemoryH2.create("upgrade");
    }

    @Test
    void aLogWrittenAtV8KeepsItsRootsAndProofsAfterTheUpgrade() throws Exception {
        DataSource db = database();
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("8").load().migrate();

        // The old layout: entries without leaf hashes, and every node the tree completes as a row of hex.
        Map<String, byte[]> oldRows = new HashMap<>();
        InMemoryNodeStore memory = new InMemoryNodeStore();
        NodeStore recording = new NodeStore() {
            @Override
            public byte[] get(int level, long index) {
                return memory.get(level, index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                memory.put(level, index, hash);
                oldRows.put(level + "/" + index, hash);
            }
        };
        MerkleTree expected = new MerkleTree(recording);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement entry = c.prepareStatement("INSERT INTO log_entry (idx, subject, seq, type, actor, record_time, hash, envelope, accepted_at)"
                    + " VALUES (?, ?, 1, 'PRODUCED', '91430100MA4L000001', ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < OLD_SIZE; i++) {
                    String envelope = envelope(i);
                    expected.append(TreeHash.leaf(envelope.getBytes(StandardCharsets.UTF_8)));
                    bindEntry(entry, i, envelope, now);
                    entry.setString(4, Hashes.hex(Hashes.sha256(envelope.getBytes(StandardCharsets.UTF_8)))); // hex text before V13
                    entry.addBatch();
                    if (i % 5_000 == 4_999) {
                        entry.executeBatch();
                    }
                }
                entry.executeBatch();
            }
            try (PreparedStatement node = c.prepareStatement("INSERT INTO merkle_node (lvl, idx, hash) VALUES (?, ?, ?)")) {
                int n = 0;
                for (var row : oldRows.entrySet()) {
                    String[] key = row.getKey().split("/");
                    node.setInt(1, Integer.parseInt(key[0]));
                    node.setLong(2, Long.parseLong(key[1]));
                    node.setString(3, Hashes.hex(row.getValue()));
                    node.addBatch();
                    if (++n % 5_000 == 0) {
                        node.executeBatch();
                    }
                }
                node.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE log_state SET counter = " + OLD_SIZE + " WHERE name = 'size'");
            }
            c.commit();
        }
        assertEquals(2L * OLD_SIZE - Long.bitCount(OLD_SIZE), oldRows.size(), "the old layout kept every complete subtree");

        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT lvl, COUNT(*) FROM merkle_node GROUP BY lvl ORDER BY lvl")) {
                    List<String> levels = new ArrayList<>();
                    while (rs.next()) {
                        levels.add(rs.getInt(1) + ":" + rs.getLong(2));
                    }
                    assertEquals(List.of("8:" + OLD_SIZE / 256, "16:" + OLD_SIZE / 65_536), levels, "only the tile levels above the leaves stay in merkle_node");
                }
                try (ResultSet rs = s.executeQuery("SELECT idx, leaf_hash, hash FROM log_entry ORDER BY idx")) {
                    int i = 0;
                    while (rs.next()) {
                        assertEquals(i, rs.getLong(1));
                        assertArrayEquals(expected.leafHash(i), rs.getBytes(2), "leaf hash of entry " + i);
                        assertArrayEquals(Hashes.sha256(envelope(i).getBytes(StandardCharsets.UTF_8)), rs.getBytes(3), "record hash of entry " + i + " as bytes (V13)");
                        i++;
                    }
                    assertEquals(OLD_SIZE, i);
                }
            }
            assertSameTree(expected, c, OLD_SIZE);

            // Appends after the upgrade write the new layout (as TransparencyLog does) and continue the same tree.
            JdbcNodeStore store = new JdbcNodeStore(c, new NodeCache(4096));
            MerkleTree tree = MerkleTree.open(store, OLD_SIZE);
            try (PreparedStatement entry = c.prepareStatement("INSERT INTO log_entry (idx, subject, seq, type, actor, record_time, hash, envelope, accepted_at, leaf_hash)"
                    + " VALUES (?, ?, 1, 'PRODUCED', '91430100MA4L000001', ?, ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = OLD_SIZE; i < OLD_SIZE + APPENDED; i++) {
                    String envelope = envelope(i);
                    byte[] leaf = TreeHash.leaf(envelope.getBytes(StandardCharsets.UTF_8));
                    expected.append(leaf);
                    assertEquals(i, tree.append(leaf));
                    bindEntry(entry, i, envelope, now);
                    entry.setBytes(7, leaf);
                    entry.addBatch();
                }
                entry.executeBatch();
            }
            store.flush();
            c.commit();
            assertArrayEquals(expected.root(), tree.root());
            assertSameTree(expected, c, OLD_SIZE + APPENDED);
        }
    }

    /** Roots and proofs read from the database through a fresh (empty) node cache equal the in-memory tree's. */
    private static void assertSameTree(MerkleTree expected, Connection c, long size) {
        MerkleTree stored = MerkleTree.open(new JdbcNodeStore(c, new NodeCache(4096)), size);
        assertArrayEquals(expected.root(size), stored.root(), "root at " + size);
        long[] sizes = {1, 2, 3, 255, 256, 257, 511, 4_097, 65_535, 65_536, 65_537, size - 1, size};
        for (long s : sizes) {
            if (s > size) {
                continue;
            }
            assertArrayEquals(expected.root(s), stored.root(s), "root at " + s);
            for (long index : new long[] {0, s / 3, s / 2, s - 1}) {
                assertEquals(hex(expected.inclusionProof(index, s)), hex(stored.inclusionProof(index, s)), "inclusion of " + index + " at " + s);
            }
            for (long first : new long[] {1, s / 2, s - 1}) {
                if (first >= 1) {
                    assertEquals(hex(expected.consistencyProof(first, s)), hex(stored.consistencyProof(first, s)), "consistency " + first + " → " + s);
                }
            }
        }
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(Hashes::hex).toList();
    }

    /** The columns an entry has in both layouts (parameters 1–6 of either insert), the record hash as bytes (V13). */
    private static void bindEntry(PreparedStatement entry, int index, String envelope, Timestamp now) throws java.sql.SQLException {
        entry.setLong(1, index);
        entry.setString(2, "SUBJECT" + index);
        entry.setTimestamp(3, now);
        entry.setBytes(4, Hashes.sha256(envelope.getBytes(StandardCharsets.UTF_8)));
        entry.setString(5, envelope);
        entry.setTimestamp(6, now);
    }

    private static String envelope(int i) {
        return "{\"record\":{\"subject\":\"SUBJECT" + i + "\"}}";
    }
}
