package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.cache.CachingTest;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresCachingTest extends CachingTest {
}
