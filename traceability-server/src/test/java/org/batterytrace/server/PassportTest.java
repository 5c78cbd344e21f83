package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.CascadeAndRecyclingTest.problem;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.passport.BatteryPassSchemas;
import org.batterytrace.server.passport.Symbols;
import org.junit.jupiter.api.Test;

/**
 * The EU battery passport end to end: signed declarations and updates, the seven Battery Pass 1.2.0 sections
 * validated against their schemas, tiers, the cascade product's new passport, the public page and its QR code.
 */
@QuarkusTest
public class PassportTest {
    static final Path WALKTHROUGH = Path.of("..", "examples", "lifecycle-walkthrough");

    /** The walk-through's pack: declared by its maker, installed and sold by the vehicle maker, who reports BMS data. */
    record Battery(String pack, Org maker, Org oem) {
    }

    static ObjectNode file(String name) {
        try {
            return (ObjectNode) Json.parse(Files.readAllBytes(WALKTHROUGH.resolve(name)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The walk-through's declaration, with the maker's own credit code (as walkthrough.sh does). */
    static ObjectNode declaration(Org maker) {
        ObjectNode declaration = file("passport-declaration.json");
        ((ObjectNode) declaration.get("generalProductInformation").get("manufacturerInformation")).put("identifier", maker.id);
        ((ObjectNode) declaration.get("generalProductInformation").get("operatorInformation")).put("identifier", maker.id);
        return declaration;
    }

    static Battery walkthroughBattery() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER, Role.DEALER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", Json.object().put("massGrams", 452_000));
        maker.record(pack, "PASSPORT_DECLARED", declaration(maker));
        maker.transfer(pack, oem);
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "SOLD", null);
        oem.record(pack, "PASSPORT_UPDATED", file("passport-update.json"));
        return new Battery(pack, maker, oem);
    }

    /** Asks the server to prepare a record, which checks its data and lifecycle rules early. */
    static io.restassured.response.Response prepare(Org org, String subject, String type, ObjectNode data) {
        return org.auth().body(Json.object().put("subject", subject).put("type", type).set("data", data).toString()).post("/api/v1/records/prepare");
    }

    static JsonNode passport(io.restassured.specification.RequestSpecification as, String code) {
        return Json.parse(as.get("/api/v1/batteries/" + code + "/passport").then().statusCode(200).extract().asByteArray());
    }

    /** Section -> its schema errors. */
    static Map<String, String> invalidSections(JsonNode passport) {
        Map<String, String> invalid = new TreeMap<>();
        for (String section : BatteryPassSchemas.FILES.keySet()) {
            JsonNode content = passport.has(section) ? passport.get(section) : Json.object();
            var errors = BatteryPassSchemas.validate(section, content);
            if (!errors.isEmpty()) {
                invalid.put(section, errors.toString());
            }
        }
        return invalid;
    }

    @Test
    void theWalkthroughBatteryFillsAllSevenSectionsAndEachValidatesAgainstItsSchema() {
        Battery b = walkthroughBattery();
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        JsonNode authority = passport(regulator.auth(), b.pack());
        assertEquals(Map.of(), invalidSections(authority), "authority tier: every section complete and valid");

        JsonNode legitimate = passport(b.oem().auth(), b.pack());
        assertEquals("legitimate-interest", legitimate.get("accessTier").asText());
        assertEquals(Set.of("labels"), invalidSections(legitimate).keySet(), "only the authorities' test reports are missing: " + invalidSections(legitimate));

        JsonNode open = passport(given(), b.pack());
        assertEquals("public", open.get("accessTier").asText());
        Map<String, String> publicInvalid = invalidSections(open);
        System.out.println("sections valid at the public tier: " + BatteryPassSchemas.FILES.keySet().stream().filter(s -> !publicInvalid.containsKey(s)).toList()
                + "; incomplete by law (members for legitimate interest or authorities): " + publicInvalid.keySet());
        assertEquals(Set.of("carbonFootprint", "supplyChainDueDiligence"), Set.copyOf(BatteryPassSchemas.FILES.keySet().stream()
                .filter(s -> !publicInvalid.containsKey(s)).toList()));

        // Numbers signed as decimal strings come out as numbers; defaults and dynamic data are filled in.
        assertTrue(authority.at("/generalProductInformation/batteryMass").isNumber());
        assertEquals("61.4", authority.at("/carbonFootprint/batteryCarbonFootprint").decimalValue().toPlainString());
        assertEquals("urn:batterytrace:" + b.pack().toLowerCase(), authority.at("/generalProductInformation/batteryPassportIdentifier").asText());
        assertEquals("Original", authority.at("/generalProductInformation/batteryStatus").asText());
        assertEquals(812, authority.at("/performanceAndDurability/batteryCondition/numberOfFullCycles/numberOfFullCyclesValue").asInt());
        JsonNode history = Json.parse(regulator.auth().get("/api/v1/batteries/" + b.pack() + "/history").then().extract().asByteArray());
        String updatedAt = history.get(history.size() - 1).get("entry").get("record").get("time").asText();
        assertEquals(updatedAt, authority.at("/performanceAndDurability/batteryCondition/stateOfCharge/lastUpdate").asText(), "update time from the record");
        assertEquals(history.get(4).get("entry").get("record").get("time").asText(), authority.at("/generalProductInformation/puttingIntoService").asText(), "put into service when SOLD");
        assertEquals("https://id.gs1.org/01/06901234567892/21/" + b.pack().substring(7), authority.get("digitalLink").asText());
        assertTrue(authority.get("passportUrl").asText().endsWith("/p/" + b.pack()));
        CascadeAndRecyclingTest.verifiesOffline(regulator, "/api/v1/batteries/" + b.pack() + "/evidence");
    }

    @Test
    void thePublicNeverSeesHigherTierMembersNorAnythingOutsideTheTable() {
        Battery b = walkthroughBattery();
        ObjectNode extra = Json.object().put("makerNote", "cathode supplier contract HN-2026-17");
        extra.putObject("generalProductInformation").put("internalPartNumber", "PN-A7-0001");
        extra.putObject("circularity").put("internalDrawing", "https://cells.example.cn/internal/A7.dwg");
        b.maker().record(b.pack(), "PASSPORT_DECLARED", extra);

        JsonNode open = passport(given(), b.pack());
        String text = open.toString();
        for (String hidden : List.of("cathode supplier", "PN-A7-0001", "A7.dwg", "batteryStatus", "custodian", "A7-dismantling.pdf", "BMU-A7-03",
                "A7-test-reports.pdf", "numberOfFullCycles", b.oem().id)) {
            assertFalse(text.contains(hidden), "public passport shows " + hidden);
        }
        assertFalse(open.has("lifecycle") || open.has("authority") || open.has("additionalDeclarations"));
        JsonNode authority = passport(Platform.admin(), b.pack());
        assertEquals("cathode supplier contract HN-2026-17", authority.at("/additionalDeclarations/makerNote").asText());
        assertEquals("PN-A7-0001", authority.at("/generalProductInformation/internalPartNumber").asText());
        assertEquals("https://cells.example.cn/internal/A7.dwg", authority.at("/circularity/internalDrawing").asText());
        JsonNode legitimate = passport(b.maker().auth(), b.pack());
        assertFalse(legitimate.toString().contains("PN-A7-0001"), "members outside the table are for authorities only");
        assertEquals(b.oem().id, legitimate.at("/lifecycle/custodian").asText());
        assertEquals("IN_SERVICE", legitimate.at("/lifecycle/state").asText());
    }

    @Test
    void onlyTheEntitledPartiesSignPassportData() {
        Battery b = walkthroughBattery();
        Org stranger = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        // Only battery makers and cascade enterprises declare, and of those only the battery's economic operator.
        problem(prepare(b.oem(), b.pack(), "PASSPORT_DECLARED", Json.object().put("gtin", "06901234567892")), 403, "role-not-allowed");
        problem(stranger.submit(stranger.prepareAndSign(b.pack(), "PASSPORT_DECLARED", Json.object().put("gtin", "06901234567892"))), 422, "invalid-event-data");
        problem(stranger.submit(stranger.prepareAndSign(b.pack(), "PASSPORT_UPDATED", file("passport-update.json"))), 422, "invalid-event-data");
        // The maker, as BMS data provider, may report dynamic data; custody stays with the vehicle maker.
        ObjectNode soc = Json.object();
        soc.putObject("performanceAndDurability").putObject("batteryCondition").putObject("stateOfCharge").put("stateOfChargeValue", "55");
        assertEquals(b.oem().id, b.maker().record(b.pack(), "PASSPORT_UPDATED", soc).get("custodian").asText());
        b.oem().auth().get("/api/v1/batteries/" + b.pack()).then().body("custodian", equalTo(b.oem().id));
        // Malformed data is refused at prepare time already, naming the member.
        ObjectNode heavy = Json.object();
        heavy.putObject("generalProductInformation").put("batteryMass", "heavy");
        problem(prepare(b.maker(), b.pack(), "PASSPORT_DECLARED", heavy), 422, "invalid-event-data");
        ObjectNode dynamicInDeclaration = Json.object();
        dynamicInDeclaration.putObject("generalProductInformation").put("batteryStatus", "Reused");
        problem(prepare(b.maker(), b.pack(), "PASSPORT_DECLARED", dynamicInDeclaration), 422, "invalid-event-data");
        ObjectNode computed = Json.object();
        computed.putObject("lifecycle").put("custodian", stranger.id);
        problem(prepare(b.maker(), b.pack(), "PASSPORT_UPDATED", computed), 422, "invalid-event-data");
        assertEquals("55", passport(b.oem().auth(), b.pack()).at("/performanceAndDurability/batteryCondition/stateOfCharge/stateOfChargeValue").decimalValue().toPlainString());
        CascadeAndRecyclingTest.verifiesOffline(b.oem(), "/api/v1/batteries/" + b.pack() + "/evidence");
    }

    @Test
    void aCascadeProductGetsItsOwnPassportLinkedToTheOriginalAndKeepsItsChemistry() {
        Battery b = walkthroughBattery();
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        b.oem().record(b.pack(), "RETIRED", Json.object().put("odometerKm", 182_345).put("reason", "capacity fade"));
        b.oem().transfer(b.pack(), cascade);
        cascade.record(b.pack(), "COLLECTED", data("site", "Xiangtan collection point 2"));
        cascade.record(b.pack(), "TESTED", Platform.tested(118_000, 150_000, "CASCADE"));
        cascade.record(b.pack(), "REPURPOSED", null);
        ObjectNode sources = Json.object();
        sources.set("sources", Json.array().add(b.pack()));
        // A ternary pack cannot become an LFP product unless the product says it is of mixed chemistry.
        String lfp = Platform.newCascadeCode(Chemistry.LFP);
        problem(prepare(cascade, lfp, "ASSEMBLED", sources), 422, "invalid-event-data");
        String product = Platform.newCascadeCode();
        cascade.record(product, "ASSEMBLED", sources);
        problem(b.maker().submit(b.maker().prepareAndSign(product, "PASSPORT_DECLARED", Json.object().put("gtin", "06901234567892"))), 422, "invalid-event-data");
        ObjectNode declaration = Json.object();
        declaration.putObject("generalProductInformation").put("batteryCategory", "stationary");
        cascade.record(product, "PASSPORT_DECLARED", declaration);

        JsonNode productPassport = passport(cascade.auth(), product);
        assertEquals(List.of(b.pack()), List.of(productPassport.at("/links/predecessors/0").asText()));
        assertEquals("Repurposed", productPassport.at("/generalProductInformation/batteryStatus").asText());
        assertEquals(cascade.id, productPassport.at("/generalProductInformation/operatorInformation/identifier").asText(), "the new economic operator");
        JsonNode original = passport(cascade.auth(), b.pack());
        assertEquals("SUPERSEDED", original.get("passportStatus").asText());
        assertEquals(product, original.at("/links/successors/0").asText());
        assertEquals("Repurposed", original.at("/generalProductInformation/batteryStatus").asText(), "the chain outranks the earlier signed 'Original'");
        assertEquals(Set.of(), invalidSections(passport(Platform.admin(), b.pack())).keySet(), "the original passport stays complete");
        CascadeAndRecyclingTest.verifiesOffline(cascade, "/api/v1/batteries/" + product + "/evidence");

        // Declared mixed, a product of another chemistry is accepted.
        String[] other = CascadeAndRecyclingTest.collectedPackWithModule(cascade);
        cascade.record(other[0], "TESTED", Platform.tested(121_000, 150_000, "CASCADE"));
        cascade.record(other[0], "REPURPOSED", null);
        ObjectNode mixed = Json.object().put("mixedChemistry", true);
        mixed.set("sources", Json.array().add(other[0]));
        cascade.record(Platform.newCascadeCode(Chemistry.OTHER), "ASSEMBLED", mixed);
    }

    @Test
    void thePublicPageNegotiatesHtmlJsonAndJsonLdBehindStrictHeaders() {
        Battery b = walkthroughBattery();
        String page = "/p/" + b.pack();
        String csp = given().accept("text/html").get(page).then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Content-Type-Options", "nosniff").body(containsString("lang=\"zh-CN\"")).body(containsString("电池护照"))
                .body(containsString(b.pack())).body(not(containsString("<script"))).body(not(containsString("style=")))
                .extract().header("Content-Security-Policy");
        assertTrue(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline") && csp.contains("default-src 'none'"), csp);
        given().accept("text/html").get(page + "?lang=en").then().statusCode(200).body(containsString("lang=\"en\"")).body(containsString("Battery passport"));
        given().accept("text/html").header("Accept-Language", "en-GB,en;q=0.9").get(page).then().body(containsString("lang=\"en\""));
        given().accept("text/html").header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5").get(page).then().body(containsString("lang=\"zh-CN\""));
        // Signed text is data, never markup: a maker's script is shown escaped, and a javascript: address is no link.
        ObjectNode hostile = Json.object();
        hostile.putObject("carbonFootprint").put("carbonFootprintPerformanceClass", "<script>alert(1)</script>")
                .put("carbonFootprintStudy", "javascript:alert(2)");
        b.maker().record(b.pack(), "PASSPORT_DECLARED", hostile);
        given().accept("text/html").get(page).then().statusCode(200).body(not(containsString("<script"))).body(containsString("&lt;script&gt;"))
                .body(not(containsString("href=\"javascript:")));
        // The page shows what the tier allows: the regulator sees the test reports, the public does not.
        given().accept("text/html").get(page).then().body(not(containsString("A7-test-reports.pdf")));
        Platform.admin().accept("text/html").get(page).then().body(containsString("A7-test-reports.pdf"));

