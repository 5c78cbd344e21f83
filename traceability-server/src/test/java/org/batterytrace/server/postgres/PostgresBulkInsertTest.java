package org.batterytrace.server.postgres;

import javax.sql.DataSource;
import org.batterytrace.server.log.BulkInsertTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BulkInsertTest} on PostgreSQL 18 (embedded), where the rows go through {@code COPY … FROM STDIN}. */
class PostgresBulkInsertTest extends BulkInsertTest {
    @RegisterExtension
    final OwnPostgres postgres = new OwnPostgres();

    @Override
    protected DataSource database() throws Exception {
        return postgres.start();
    }
}
