package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.batterytrace.server.log.DeferredMapStoreTest;

/** {@link DeferredMapStoreTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresDeferredMapStoreTest.ManualRoundsOnPostgres.class)
class PostgresDeferredMapStoreTest extends DeferredMapStoreTest {
    public static class ManualRoundsOnPostgres extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.putAll(new ManualRounds().getConfigOverrides());
            return overrides;
        }
    }
}
