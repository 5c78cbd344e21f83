package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.batterytrace.server.record.GroupCommitLimitTest;

@QuarkusTest
@TestProfile(PostgresGroupCommitLimitTest.OneQueuedRecordOnPostgres.class)
class PostgresGroupCommitLimitTest extends GroupCommitLimitTest {
    public static class OneQueuedRecordOnPostgres extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.putAll(new OneQueuedRecord().getConfigOverrides());
            return overrides;
        }
    }
}
