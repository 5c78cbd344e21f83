package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.batterytrace.server.PublicPassportCacheTest;

/** {@link PublicPassportCacheTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresPublicPassportCacheTest.PublicBaseUrlOnPostgres.class)
class PostgresPublicPassportCacheTest extends PublicPassportCacheTest {
    public static class PublicBaseUrlOnPostgres extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.putAll(new PublicBaseUrl().getConfigOverrides());
            return overrides;
        }
    }
}
