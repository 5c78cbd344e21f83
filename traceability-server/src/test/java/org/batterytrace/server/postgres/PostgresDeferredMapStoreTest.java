package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.server.log.DeferredMapStoreTest;

/** {@link DeferredMapStoreTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresDeferredMapStoreTest.Profile.class)
class PostgresDeferredMapStoreTest extends DeferredMapStoreTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(new PostgresProfile().getConfigOverrides());
            overrides.putAll(new DeferredMapStoreTest.ManualRounds().getConfigOverrides());
            return overrides;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return new PostgresProfile().testResources();
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }
}
