package org.batterytrace.server;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The test profile with a {@link FakeWitness} the log asks for cosignatures. */
public class CosigningProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeWitness.class));
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
