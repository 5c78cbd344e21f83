package org.batterytrace.server.postgres;

import javax.sql.DataSource;
import org.batterytrace.server.log.MerkleTilesUpgradeTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MerkleTilesUpgradeTest} on PostgreSQL 18 (embedded), where V10 converts the leaf hashes with one set-based {@code decode}. */
class PostgresMerkleTilesUpgradeTest extends MerkleTilesUpgradeTest {
    @RegisterExtension
    final OwnPostgres postgres = new OwnPostgres();

    @Override
    protected DataSource database() throws Exception {
        return postgres.start();
    }
}
