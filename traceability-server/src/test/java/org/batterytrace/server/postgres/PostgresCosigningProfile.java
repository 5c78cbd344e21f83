package org.batterytrace.server.postgres;

import java.util.List;
import java.util.Map;
import org.batterytrace.server.CosigningProfile;
import org.batterytrace.server.FakeWitness;

/** {@link CosigningProfile} on PostgreSQL. */
public class PostgresCosigningProfile extends CosigningProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return new PostgresProfile().getConfigOverrides();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeWitness.class), new TestResourceEntry(EmbeddedPostgresResource.class));
    }
}
