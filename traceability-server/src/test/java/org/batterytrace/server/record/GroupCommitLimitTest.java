package org.batterytrace.server.record;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.junit.jupiter.api.Test;

/**
 * The group commit's queue is bounded: a request that would take it past
 * {@code trace.records.group-commit.max-queued-records} is refused at once with 503 and
 * {@code Retry-After} (an overloaded server sheds load instead of queueing without bound) and changes
 * nothing. The limit is set to one record here, so a two-record bulk always passes it.
 */
@QuarkusTest
@TestProfile(GroupCommitLimitTest.OneQueuedRecord.class)
public class GroupCommitLimitTest {
    public static class OneQueuedRecord implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trace.records.group-commit.max-queued-records", "1");
        }
    }

    @Test
    void aRequestBeyondTheQueueLimitGets503AndChangesNothing() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord a = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        SignedRecord b = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        maker.auth().body(Platform.bulkBody(a, b)).post("/api/v1/records/bulk").then().statusCode(503)
                .contentType("application/problem+json").body("type", equalTo("urn:batterytrace:problem:ingest-busy")).header("Retry-After", notNullValue());
        maker.auth().get("/api/v1/batteries/" + a.record().subject()).then().statusCode(404);
        maker.auth().get("/api/v1/batteries/" + b.record().subject()).then().statusCode(404);
        maker.submit(a).then().statusCode(201);
    }
}
