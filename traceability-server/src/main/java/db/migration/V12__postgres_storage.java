package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14 (storage per record, and the map's cost on ingest): two PostgreSQL storage choices; other
 * databases keep what they have.
 * <ul>
 * <li>The record hash is looked up through a hash index (a 4-byte hash code per entry) instead of a
 * unique B-tree over 64 hex characters: about 100 bytes less per log entry. Its uniqueness needed no
 * index of its own: a record's hash covers its subject and seq, which {@code log_entry_chain} keeps
 * unique, and two records with one SHA-256 are not a case to plan for.
 * <li>Map tiles are rewritten at every checkpoint that touches them. With room left in each page
 * ({@code fillfactor}), PostgreSQL replaces a tile in place (a heap-only update) without touching the
 * primary-key index.
 * </ul>
 * Building the hash index reads the whole log once (on a large log: minutes, while the migration holds
 * its lock).
 */
public class V12__postgres_storage extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        MigrationSql.onPostgres(context.getConnection(),
                "ALTER TABLE log_entry DROP CONSTRAINT log_entry_hash",
                "CREATE INDEX log_entry_hash ON log_entry USING hash (hash)",
                "ALTER TABLE map_tile SET (fillfactor = 50)");
    }
}
