package org.batterytrace.server.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.batterytrace.server.postgres.PostgresProfile;

@QuarkusTest
@TestProfile(PostgresPassportReadBenchmark.PublicBaseUrl.class)
class PostgresPassportReadBenchmark extends PassportReadBenchmark {
    @Override
    protected String database() {
        return "embedded PostgreSQL 18";
    }

    /** As in production: the passport pages' public address is configured, so shared caches may keep the public tier. */
    public static class PublicBaseUrl extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("trace.passport.base-url", "https://passport.example.cn");
            return overrides;
        }
    }
}
