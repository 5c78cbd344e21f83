package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.passport.PassportService;
import org.junit.jupiter.api.Test;

/**
 * The public passports the server keeps (PublicPassports), as production runs it: with the pages' base URL
 * configured. What is kept is served without a rebuild; a record logged here shows at once, in its own
 * passport and in those it links to; answers to a token are never kept; and none of it changes the bytes,
 * the tag or the headers of an answer.
 */
@QuarkusTest
@TestProfile(PublicPassportCacheTest.PublicBaseUrl.class)
public class PublicPassportCacheTest {
    private static final String API = "/api/v1";

    public static class PublicBaseUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trace.passport.base-url", "https://passport.example.cn");
        }
    }

    @Inject
    MeterRegistry metrics;
    @Inject
    PassportService passports;

    private double built() {
        return metrics.counter("trace.passport.public.built").count();
    }

    private static Response publicJson(String code) {
        return given().accept("application/json").get(API + "/passports/" + code).then().statusCode(200).extract().response();
    }

    @Test
    void aKeptPassportIsServedWithoutARebuildAndTheSameBytes() {
        PassportTest.Battery b = PassportTest.walkthroughBattery();
        Response first = publicJson(b.pack());
        double builtAfterFirst = built();
        Response second = publicJson(b.pack());
        Response viaBatteries = given().get(API + "/batteries/" + b.pack() + "/passport").then().statusCode(200).extract().response();
        String page = given().accept("text/html").get(API + "/passports/" + b.pack()).then().statusCode(200).extract().asString();
        String pageAgain = given().accept("text/html").get(API + "/passports/" + b.pack()).then().statusCode(200).extract().asString();
        String english = given().accept("text/html").queryParam("lang", "en").get(API + "/passports/" + b.pack()).then().statusCode(200).extract().asString();
        JsonNode linked = Json.parse(given().accept("application/ld+json").get(API + "/passports/" + b.pack()).then().statusCode(200).extract().asByteArray());

        assertEquals(builtAfterFirst, built(), "the JSON, the batteries path, both pages and JSON-LD came from what was kept");
        assertTrue(passports.publicPassports().holds(b.pack()));
        assertEquals(first.asString(), second.asString());
        assertEquals(first.header("ETag"), second.header("ETag"));
        assertEquals("public, max-age=60", second.header("Cache-Control"));
        assertEquals(Json.parse(first.asByteArray()).toString(), Json.parse(viaBatteries.asByteArray()).toString());
        assertEquals(page, pageAgain);
        assertNotEquals(page, english);
        assertTrue(page.contains(b.pack()) && english.contains(b.pack()));
        assertEquals(b.pack(), linked.get("batteryIdentifier").asText());
        assertEquals("https://passport.example.cn/p/" + b.pack(), linked.get("@id").asText());
        assertEquals(Json.parse(first.asByteArray()).get("carbonFootprint"), linked.get("carbonFootprint"));
        given().accept("application/json").header("If-None-Match", first.header("ETag")).get(API + "/passports/" + b.pack()).then().statusCode(304);
    }

    @Test
    void aRecordLoggedHereShowsAtOnce() {
        PassportTest.Battery b = PassportTest.walkthroughBattery();
        assertEquals("3.2", publicJson(b.pack()).jsonPath().getString("circularity.renewableContent"));
        ObjectNode declaration = Json.object();
        declaration.putObject("circularity").put("renewableContent", "9.9"); // decimals as strings: records carry no floats
        b.maker().record(b.pack(), "PASSPORT_DECLARED", declaration);
        assertFalse(passports.publicPassports().holds(b.pack()), "dropped when the record committed");
        assertEquals("9.9", publicJson(b.pack()).jsonPath().getString("circularity.renewableContent"));
    }

    @Test
    void aRecordOnALinkedBatteryShowsAtOnce() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        String module = Platform.newCode(ProductLevel.MODULE);
        maker.record(pack, "PRODUCED", null);
        assertEquals(List.of(), publicJson(pack).jsonPath().getList("links.components"));
        // The module's record is on its own chain; the pack's passport lists it as a component.
        maker.record(module, "PRODUCED", data("parent", pack));
        assertEquals(List.of(module), publicJson(pack).jsonPath().getList("links.components"));
        assertEquals(pack, publicJson(module).jsonPath().getString("links.partOf"));
    }

    @Test
    void answersToATokenAreNeverKeptNorServedToThePublic() {
        PassportTest.Battery b = PassportTest.walkthroughBattery();
        JsonNode open = Json.parse(publicJson(b.pack()).asByteArray());
        double before = built();
        JsonNode maker = Json.parse(b.maker().auth().accept("application/json").get(API + "/passports/" + b.pack()).then().statusCode(200)
                .header("Cache-Control", "private, no-cache").extract().asByteArray());
        b.maker().auth().accept("application/json").get(API + "/passports/" + b.pack()).then().statusCode(200);
        assertEquals(before, built(), "higher tiers are built afresh, outside what is kept for the public");
        assertTrue(maker.has("lifecycle"));
        assertFalse(open.has("lifecycle"));
        assertFalse(Json.parse(publicJson(b.pack()).asByteArray()).has("lifecycle"), "the public still gets the public tier");
    }

    @Test
    void unknownAndMalformedCodesAreNotKept() {
        String unknown = Platform.newPackCode();
        given().accept("application/json").get(API + "/passports/" + unknown).then().statusCode(404);
        given().accept("application/json").get(API + "/passports/" + unknown).then().statusCode(404);
        given().accept("application/json").get(API + "/passports/NOT-A-CODE").then().statusCode(400);
        assertFalse(passports.publicPassports().holds(unknown));
    }
}
