package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14 (storage per record): the record hash is stored as its 32 bytes instead of 64 hex
 * characters (33 bytes per entry instead of 65). On PostgreSQL also:
 * <ul>
 * <li>{@code log_entry_actor} indexes the actor alone. PostgreSQL then stores each actor once per page
 * with a list of row pointers (B-tree deduplication): about 7 bytes per entry instead of 50 for
 * {@code (actor, idx)}, whose keys were all distinct. No query walks one actor's entries in index order;
 * they select an actor's entries and sort what they select.
 * <li>{@code battery} pages keep 30 % free ({@code fillfactor}), so that a head update that changes no
 * indexed column (most events: maintenance, tests, repairs) writes its new row version on the same page
 * (a heap-only update) instead of a new version plus an entry in each of the four indexes. Without it,
 * chains of ten records left about 1.3 kB of battery heap and dead index entries per battery.
 * <li>{@code battery_parent} indexes only batteries that have a parent (modules and cells installed in
 * a pack); every lookup names a parent, and most batteries have none.
 * </ul>
 * Converting the column rewrites {@code log_entry} once, and writes wait meanwhile (on PostgreSQL 2.7 s
 * for 200,000 entries on the benchmark machine).
 */
public class V13__compact_storage extends BaseJavaMigration {
    private static final int BATCH = 5_000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        boolean postgres = MigrationSql.isPostgres(connection);
        try (Statement s = connection.createStatement()) {
            if (postgres) {
                s.execute("DROP INDEX log_entry_actor");
                s.execute("ALTER TABLE log_entry ALTER COLUMN hash TYPE BYTEA USING decode(hash, 'hex')");
                s.execute("CREATE INDEX log_entry_actor ON log_entry (actor)");
                s.execute("ALTER TABLE battery SET (fillfactor = 70)");
                s.execute("DROP INDEX battery_parent");
                s.execute("CREATE INDEX battery_parent ON battery (parent_code) WHERE parent_code IS NOT NULL");
            } else {
                s.execute("ALTER TABLE log_entry ADD COLUMN hash_bytes VARBINARY(32)");
                MigrationSql.copyHexAsBytes(connection, "SELECT idx, hash FROM log_entry WHERE idx >= ? ORDER BY idx LIMIT " + BATCH,
                        "UPDATE log_entry SET hash_bytes = ? WHERE idx = ?");
                s.execute("ALTER TABLE log_entry DROP CONSTRAINT log_entry_hash");
                s.execute("ALTER TABLE log_entry DROP COLUMN hash");
                s.execute("ALTER TABLE log_entry ALTER COLUMN hash_bytes RENAME TO hash");
                s.execute("ALTER TABLE log_entry ALTER COLUMN hash SET NOT NULL");
                s.execute("ALTER TABLE log_entry ADD CONSTRAINT log_entry_hash UNIQUE (hash)");
            }
        }
    }
}
