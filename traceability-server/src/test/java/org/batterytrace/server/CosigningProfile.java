package org.batterytrace.server;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The test profile with a {@link FakeWitness} the log asks for cosignatures. The log has its own key
 * here, so it gets its own in-memory database: the default one outlives each test application and holds
 * checkpoints signed by the default log's key.
 */
public class CosigningProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:batterytrace-cosigning-test;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeWitness.class));
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
