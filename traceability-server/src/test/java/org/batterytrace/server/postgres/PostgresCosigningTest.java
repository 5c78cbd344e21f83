package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.CosigningTest;

/** {@link CosigningTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresCosigningProfile.class)
class PostgresCosigningTest extends CosigningTest {
}
