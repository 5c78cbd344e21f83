package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * Who may call what (the README's "Who may read what" table, cell by cell): every endpoint family
 * against eight callers. Any change to the access rules shows up here as a changed cell.
 * <p>
 * Cells are HTTP statuses, except where a 200 can carry more or less: {@code listed}/{@code unlisted}
 * (is the battery in a search or window?), {@code full}/{@code hashes} (log entries with or without the
 * signed record).
 */
@QuarkusTest
public class AuthorizationMatrixTest {
    enum Who {
        ANONYMOUS, PARTY, NON_PARTY, REGULATOR_IN_REGION, REGULATOR_ELSEWHERE, AUDITOR_GRANTED, AUDITOR_NOT_GRANTED, ADMIN
    }

    private Org owner;
    private Org receiver;
    private final Map<Who, String> tokens = new java.util.EnumMap<>(Who.class);
    private String pack;
    private String lot;
    private String recordHash;
    private long recordIndex;
    private String transferId;

    private void data() {
        owner = Platform.organization("430100", SignatureAlgorithm.ED25519, true, null, Role.BATTERY_MAKER, Role.RECYCLER);
        receiver = Platform.organization("430100", SignatureAlgorithm.ED25519, true, null, Role.VEHICLE_MAKER);
        Org other = Platform.organization("430100", SignatureAlgorithm.ED25519, false, null, Role.BATTERY_MAKER);
        Org inRegion = Platform.organization("430000", SignatureAlgorithm.ED25519, false, null, Role.REGULATOR);
        Org elsewhere = Platform.organization("440300", SignatureAlgorithm.ED25519, false, null, Role.REGULATOR);
        Org granted = Platform.organization("110000", SignatureAlgorithm.ED25519, false, null, Role.AUDITOR);
        Org notGranted = Platform.organization("110000", SignatureAlgorithm.ED25519, false, null, Role.AUDITOR);
        owner.auth().body(Map.of("auditor", granted.id)).post("/api/v1/organizations/" + owner.id + "/auditor-grants").then().statusCode(201);
        tokens.put(Who.PARTY, owner.token);
        tokens.put(Who.NON_PARTY, other.token);
        tokens.put(Who.REGULATOR_IN_REGION, inRegion.token);
        tokens.put(Who.REGULATOR_ELSEWHERE, elsewhere.token);
        tokens.put(Who.AUDITOR_GRANTED, granted.token);
        tokens.put(Who.AUDITOR_NOT_GRANTED, notGranted.token);
        tokens.put(Who.ADMIN, Platform.ADMIN);
        pack = Platform.newPackCode();
        var produced = owner.record(pack, "PRODUCED", null);
        recordHash = produced.get("hash").textValue();
        recordIndex = produced.get("logIndex").longValue();
        lot = Platform.newLotId(owner);
        owner.record(lot, "LOT_OPENED", Platform.data("process", "HYDROMETALLURGY"));
        SignedRecord offer = owner.prepareAndSign(pack, "TRANSFERRED", Platform.data("to", receiver.id));
        transferId = owner.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
    }

    private RequestSpecification as(Who who) {
        RequestSpecification spec = tokens.containsKey(who) ? given().header("Authorization", "Bearer " + tokens.get(who)) : given();
        return spec.contentType(ContentType.JSON);
    }

    private record Row(String call, Function<RequestSpecification, String> request, String... expected) {
    }

    private static Function<RequestSpecification, String> status(Function<RequestSpecification, Response> call) {
        return r -> String.valueOf(call.apply(r).statusCode());
    }

    /** "listed" when the answer is a 200 whose body mentions {@code code}, "unlisted" for a 200 without it, else the status. */
    private static Function<RequestSpecification, String> lists(Function<RequestSpecification, Response> call, Supplier<String> code) {
        return r -> {
            Response response = call.apply(r);
            return response.statusCode() != 200 ? String.valueOf(response.statusCode()) : response.asString().contains(code.get()) ? "listed" : "unlisted";
        };
    }

    @Test
    void everyEndpointFamilyAgainstEveryKindOfCaller() {
        data();
        Supplier<String> newOrg = () -> Json.object().put("id", Platform.newOrgId()).put("name", "Matrix Co").put("region", "430100")
                .set("roles", Json.array().add("RECYCLER")).toString();
        String qualification = Json.object().put("qualified", true).put("validUntil", "2030-12-31").put("reference", "M-1").toString();
        String prepare = Json.object().put("subject", Platform.newPackCode()).put("type", "PRODUCED").toString();
        String b = "/api/v1/batteries/";
        String o = "/api/v1/organizations/";
        //                                                                                    ANON   PARTY  NONPARTY REG-IN REG-OUT AUD-G  AUD-NG ADMIN
        List<Row> rows = List.of(
                new Row("GET organizations", status(r -> r.get("/api/v1/organizations")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET organization", status(r -> r.get(o + owner.id)), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("POST organizations", status(r -> r.body(newOrg.get()).post("/api/v1/organizations")), "401", "403", "403", "403", "403", "403", "403", "201"),
                new Row("PUT qualification", status(r -> r.body(qualification).put(o + owner.id + "/qualification")), "401", "403", "403", "403", "403", "403", "403", "200"),
                new Row("POST tokens", status(r -> r.body(Map.of("label", "m")).post(o + owner.id + "/tokens")), "401", "201", "403", "403", "403", "403", "403", "201"),
                new Row("GET tokens", status(r -> r.get(o + owner.id + "/tokens")), "401", "200", "403", "403", "403", "403", "403", "200"),
                new Row("GET keys", status(r -> r.get(o + owner.id + "/keys")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET auditor grants", status(r -> r.get(o + owner.id + "/auditor-grants")), "401", "200", "403", "403", "403", "403", "403", "200"),
                new Row("POST records/prepare", status(r -> r.body(prepare).post("/api/v1/records/prepare")), "401", "200", "200", "403", "403", "403", "403", "403"),
                new Row("GET battery summary", status(r -> r.get(b + pack + "/summary")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET battery passport", status(r -> r.get(b + pack + "/passport")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET battery details", status(r -> r.get(b + pack)), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET battery history", status(r -> r.get(b + pack + "/history")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET battery evidence", status(r -> r.get(b + pack + "/evidence")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET battery epcis", status(r -> r.get(b + pack + "/epcis")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET batteries search", lists(r -> r.get("/api/v1/batteries?maker=" + owner.id), () -> pack),
                        "401", "listed", "unlisted", "listed", "unlisted", "listed", "unlisted", "listed"),
                new Row("GET record by hash", status(r -> r.get("/api/v1/records/" + recordHash)), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET log entries", lists(r -> r.get("/api/v1/log/entries?start=" + recordIndex + "&end=" + (recordIndex + 1)), () -> pack),
                        "unlisted", "listed", "unlisted", "listed", "unlisted", "listed", "unlisted", "listed"),
                new Row("GET lot", status(r -> r.get("/api/v1/lots/" + lot)), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET lot inputs", status(r -> r.get("/api/v1/lots/" + lot + "/inputs")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET lot history", status(r -> r.get("/api/v1/lots/" + lot + "/history")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET lot evidence", status(r -> r.get("/api/v1/lots/" + lot + "/evidence")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET transfers", status(r -> r.get("/api/v1/transfers")), "401", "200", "200", "200", "200", "200", "200", "403"),
                new Row("GET transfer", status(r -> r.get("/api/v1/transfers/" + transferId)), "401", "200", "404", "404", "404", "404", "404", "403"),
                new Row("GET late reports", status(r -> r.get("/api/v1/compliance/late-reports?actor=" + owner.id)), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET timeliness", status(r -> r.get("/api/v1/compliance/timeliness")), "401", "403", "403", "200", "200", "403", "403", "200"),
                new Row("GET reports", status(r -> r.get("/api/v1/reports/recovery")), "401", "403", "403", "200", "200", "403", "403", "200"),
                new Row("GET epcis window", lists(r -> r.get("/api/v1/epcis/events?perPage=1000&GE_eventTime="
                        + java.time.Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), () -> pack),
                        "401", "403", "403", "listed", "unlisted", "403", "403", "listed"),
                new Row("GET epcis context", status(r -> r.get("/api/v1/epcis/context.jsonld")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET lot epcis", status(r -> r.get("/api/v1/lots/" + lot + "/epcis")), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET lots list", status(r -> r.get("/api/v1/lots")), "401", "403", "403", "200", "200", "403", "403", "200"),
                new Row("GET own lots", status(r -> r.get("/api/v1/lots?recycler=" + owner.id)), "401", "200", "403", "200", "403", "200", "403", "200"),
                new Row("GET passport page", status(r -> r.accept("text/html").get("/p/" + pack)), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET passport tier", r -> r.accept("application/json").get("/api/v1/passports/" + pack).then().statusCode(200).extract().path("accessTier"),
                        "public", "legitimate-interest", "public", "authority", "public", "legitimate-interest", "public", "authority"),
                new Row("GET battery qr", status(r -> r.get("/api/v1/batteries/" + pack + "/qr")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET battery label", status(r -> r.get("/api/v1/batteries/" + pack + "/label")), "401", "200", "403", "403", "403", "403", "403", "200"),
                new Row("GET checkpoint", status(r -> r.get("/api/v1/log/checkpoint")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET log key", status(r -> r.get("/api/v1/log/key")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET map proof", status(r -> r.get("/api/v1/log/map/proof?key=head:" + pack)), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET tiles checkpoint", status(r -> r.get("/tlog/checkpoint")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET hash tile", status(r -> r.get("/tlog/tile/0/000.p/1")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("GET entry bundle", status(r -> r.get("/tlog/tile/entries/000.p/1")), "404", "404", "404", "404", "404", "404", "404", "404"),
                new Row("GET witness key", status(r -> r.get("/api/v1/witness/key")), "200", "200", "200", "200", "200", "200", "200", "200"),
                new Row("POST witness add-checkpoint", status(r -> r.body("old 0\n").post("/api/v1/witness/add-checkpoint")), "400", "400", "400", "400", "400", "400", "400", "400"));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Who who : Who.values()) {
                String outcome = row.request().apply(as(who));
                if (!outcome.equals(row.expected()[who.ordinal()])) {
                    mismatches.add(row.call() + " as " + who + ": " + outcome + ", expected " + row.expected()[who.ordinal()]);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