        String url = given().accept("application/json").get(page).then().statusCode(200).contentType(containsString("application/json"))
                .body("batteryIdentifier", equalTo(b.pack())).extract().path("passportUrl");
        assertTrue(url.endsWith(page), url);
        given().accept("application/ld+json").get(page).then().statusCode(200).contentType(containsString("application/ld+json"))
                .body("'@id'", equalTo(url)).body("'@context'.generalProductInformation.'@context'.'@vocab'",
                        equalTo("urn:samm:io.BatteryPass.GeneralProductInformation:1.2.0#"));
        problem(given().accept("application/json").get("/p/" + Platform.newPackCode()), 404, "battery-not-found");
        problem(given().accept("text/html").get("/api/v1/passports/NOT-A-CODE"), 400, "invalid-identifier");

        byte[] png = given().get("/api/v1/batteries/" + b.pack() + "/qr").then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(url, Symbols.decode(png), "the QR code carries the passport's address");
        given().accept("image/svg+xml").get("/api/v1/batteries/" + b.pack() + "/qr").then().statusCode(200).contentType("image/svg+xml")
                .body(containsString("<svg"));
        problem(given().get("/api/v1/batteries/" + b.pack() + "/qr?size=5000"), 400, "invalid-request");
        problem(given().get("/api/v1/batteries/" + b.pack() + "/qr?format=gif"), 400, "bad-format");

        // The maker's label carries the GB/T 34014 code itself, as Data Matrix or QR.
        byte[] label = b.maker().auth().get("/api/v1/batteries/" + b.pack() + "/label").then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(b.pack(), Symbols.decode(label));
        assertEquals(b.pack(), Symbols.decode(b.maker().auth().get("/api/v1/batteries/" + b.pack() + "/label?symbology=QR").then().statusCode(200)
                .extract().asByteArray()));
        problem(b.oem().auth().get("/api/v1/batteries/" + b.pack() + "/label"), 403, "not-your-organization");
        given().get("/api/v1/batteries/" + b.pack() + "/label").then().statusCode(401);
    }
}
