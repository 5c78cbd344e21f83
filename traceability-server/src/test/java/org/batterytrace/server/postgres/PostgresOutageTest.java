package org.batterytrace.server.postgres;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops under a running server: reads and writes get 503 problems with Retry-After (never a
 * 500), health says DOWN, and once the database is back everything recovers by itself; a write that
 * failed is simply retried, and a retry of a write that had committed gets its first acknowledgement.
 */
@QuarkusTest
@TestProfile(RestartablePostgres.Profile.class)
class PostgresOutageTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void aDatabaseRestartIs503WithRetryAfterThenRecovers() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        SignedRecord produced = maker.prepareAndSign(pack, "PRODUCED", null);
        maker.submit(produced).then().statusCode(201);
        SignedRecord installed = maker.prepareAndSign(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));

        RestartablePostgres.stopServer();
        try {
            maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(503).contentType(PROBLEM)
                    .header("Retry-After", notNullValue()).body("type", equalTo("urn:batterytrace:problem:database-unavailable"));
            maker.submit(installed).then().statusCode(503).contentType(PROBLEM).header("Retry-After", notNullValue());
            given().get("/api/v1/batteries/" + pack + "/summary").then().statusCode(503).contentType(PROBLEM);
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            RestartablePostgres.startServer();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("health did not recover within 60 s of the database's restart");
            }
            Thread.sleep(250);
        }
        // Pooled connections from before the restart are broken: the first uses may still fail, retries succeed.
        int status = 0;
        for (int attempt = 0; attempt < 20 && status != 201; attempt++) {
            status = maker.submit(installed).statusCode();
            if (status != 201) {
                org.junit.jupiter.api.Assertions.assertEquals(503, status, "only 503 while connections recover");
                Thread.sleep(250);
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(201, status);
        maker.submit(produced).then().statusCode(200).body("replayed", equalTo(true));
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("headSeq", equalTo(2));
    }
}
