package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** Regulators' reports over data of a city of its own, so other tests' data cannot disturb the figures. */
@QuarkusTest
public class ReportsTest {
    static final String CSV = "text/csv";

    @Test
    void stockFlowsCascadeShareAndRecoveryAsJsonAndCsv() {
        // A prefecture-level city code nobody else uses in this database: 54xx00 (Tibet), xx random.
        String city = Platform.freshCity() + "00";
        String province = city.substring(0, 2) + "0000";
        Org regulator = Platform.regulator("110000", "CN");
        Org maker = Platform.organization(city, SignatureAlgorithm.ED25519, false, null, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org cascade = Platform.organization(city, SignatureAlgorithm.ED25519, true, null, Role.CASCADE_ENTERPRISE);
        Org recycler = Platform.organization(city, SignatureAlgorithm.ED25519, true, null, Role.RECYCLER);
        String lfp1 = Platform.newCode(ProductLevel.PACK), lfp2 = Platform.newCode(ProductLevel.PACK), ncm = Platform.newPackCode();
        maker.record(lfp1, "PRODUCED", Json.object().put("massGrams", 300_000));
        maker.record(lfp2, "PRODUCED", Json.object().put("massGrams", 300_000));
        maker.record(ncm, "PRODUCED", Json.object().put("massGrams", 400_000));

        regulator.auth().get("/api/v1/reports/batteries?groupBy=city,chemistry").then().statusCode(200).contentType("application/json")
                .body("find { it.city == '" + city + "' && it.chemistry == 'B' }.batteries", equalTo(2))
                .body("find { it.city == '" + city + "' && it.chemistry == 'B' }.massGrams", equalTo(600_000))
                .body("find { it.city == '" + city + "' && it.chemistry == 'B' }.chemistryName", equalTo("lithium iron phosphate"))
                .body("find { it.city == '" + city + "' && it.chemistry == 'E' }.batteries", equalTo(1));
        regulator.auth().get("/api/v1/reports/batteries?groupBy=province,state&region=" + city).then().statusCode(200)
                .body("find { it.province == '" + province + "' && it.state == 'PRODUCED' }.provinceName", equalTo(Map.of("54", "西藏自治区", "63", "青海省",
                        "64", "宁夏回族自治区", "65", "新疆维吾尔自治区", "62", "甘肃省", "15", "内蒙古自治区").get(city.substring(0, 2))))
                .body("find { it.province == '" + province + "' && it.state == 'PRODUCED' }.batteries", equalTo(3));
        regulator.auth().get("/api/v1/reports/batteries?groupBy=enterprise,month&format=csv").then().statusCode(200).contentType(CSV)
                .body(startsWith("enterprise,month,batteries,massGrams\r\n")).body(containsString(maker.id + ",2026-03,3,1000000\r\n"));
        regulator.auth().header("Accept", CSV).get("/api/v1/reports/events?groupBy=enterprise,type&type=PRODUCED").then().statusCode(200).contentType(CSV)
                .body(containsString(maker.id + ",PRODUCED,3\r\n"));

        // Both LFP packs retire to the cascade enterprise; one is repurposed: a 50 % share, short of the 60 % norm.
        for (String pack : new String[] {lfp1, lfp2}) {
            maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
            maker.record(pack, "RETIRED", null);
            maker.transfer(pack, cascade);
            cascade.record(pack, "COLLECTED", null);
        }
        cascade.record(lfp1, "TESTED", Platform.tested(121_000, 150_000, "CASCADE"));
        cascade.record(lfp1, "REPURPOSED", null);
        regulator.auth().get("/api/v1/reports/cascade-share").then().statusCode(200)
                .body("find { it.enterprise == '" + cascade.id + "' }.received", equalTo(2))
                .body("find { it.enterprise == '" + cascade.id + "' }.repurposed", equalTo(1))
                .body("find { it.enterprise == '" + cascade.id + "' }.shareByMass", equalTo("50.00"))
                .body("find { it.enterprise == '" + cascade.id + "' }.meetsSixtyPercentNorm", equalTo(false))
                .body("find { it.enterprise == 'ALL' }.name", equalTo("all cascade enterprises"));

        maker.record(ncm, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(ncm, "RETIRED", null);
        maker.transfer(ncm, recycler);
        recycler.record(ncm, "COLLECTED", null);
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        recycler.record(ncm, "RECYCLED", data("lot", lot).put("massGrams", 400_000));
        ObjectNode assay = Json.object();
        assay.set("contained", Json.object().put("Li", 5_600).put("Ni", 31_200).put("Co", 10_400).put("Mn", 9_600).put("Cu", 28_000));
        assay.set("recovered", Json.object().put("Li", 5_100).put("Ni", 30_900).put("Co", 10_300).put("Mn", 9_500).put("Cu", 27_000));
        recycler.record(lot, "LOT_CLOSED", assay);
        regulator.auth().get("/api/v1/reports/recovery").then().statusCode(200)
                .body("find { it.recycler == '" + recycler.id + "' }.closedLots", equalTo(1))
                .body("find { it.recycler == '" + recycler.id + "' }.inputMassGrams", equalTo(400_000))
                .body("find { it.recycler == '" + recycler.id + "' }.Li", equalTo("91.07"))
                .body("find { it.recycler == '" + recycler.id + "' }.CN_2024", equalTo("met"))
                .body("find { it.recycler == '" + recycler.id + "' }.EU_2031", equalTo("met"));
        regulator.auth().get("/api/v1/reports/recovery?format=csv").then().statusCode(200).contentType(CSV)
                .body(startsWith("recycler,name,closedLots,emptyLots,inputBatteries,inputMassGrams,Li,Ni,Co,Mn,Cu,Al,CN_2024,EU_2027,EU_2031\r\n"));
    }

    @Test
    void badParametersAndNonRegulatorsAreRefused() {
        Org regulator = Platform.regulator("110000", "CN");
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER);
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries"), 400, "bad-group-by");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries?groupBy=city,weather"), 400, "bad-group-by");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/batteries?groupBy=type"), 400, "bad-group-by");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/events?groupBy=state"), 400, "bad-group-by");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/recovery?format=xml"), 400, "bad-format");
        CascadeAndRecyclingTest.problem(regulator.auth().get("/api/v1/reports/events?groupBy=type&to=2020-01-01T00:00:00Z&from=2021-01-01T00:00:00Z"), 400, "bad-range");
        CascadeAndRecyclingTest.problem(recycler.auth().get("/api/v1/reports/recovery"), 403, "regulator-required");
        given().get("/api/v1/reports/recovery").then().statusCode(401);
        Platform.admin().get("/api/v1/reports/batteries?groupBy=state").then().statusCode(200);
    }
}
