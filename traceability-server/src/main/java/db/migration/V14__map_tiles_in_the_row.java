package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 12 (the map's cost on ingest, at scale): map tiles stay in their row up to a full page. By
 * default PostgreSQL moves a value of more than about 2 kB out of the row (TOAST: a compression attempt,
 * which fails on hashes, then chunks in a second table with its own index, all rewritten at every
 * update). Tiles grow past 2 kB where the deepest tiles hold about 30 leaves (around 2 million
 * batteries, a third of the rows a store writes). In the row, a store of such tiles takes half the time
 * and the table is smaller (PostgresTileToastBenchmark: 0.51 x the time, 196 against 309 bytes per
 * battery at 2 million). Rows written before keep their TOAST until the next update rewrites them;
 * other databases keep what they have.
 */
public class V14__map_tiles_in_the_row extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        MigrationSql.onPostgres(context.getConnection(), "ALTER TABLE map_tile SET (toast_tuple_target = 8160)");
    }
}
