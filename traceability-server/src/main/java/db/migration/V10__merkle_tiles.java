package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14 (storage per record): Merkle nodes are kept the way C2SP tlog-tiles lay them out. Leaf hashes
 * move from {@code merkle_node} (level 0, hex text, a row per leaf) into {@code log_entry.leaf_hash} (32
 * bytes beside their entry); of the other nodes only the tile levels 8, 16, … stay, and the levels
 * between them are recomputed from the tile below (JdbcNodeStore). A Java migration because converting
 * hex text to bytes has no SQL common to H2 and PostgreSQL: PostgreSQL gets one set-based
 * {@code decode}, other databases a batched copy.
 */
public class V10__merkle_tiles extends BaseJavaMigration {
    private static final int BATCH = 10_000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("ALTER TABLE log_entry ADD COLUMN leaf_hash BYTEA");
            if (MigrationSql.isPostgres(connection)) {
                s.executeUpdate("UPDATE log_entry e SET leaf_hash = decode(m.hash, 'hex') FROM merkle_node m WHERE m.lvl = 0 AND m.idx = e.idx");
            } else {
                MigrationSql.copyHexAsBytes(connection, "SELECT idx, hash FROM merkle_node WHERE lvl = 0 AND idx >= ? ORDER BY idx LIMIT " + BATCH,
                        "UPDATE log_entry SET leaf_hash = ? WHERE idx = ?");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM log_entry WHERE leaf_hash IS NULL")) {
                rs.next();
                if (rs.getLong(1) != 0) {
                    throw new IllegalStateException(rs.getLong(1) + " log entries have no leaf hash in merkle_node; the log is damaged");
                }
            }
            s.execute("ALTER TABLE log_entry ALTER COLUMN leaf_hash SET NOT NULL");
            s.executeUpdate("DELETE FROM merkle_node WHERE lvl = 0 OR MOD(lvl, 8) <> 0");
        }
    }
}
