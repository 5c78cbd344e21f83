package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.ClockTest;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresClockTest extends ClockTest {
}
