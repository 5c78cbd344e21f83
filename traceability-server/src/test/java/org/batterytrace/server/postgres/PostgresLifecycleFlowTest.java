package org.batterytrace.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import org.batterytrace.server.LifecycleFlowTest;
import org.junit.jupiter.api.Test;

/** {@link LifecycleFlowTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresLifecycleFlowTest extends LifecycleFlowTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theseTestsReallyRunOnPostgres() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
            assertTrue(connection.getMetaData().getDatabaseMajorVersion() >= 18);
        }
    }
}
