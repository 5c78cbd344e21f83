package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.console.audit.AuditPageBrowserTest;

/** {@link AuditPageBrowserTest} on a real PostgreSQL: the live bundle comes from a PostgreSQL-backed log. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresAuditPageBrowserTest extends AuditPageBrowserTest {
}
