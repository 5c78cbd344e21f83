package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.record.GroupCommitTest;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresGroupCommitTest extends GroupCommitTest {
}
