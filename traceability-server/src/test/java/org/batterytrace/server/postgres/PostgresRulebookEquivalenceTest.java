package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.RulebookEquivalenceTest;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresRulebookEquivalenceTest extends RulebookEquivalenceTest {
}
