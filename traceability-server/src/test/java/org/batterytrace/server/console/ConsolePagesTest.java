package org.batterytrace.server.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The console's pages over HTTP: they obey the API's read policy (a non-party gets the API's 403 and
 * problem kind), the enterprise filters work, the regulator's charts show exactly the reports API's
 * tables and link to its CSV, and every /console path carries the security headers.
 */
@QuarkusTest
public class ConsolePagesTest {
    @TestHTTPResource("/")
    URL root;

    private String origin() {
        return root.getProtocol() + "://" + root.getHost() + ":" + root.getPort();
    }

    private String signIn(Org org) {
        Response r = given().redirects().follow(false).header("Origin", origin()).contentType("application/x-www-form-urlencoded").formParam("token", org.token)
                .post("/console/sign-in");
        assertEquals(303, r.statusCode());
        return r.getCookie(ConsoleSessions.COOKIE);
    }

    private static RequestSpecification as(String cookie) {
        return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, cookie);
    }

    private static String problemType(String html) {
        Matcher m = Pattern.compile("<code id=\"problem-type\">([^<]+)</code>").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    @Test
    void aNonPartyGetsTheApisRefusalOnABatteryPage() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org stranger = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        String strangerSession = signIn(stranger);
        for (String code : List.of(pack, Platform.newPackCode())) {
            Response api = stranger.auth().get("/api/v1/batteries/" + code + "/history");
            Response page = as(strangerSession).get("/console/batteries/" + code);
            assertEquals(api.statusCode(), page.statusCode(), "the page answers with the API's status");
            assertTrue(page.contentType().startsWith("text/html"));
            assertEquals(api.jsonPath().getString("type"), problemType(page.asString()), "and its problem kind");
            assertFalse(page.asString().contains("id=\"timeline\""));
        }
        assertEquals(403, as(strangerSession).get("/console/batteries/" + pack).statusCode());
        assertEquals("urn:batterytrace:problem:not-a-party", problemType(as(strangerSession).get("/console/batteries/" + pack).asString()));
        as(signIn(maker)).get("/console/batteries/" + pack).then().statusCode(200).body(containsString("id=\"timeline\"")).body(containsString("PRODUCED"));
        // An enterprise is no regulator: the dashboard answers as the reports API does.
        Response dashboard = as(strangerSession).get("/console/regulator");
        assertEquals(403, dashboard.statusCode());
        assertEquals(stranger.auth().get("/api/v1/reports/batteries?groupBy=city").jsonPath().getString("type"), problemType(dashboard.asString()));
    }

    @Test
    void custodyListsWhatTheOrganizationHoldsWithItsFilters() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        String kept = Platform.newPackCode();
        String handedOn = Platform.newPackCode();
        maker.record(kept, "PRODUCED", null);
        maker.record(handedOn, "PRODUCED", null);
        maker.transfer(handedOn, oem);
        String session = signIn(maker);
        String all = as(session).get("/console/batteries").then().statusCode(200).extract().asString();
        assertTrue(all.contains(kept) && !all.contains(handedOn), "only what it holds now");
        assertTrue(as(session).get("/console/batteries?state=PRODUCED&chemistry=E&month=2026-03").asString().contains(kept));
        assertFalse(as(session).get("/console/batteries?month=2026-04").asString().contains(kept));
        assertFalse(as(session).get("/console/batteries?state=RETIRED").asString().contains(kept));
        Response bad = as(session).get("/console/batteries?state=BROKEN");
        assertEquals(400, bad.statusCode());
        assertEquals("urn:batterytrace:problem:bad-state", problemType(bad.asString()));
        // The transfer shows in the receiver's inbox and the sender's outbox.
        as(signIn(oem)).get("/console/transfers").then().statusCode(200).body(containsString(handedOn)).body(containsString("ACCEPTED"));
        as(session).get("/console/transfers").then().statusCode(200).body(containsString(handedOn));
    }

    @Test
    void lateReportsAndLotsWithTheirRecoveryRatesAgainstTheTargets() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, now.minus(90, ChronoUnit.DAYS), Role.BATTERY_MAKER);
        String late = Platform.newPackCode();
        // 40 calendar days are more than the 15 working days allowed from leaving the factory.
        String body = Json.object().put("subject", late).put("type", "PRODUCED").put("time", now.minus(40, ChronoUnit.DAYS).toString()).toString();
        TraceRecord record = TraceRecord.fromJson(Json.parse(maker.auth().body(body).post("/api/v1/records/prepare").then().statusCode(200).extract().asByteArray())
                .get("record"));
        maker.submit(SignedRecord.sign(record, maker.key)).then().statusCode(201);
        String makerSession = signIn(maker);
        String lateHtml = as(makerSession).get("/console/late-reports").then().statusCode(200).extract().asString();
        assertTrue(lateHtml.contains("<dd id=\"late-count\">1</dd>") && lateHtml.contains(late) && lateHtml.contains("Art. 8"), lateHtml);

        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        maker.transfer(pack, oem);
        oem.record(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "RETIRED", Json.object().put("odometerKm", 182_345).put("sohBasisPoints", 7_850));
        oem.transfer(pack, recycler);
        recycler.record(pack, "COLLECTED", Platform.data("site", "Changsha collection point 3"));
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", Platform.data("process", "HYDROMETALLURGY"));
        recycler.record(pack, "RECYCLED", Platform.data("lot", lot).put("massGrams", 300_000));
        ObjectNode outcome = Json.object();
        outcome.set("contained", Json.object().put("Li", 12_000).put("Ni", 50_000).put("Co", 9_000).put("Mn", 8_000));
        outcome.set("recovered", Json.object().put("Li", 11_000).put("Ni", 49_500).put("Co", 8_800).put("Mn", 7_900));
        outcome.set("products", Json.array().add(Json.object().put("form", "Li2CO3").put("massGrams", 58_000)));
        recycler.record(lot, "LOT_CLOSED", outcome);
        JsonNode api = Json.parse(recycler.auth().get("/api/v1/lots/" + lot).then().statusCode(200).extract().asByteArray());
        String lots = as(signIn(recycler)).get("/console/lots").then().statusCode(200).extract().asString();
        assertTrue(lots.contains("id=\"lot-" + lot + "\""), lots);
        assertTrue(lots.contains("Li 91.66") && lots.contains("Co 97.77"), "the recovery rates: " + lots);
        for (JsonNode target : api.get("targets")) {
            assertTrue(lots.contains("class=\"target " + (target.get("met").asBoolean() ? "met" : "short") + "\" data-target=\"" + target.get("target").asText() + "\""),
                    target + " in " + lots);
        }
        assertTrue(lots.contains("CN_2024: 未达标 Co"), "Co misses China's 98 %: " + lots);
    }

    /** The cells of the HTML table {@code id}, row by row, unescaped. */
    private static List<List<String>> htmlTable(String html, String id) {
        int start = html.indexOf("<table class=\"data\" id=\"" + id + "\">");
        assertTrue(start >= 0, id);
        String table = html.substring(start, html.indexOf("</table>", start));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<t[hd]>(.*?)</t[hd]>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&"));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** RFC 4180 lines of a CSV without quoted fields (the test data has no commas or quotes). */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            assertFalse(line.contains("\""), "unquoted test data: " + line);
            rows.add(List.of(line.split(",", -1)));
        }
        return rows;
    }

    @Test
    void theRegulatorsChartsShowTheReportsApisTablesAndLinkToTheirCsv() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        Org regulator = Platform.regulator("430000", "43");
        String html = as(signIn(regulator)).get("/console/regulator").then().statusCode(200).extract().asString();
        Map<String, String> charts = Map.of("stock", "/api/v1/reports/batteries?groupBy=city&format=csv", "flows", "/api/v1/reports/events?groupBy=month&format=csv",
                "cascade", "/api/v1/reports/cascade-share?format=csv", "recovery", "/api/v1/reports/recovery?format=csv",
                "timeliness", "/api/v1/compliance/timeliness?format=csv");
        charts.forEach((id, csvUrl) -> {
            assertTrue(html.contains("id=\"csv-" + id + "\" href=\"" + csvUrl.replace("&", "&amp;") + "\""), "the " + id + " chart links to its CSV");
            assertTrue(html.contains("id=\"chart-" + id + "\""), "the " + id + " chart is drawn");
            List<List<String>> api = csv(regulator.auth().get(csvUrl).then().statusCode(200).extract().asString());
            assertEquals(api, htmlTable(html, "table-" + id), "the " + id + " chart's data is the API's");
        });
        // The Changsha tile shows the API's count for 430100.
        List<List<String>> stock = csv(regulator.auth().get("/api/v1/reports/batteries?groupBy=city&format=csv").asString());
        String changsha = stock.stream().filter(r -> r.get(0).equals("430100")).map(r -> r.get(1)).findFirst().orElseThrow();
        assertTrue(html.contains("data-city=\"430100\" data-value=\"" + changsha + "\""), "Changsha tile: " + changsha);
        assertEquals(14, Pattern.compile("class=\"tile\"").matcher(html).results().count(), "Hunan's 14 prefecture-level divisions");
    }

    @Test
    void everyConsolePathCarriesTheSecurityHeaders() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String session = signIn(maker);
        for (String path : List.of("/console", "/console/", "/console/batteries", "/console/transfers", "/console/collect", "/console/late-reports", "/console/lots",
                "/console/regulator", "/console/batteries/" + Platform.newPackCode(), "/console/assets/console.js", "/console/assets/console.css",
                "/console/assets/favicon.svg", "/console/no-such-page")) {
            Response r = as(session).get(path);
            String csp = r.header("Content-Security-Policy");
            assertTrue(csp != null && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), path + ": " + csp);
            for (String directive : List.of("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'")) {
                assertTrue(csp.contains(directive), path + " lacks " + directive);
            }
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("same-origin", r.header("Referrer-Policy"), path);
        }
        // Anonymous: the sign-in page, with the same headers.
        given().get("/console/").then().statusCode(200).header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("id=\"sign-in\"")).body(not(containsString("csrf-token")));
    }

    @Test
    void chineseByDefaultEnglishOnRequestAndRemembered() {
        given().get("/console/").then().statusCode(200).body(containsString("<html lang=\"zh-CN\">")).body(containsString("登录"));
        Response en = given().get("/console/?lang=en");
        assertTrue(en.asString().contains("<html lang=\"en\">") && en.asString().contains("Sign in"));
        assertTrue(en.header("Set-Cookie").startsWith("lang=en;"), en.header("Set-Cookie"));
        given().cookie("lang", "en").get("/console/").then().body(containsString("<html lang=\"en\">"));
    }
}
