package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.admin;
import static org.batterytrace.server.Platform.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.Failure;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.organization.OrganizationLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Organization facts travel with the evidence (docs/record-format.md §5.1): registering an organization,
 * filing manufacturer codes and changing a white-list qualification are log entries signed by the log key;
 * bundles carry the facts their records' rules read, and the offline verifier applies the server's rules to
 * them. The attacks: a bundle that withholds a qualification withdrawal, or leaves the facts out.
 */
@QuarkusTest
public class OrganizationFactsTest {
    private NoteKey logKey;

    @Inject
    OrganizationLog organizationLog;

    @BeforeEach
    void pinLogKey() {
        logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
    }

    private VerificationReport verify(JsonNode bundle) {
        return Verifier.pinning(logKey).verify(EvidenceBundle.fromJson(bundle));
    }

    private static ObjectNode evidence(Org reader, String code) {
        return (ObjectNode) Json.parse(reader.auth().get("/api/v1/batteries/" + code + "/evidence").then().statusCode(200).extract().asByteArray());
    }

    private static List<String> types(JsonNode bundle, String subject) {
        List<String> types = new ArrayList<>();
        bundle.get("organizationFacts").forEach(e -> {
            if (e.at("/entry/record/subject").asText().equals(subject)) {
                types.add(e.at("/entry/record/type").asText());
            }
        });
        return types;
    }

    @Test
    void factsAreLoggedAndCarriedAndTheVerifierAppliesThem() {
        String code = "W" + (char) ('A' + (int) (Math.random() * 26)) + (char) ('A' + (int) (Math.random() * 26));
        Org maker = Platform.organization("430100", List.of(code), SignatureAlgorithm.ED25519, false, null, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ES256, true, Role.RECYCLER);
        String pack = code + Platform.newPackCode().substring(3);
        maker.record(pack, "PRODUCED", null);
        maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(pack, "SOLD", null);
        maker.record(pack, "RETIRED", null);
        maker.transfer(pack, recycler);

        ObjectNode bundle = evidence(maker, pack);
        assertEquals(EvidenceBundle.FORMAT, bundle.get("format").asText());
        // Platform registers every organization with a qualification (the maker's says "not qualified").
        assertEquals(List.of(OrganizationEvents.REGISTERED, OrganizationEvents.QUALIFIED), types(bundle, OrganizationEvents.factsSubject(maker.id)));
        assertEquals(List.of(OrganizationEvents.REGISTERED, OrganizationEvents.QUALIFIED), types(bundle, OrganizationEvents.factsSubject(recycler.id)));
        assertEquals(List.of(OrganizationEvents.CODE_FILED), types(bundle, OrganizationEvents.codeSubject(code)));
        JsonNode registration = bundle.get("organizationFacts").get(0).at("/entry/record/data");
        assertEquals(Json.array().add("BATTERY_MAKER").add("VEHICLE_MAKER"), registration.get("roles"));
        VerificationReport report = verify(bundle);
        assertTrue(report.ok(), report.findings().toString());

        // The white list withdraws the recycler: the withdrawal is logged, and a transfer to it is refused.
        admin().body(Map.of("qualified", false, "reference", "MIIT-2026-001 withdrawn")).put("/api/v1/organizations/" + recycler.id + "/qualification")
                .then().statusCode(200);
        String second = code + Platform.newPackCode().substring(3); // a maker that files codes registers under its own
        maker.record(second, "PRODUCED", null);
        maker.record(second, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(second, "SOLD", null);
        maker.record(second, "RETIRED", null);
        maker.auth().body(maker.prepareAndSign(second, "TRANSFERRED", data("to", recycler.id)).toJson().toString()).post("/api/v1/transfers")
                .then().statusCode(422).body("type", org.hamcrest.Matchers.endsWith("receiver-not-qualified"));

        // The first pack's bundle now carries the withdrawal; withholding it is caught against the map.
        // A bundle stands at the latest map checkpoint; the withdrawal enters it within a checkpoint interval.
        ObjectNode after = evidence(maker, pack);
        for (long deadline = System.nanoTime() + 10_000_000_000L; types(after, OrganizationEvents.factsSubject(recycler.id)).size() < 3
                && System.nanoTime() < deadline; ) {
            after = evidence(maker, pack);
        }
        assertEquals(List.of(OrganizationEvents.REGISTERED, OrganizationEvents.QUALIFIED, OrganizationEvents.QUALIFIED),
                types(after, OrganizationEvents.factsSubject(recycler.id)));
        assertTrue(verify(after).ok(), "the transfer was logged while the recycler was qualified: " + verify(after).findings());
        ObjectNode withheld = after.deepCopy();
        ArrayNode facts = (ArrayNode) withheld.get("organizationFacts");
        for (int i = facts.size() - 1; i >= 0; i--) {
            if (facts.get(i).at("/entry/record/subject").asText().equals(OrganizationEvents.factsSubject(recycler.id))) {
                facts.remove(i);
                break;
            }
        }
        assertFailsWith(Failure.NOT_LATEST, verify(withheld));
        // A bundle that leaves the facts out (the older trace-evidence/2 form) cannot pass as complete either.
        ObjectNode v2 = after.deepCopy();
        v2.remove("organizationFacts");
        v2.remove("linkedRecords");
        v2.put("format", EvidenceBundle.FORMAT_V2);
        assertFailsWith(Failure.ORGANIZATION_FACTS_MISSING, verify(v2));
    }

    @Test
    void organizationsRegisteredBeforeFactsWereLoggedGetThemOnce() {
        String id = Platform.newOrgId();
        QuarkusTransaction.requiringNew().run(() -> {
            OrganizationEntity legacy = new OrganizationEntity();
            legacy.id = id;
            legacy.name = "Legacy " + id;
            legacy.roleSet(java.util.EnumSet.of(Role.RECYCLER));
            legacy.region = "430100";
            legacy.qualified = true;
            legacy.qualificationRef = "MIIT-2019-007";
            legacy.createdAt = Instant.parse("2020-01-01T00:00:00Z");
            legacy.persist(); // as a database from before facts were logged holds it
        });
        organizationLog.backfill(null);
        organizationLog.backfill(null); // a second start logs nothing more
        List<String> types = QuarkusTransaction.requiringNew().call(() -> LogEntryEntity.<LogEntryEntity>list("subject = ?1 order by seq",
                OrganizationEvents.factsSubject(id)).stream().map(e -> e.type).collect(Collectors.toList()));
        assertEquals(List.of(OrganizationEvents.REGISTERED, OrganizationEvents.QUALIFIED), types);
    }

    private static void assertFailsWith(Failure expected, VerificationReport report) {
        assertFalse(report.ok(), "expected " + expected);
        assertTrue(report.findings().stream().allMatch(f -> f.failure() == expected), () -> "only " + expected + ": " + report.findings());
    }
}
