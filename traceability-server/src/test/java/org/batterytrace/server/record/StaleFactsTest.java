package org.batterytrace.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.auth.Tokens;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.problem.ProblemKind;
import org.junit.jupiter.api.Test;

/**
 * Writes are checked against facts kept in memory (FactsCache) before they wait for the log lock. The
 * attacks: a stolen token or a compromised key is revoked while a write made with it waits for its group,
 * or is revoked on another instance whose change this one has not heard of. Either way the write must be
 * refused, as the offline verifier would refuse a record signed after its key's revocation.
 */
@QuarkusTest
public class StaleFactsTest {
    @Inject
    RecordIngest ingest;
    @Inject
    FactsCache facts;
    @Inject
    TransparencyLog log;
    @Inject
    EntityManager em;

    private RecordIngest.Submission checked(Org org, String tokenHash, SignedRecord... records) {
        return ingest.precheck(List.of(records), new Caller.Credential(org.id, tokenHash), RecordIngest.Mode.ANY, facts.cached());
    }

    private RecordIngest.Outcome logged(RecordIngest.Submission submission) {
        return QuarkusTransaction.requiringNew().call(() -> ingest.applyGroup(List.of(submission))).get(0);
    }

    @Test
    void aKeyRevokedWhileTheWriteWaitsForItsGroupRefusesTheWrite() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        RecordIngest.Submission waiting = checked(maker, null, maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));
        assertNull(waiting.failures()[0], "the key was valid when the request was checked");

        maker.auth().post("/api/v1/organizations/" + maker.id + "/keys/" + maker.key.keyId() + "/revoke").then().statusCode(200);

        long before = QuarkusTransaction.requiringNew().call(log::size);
        RecordIngest.Outcome outcome = logged(waiting);
        assertNotNull(outcome.failure(), "a record signed after its key's revocation in log order is refused, as the verifier refuses it");
        assertEquals(ProblemKind.KEY_REVOKED, outcome.failure().kind());
        assertEquals(before, QuarkusTransaction.requiringNew().call(log::size), "nothing was logged");
    }

    @Test
    void aTokenRevokedWhileTheWriteWaitsForItsGroupWritesNothing() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        RecordIngest.Submission single = checked(maker, Tokens.hash(maker.token), maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));
        RecordIngest.Submission bulk = checked(maker, Tokens.hash(maker.token), maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null),
                maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));

        revokeTokens(maker);

        long before = QuarkusTransaction.requiringNew().call(log::size);
        for (RecordIngest.Submission waiting : List.of(single, bulk)) {
            RecordIngest.Outcome outcome = logged(waiting);
            assertNotNull(outcome.failure());
            assertEquals(ProblemKind.UNAUTHORIZED, outcome.failure().kind(), "the request is refused as a whole, as a request with a revoked token is");
        }
        assertEquals(before, QuarkusTransaction.requiringNew().call(log::size), "nothing was logged");
    }

    @Test
    void anotherInstancesRevocationStopsWritesAtOnceAndReadsWithinTheRefresh() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String code = Platform.newPackCode();
        maker.submit(maker.prepareAndSign(code, "PRODUCED", null)).then().statusCode(201); // the token is in this instance's memory now
        SignedRecord next = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);

        // What another instance's revocation leaves in the database: the token revoked, the counter moved; no word to this instance.
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE api_token SET revoked_at = CURRENT_TIMESTAMP WHERE org_id = ?1").setParameter(1, maker.id).executeUpdate();
            em.createNativeQuery("UPDATE log_state SET counter = counter + 1 WHERE name = 'write_facts'").executeUpdate();
        });

        maker.submit(next).then().statusCode(401); // the log lock reads the counter: the write is checked again and refused
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            Thread.sleep(100);
            status = maker.auth().get("/api/v1/batteries/" + code).statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertEquals(401, status, "reads stop once this instance refreshes its facts (every second)");
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceOnTheInstanceThatRevokedIt() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String code = Platform.newPackCode();
        maker.submit(maker.prepareAndSign(code, "PRODUCED", null)).then().statusCode(201);
        SignedRecord next = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        revokeTokens(maker);
        maker.auth().get("/api/v1/batteries/" + code).then().statusCode(401);
        maker.submit(next).then().statusCode(401);
    }

    private static void revokeTokens(Org org) {
        List<Map<String, Object>> tokens = Platform.admin().get("/api/v1/organizations/" + org.id + "/tokens").then().statusCode(200).extract().path("$");
        assertTrue(!tokens.isEmpty());
        tokens.forEach(t -> Platform.admin().post("/api/v1/organizations/" + org.id + "/tokens/" + t.get("id") + "/revoke").then().statusCode(200));
    }
}
