package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.batterytrace.record.Hashes;

/** What several Java migrations need: which database they run on, and hex text copied into binary columns. */
final class MigrationSql {
    private MigrationSql() {
    }

    static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** Runs {@code statements} in order on PostgreSQL; other databases keep what they have. */
    static void onPostgres(Connection connection, String... statements) throws SQLException {
        if (!isPostgres(connection)) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /**
     * Copies hex text into a binary column in batches, for databases without a hex-to-binary function (H2's
     * {@code HEXTORAW} makes character strings). {@code select} reads {@code (idx, hex)} for
     * {@code idx >= ?} in index order, at most a batch of rows; {@code update} sets the bytes ({@code ?})
     * of the row whose {@code idx = ?}.
     */
    static void copyHexAsBytes(Connection connection, String select, String update) throws SQLException {
        try (PreparedStatement reads = connection.prepareStatement(select); PreparedStatement writes = connection.prepareStatement(update)) {
            long next = 0;
            while (true) {
                reads.setLong(1, next);
                int rows = 0;
                try (ResultSet rs = reads.executeQuery()) {
                    while (rs.next()) {
                        next = rs.getLong(1) + 1;
                        writes.setBytes(1, Hashes.fromHex(rs.getString(2).trim()));
                        writes.setLong(2, rs.getLong(1));
                        writes.addBatch();
                        rows++;
                    }
                }
                if (rows == 0) {
                    return;
                }
                writes.executeBatch();
            }
        }
    }
}
