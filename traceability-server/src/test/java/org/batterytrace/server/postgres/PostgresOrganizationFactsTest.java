package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.OrganizationFactsTest;

/** {@link OrganizationFactsTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresOrganizationFactsTest extends OrganizationFactsTest {
}
