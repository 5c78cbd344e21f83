package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.ProblemKindCoverageTest;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresProblemKindCoverageTest extends ProblemKindCoverageTest {
}
