package org.batterytrace.server.postgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.console.ConsoleSessionTest;

/** {@link ConsoleSessionTest} on a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresConsoleSessionTest extends ConsoleSessionTest {
}
