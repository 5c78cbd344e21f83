package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: every endpoint family against five callers — no token, an unrelated enterprise,
 * the enterprise that owns the resource, a regulator, the platform administrator. Any change to the
 * access rules shows up here as a changed cell.
 */
@QuarkusTest
public class AuthorizationMatrixTest {
    enum Who {
        ANONYMOUS, OTHER, OWNER, REGULATOR, ADMIN
    }

    private Org owner;
    private Org other;
    private Org regulator;
    private String pack;
    private String lot;

    private void data() {
        owner = Platform.organization(SignatureAlgorithm.ED25519, true, Role.BATTERY_MAKER, Role.RECYCLER);
        other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        pack = Platform.newPackCode();
        owner.record(pack, "PRODUCED", null);
        lot = Platform.newLotId(owner);
        owner.record(lot, "LOT_OPENED", Platform.data("process", "HYDROMETALLURGY"));
    }

    private RequestSpecification as(Who who) {
        RequestSpecification spec = switch (who) {
            case ANONYMOUS -> given();
            case OTHER -> given().header("Authorization", "Bearer " + other.token);
            case OWNER -> given().header("Authorization", "Bearer " + owner.token);
            case REGULATOR -> given().header("Authorization", "Bearer " + regulator.token);
            case ADMIN -> given().header("Authorization", "Bearer " + Platform.ADMIN);
        };
        return spec.contentType(ContentType.JSON);
    }

    private record Row(String call, java.util.function.Function<RequestSpecification, io.restassured.response.Response> request, int... expected) {
    }

    @Test
    void everyEndpointFamilyAgainstEveryKindOfCaller() {
        data();
        Supplier<String> newOrg = () -> Json.object().put("id", Platform.newOrgId()).put("name", "Matrix Co").put("region", "430100")
                .set("roles", Json.array().add("RECYCLER")).toString();
        String qualification = Json.object().put("qualified", true).put("validUntil", "2030-12-31").put("reference", "M-1").toString();
        String prepare = Json.object().put("subject", Platform.newPackCode()).put("type", "PRODUCED").toString();
        //                                                                                  ANON OTHER OWNER REGUL ADMIN
        List<Row> rows = List.of(
                new Row("GET organizations", r -> r.get("/api/v1/organizations"), 200, 200, 200, 200, 200),
                new Row("POST organizations", r -> r.body(newOrg.get()).post("/api/v1/organizations"), 401, 403, 403, 403, 201),
                new Row("PUT qualification", r -> r.body(qualification).put("/api/v1/organizations/" + owner.id + "/qualification"), 401, 403, 403, 403, 200),
                new Row("POST tokens", r -> r.body(Map.of("label", "m")).post("/api/v1/organizations/" + owner.id + "/tokens"), 401, 403, 201, 403, 201),
                new Row("GET keys", r -> r.get("/api/v1/organizations/" + owner.id + "/keys"), 200, 200, 200, 200, 200),
                new Row("POST records/prepare", r -> r.body(prepare).post("/api/v1/records/prepare"), 401, 200, 200, 403, 403),
                new Row("GET battery summary", r -> r.get("/api/v1/batteries/" + pack + "/summary"), 200, 200, 200, 200, 200),
                new Row("GET battery passport", r -> r.get("/api/v1/batteries/" + pack + "/passport"), 200, 200, 200, 200, 200),
                new Row("GET battery details", r -> r.get("/api/v1/batteries/" + pack), 401, 200, 200, 200, 200),
                new Row("GET battery history", r -> r.get("/api/v1/batteries/" + pack + "/history"), 401, 200, 200, 200, 200),
                new Row("GET battery evidence", r -> r.get("/api/v1/batteries/" + pack + "/evidence"), 401, 200, 200, 200, 200),
                new Row("GET battery epcis", r -> r.get("/api/v1/batteries/" + pack + "/epcis"), 401, 200, 200, 200, 200),
                new Row("GET batteries search", r -> r.get("/api/v1/batteries?state=PRODUCED&size=1"), 401, 200, 200, 200, 200),
                new Row("GET lot", r -> r.get("/api/v1/lots/" + lot), 401, 200, 200, 200, 200),
                new Row("GET transfers", r -> r.get("/api/v1/transfers"), 401, 200, 200, 200, 403),
                new Row("GET late reports", r -> r.get("/api/v1/compliance/late-reports?actor=" + owner.id), 401, 403, 200, 200, 200),
                new Row("GET timeliness", r -> r.get("/api/v1/compliance/timeliness"), 401, 403, 403, 200, 200),
                new Row("GET reports", r -> r.get("/api/v1/reports/recovery"), 401, 403, 403, 200, 200),
                new Row("GET epcis window", r -> r.get("/api/v1/epcis/events?perPage=1"), 401, 403, 403, 200, 200),
                new Row("GET epcis context", r -> r.get("/api/v1/epcis/context.jsonld"), 200, 200, 200, 200, 200),
                new Row("GET lot epcis", r -> r.get("/api/v1/lots/" + lot + "/epcis"), 401, 200, 200, 200, 200),
                new Row("GET passport page", r -> r.accept("text/html").get("/p/" + pack), 200, 200, 200, 200, 200),
                new Row("GET passport json", r -> r.accept("application/json").get("/api/v1/passports/" + pack), 200, 200, 200, 200, 200),
                new Row("GET battery qr", r -> r.get("/api/v1/batteries/" + pack + "/qr"), 200, 200, 200, 200, 200),
                new Row("GET battery label", r -> r.get("/api/v1/batteries/" + pack + "/label"), 401, 403, 200, 403, 200),
                new Row("GET checkpoint", r -> r.get("/api/v1/log/checkpoint"), 200, 200, 200, 200, 200));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Who who : Who.values()) {
                int status = row.request().apply(as(who)).statusCode();
                if (status != row.expected()[who.ordinal()]) {
                    mismatches.add(row.call() + " as " + who + ": " + status + ", expected " + row.expected()[who.ordinal()]);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
