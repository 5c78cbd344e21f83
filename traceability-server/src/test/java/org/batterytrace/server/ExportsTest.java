package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.CascadeAndRecyclingTest.problem;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.batterytrace.export.Epcis;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.passport.EpcisSchema;
import org.junit.jupiter.api.Test;

/**
 * EPCIS 2.0 export of real chains: events that EPCIS tools read right (the official GS1 JSON schema as a
 * regression check, paired ADD/DELETE, no object used after its terminal disposition, every extension term
 * defined), the REST query binding with paging, and lots.
 */
@QuarkusTest
public class ExportsTest {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    /** CBV dispositions after which an object takes part in no further event but the transformation consuming it. */
    private static final Set<String> TERMINAL = Set.of("destroyed", "disposed", "inactive");

    /** A pack tested and repurposed into a certified, deployed cascade product; returns {pack, product, module}. */
    static String[] cascadeProduct(Org cascade) {
        String[] pack = CascadeAndRecyclingTest.collectedPackWithModule(cascade);
        cascade.record(pack[0], "TESTED", Platform.tested(118_000, 150_000, "CASCADE"));
        cascade.record(pack[0], "REPURPOSED", null);
        String product = Platform.newCascadeCode();
        ObjectNode sources = Json.object().put("massGrams", 310_000);
        sources.set("sources", Json.array().add(pack[0]));
        cascade.record(product, "ASSEMBLED", sources);
        cascade.record(product, "CERTIFIED", CascadeAndRecyclingTest.certificate("2026-01-01", "2029-12-31"));
        cascade.record(product, "DEPLOYED", data("application", "BACKUP_POWER").put("site", "Yueyang base station 17"));
        return new String[] {pack[0], product, pack[1]};
    }

    /** A pack and its module dismantled and recycled into a closed lot; returns {pack, module, lot}. */
    static String[] recycledIntoALot(Org recycler) {
        String[] parts = CascadeAndRecyclingTest.collectedPackWithModule(recycler);
        recycler.record(parts[0], "DISMANTLED", CascadeAndRecyclingTest.components(parts[1]));
        recycler.record(parts[1], "SEPARATED", data("parent", parts[0]));
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        recycler.record(parts[0], "RECYCLED", data("lot", lot).put("massGrams", 300_000));
        recycler.record(parts[1], "RECYCLED", data("lot", lot).put("massGrams", 28_500));
        recycler.record(lot, "LOT_CLOSED", CascadeAndRecyclingTest.outcome(12_000, 11_000, 50_000, 49_500, 9_000, 8_900));
        return new String[] {parts[0], parts[1], lot};
    }

    static JsonNode json(Response response) {
        return Json.parse(response.then().statusCode(200).extract().asByteArray());
    }

    static JsonNode eventList(JsonNode doc) {
        return doc.has("epcisBody") && doc.get("epcisBody").has("queryResults") ? doc.at("/epcisBody/queryResults/resultsBody/eventList")
                : doc.at("/epcisBody/eventList");
    }

    /** Every page of a query's answer, following its next links. */
    private static List<JsonNode> pages(Org reader, String first) {
        List<JsonNode> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            // A Link target is already percent-encoded: sent as it is.
            Response response = pages.isEmpty() ? reader.auth().get(next) : reader.auth().urlEncodingEnabled(false).get(next);
            pages.add(json(response));
            String link = response.header("Link");
            if (link == null) {
                next = null;
            } else {
                Matcher m = NEXT.matcher(link);
                assertTrue(m.find(), link);
                URI uri = URI.create(m.group(1));
                next = uri.getRawPath() + "?" + uri.getRawQuery();
            }
            assertTrue(pages.size() < 10_000);
        }
        return pages;
    }

    /** Every event of a query, following its next links. */
    private static List<JsonNode> allEvents(Org reader, String first) {
        List<JsonNode> events = new ArrayList<>();
        pages(reader, first).forEach(page -> eventList(page).forEach(events::add));
        return events;
    }

    static void valid(JsonNode doc) {
        assertEquals(Set.of(), EpcisSchema.validate(doc), "GS1 EPCIS 2.0 JSON schema");
    }

    static List<String> ids(JsonNode event, String... members) {
        List<String> ids = new ArrayList<>();
        for (String member : members) {
            JsonNode value = event.get(member);
            if (value != null && value.isTextual()) {
                ids.add(value.textValue());
            } else if (value != null) {
                value.forEach(v -> ids.add(v.asText()));
            }
        }
        return ids;
    }

    /**
     * After an event gives objects a terminal disposition (or an ObjectEvent DELETEs them), they may appear
     * only as inputs of one transformation: the one consuming them.
     */
    static void noObjectOutlivesItsEnd(List<JsonNode> events) {
        Map<String, String> ended = new HashMap<>();
        Set<String> consumed = new HashSet<>();
        for (JsonNode e : events) {
            for (String id : ids(e, "epcList", "childEPCs", "parentID", "outputEPCList")) {
                assertTrue(!ended.containsKey(id), id + " appears in " + e.get("bt:recordType") + " after " + ended.get(id));
            }
            for (String id : ids(e, "inputEPCList")) {
                assertTrue(consumed.add(id), id + " is consumed twice");
                ended.put(id, "its consumption by " + e.get("bt:recordType"));
            }
            boolean terminal = TERMINAL.contains(e.path("disposition").asText()) || ("ObjectEvent".equals(e.get("type").asText()) && "DELETE".equals(e.path("action").asText()));
            if (terminal) {
                ids(e, "epcList").forEach(id -> ended.put(id, e.get("bt:recordType") + " (" + e.path("disposition").asText("DELETE") + ")"));
            }
        }
    }

    @Test
    void batteryLotAndProductDocumentsAreValidEpcisWithPairedAssociationsAndNoEventAfterTheEnd() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String[] codes = cascadeProduct(cascade);
        String pack = codes[0], product = codes[1], module = codes[2];
        String[] recycled = recycledIntoALot(recycler);

        JsonNode history = json(cascade.auth().get("/api/v1/batteries/" + pack + "/history"));
        JsonNode doc = json(cascade.auth().get("/api/v1/batteries/" + pack + "/epcis"));
        valid(doc);
        assertEquals("EPCISDocument", doc.get("type").asText());
        JsonNode events = eventList(doc);
        assertEquals(List.of("commissioning", "installing", "removing", "shipping", "collecting", "inspecting", "decommissioning"), events.findValuesAsText("bizStep"));
        for (JsonNode event : events) {
            String hash = event.get("bt:recordHash").asText();
            assertTrue(event.get("eventID").asText().startsWith("urn:batterytrace:record:" + hash), "the event ID names its record, not a CBV hash");
            assertTrue(history.findValuesAsText("hash").contains(hash));
        }
        assertEquals(List.of("ADD", "DELETE"), List.of(events.get(1).get("action").asText(), events.get(2).get("action").asText()), "installation ended by removal");
        assertEquals(events.get(1).get("parentID"), events.get(2).get("parentID"));
        assertEquals("urn:batterytrace:vehicle:LSVAU218XN2183294", events.get(1).get("parentID").asText());

        JsonNode moduleDoc = json(cascade.auth().get("/api/v1/batteries/" + module + "/epcis"));
        valid(moduleDoc);
        JsonNode aggregation = eventList(moduleDoc).get(1);
        assertEquals(List.of("AggregationEvent", "ADD", Epcis.id(pack)), List.of(aggregation.get("type").asText(), aggregation.get("action").asText(),
                aggregation.get("parentID").asText()), "a module registered with its pack is aggregated into it");

        JsonNode productDoc = json(cascade.auth().get("/api/v1/batteries/" + product + "/epcis"));
        valid(productDoc);
        JsonNode assembled = eventList(productDoc).get(0);
        assertEquals(List.of(Epcis.id(pack)), ids(assembled, "inputEPCList"));
        JsonNode deployed = eventList(productDoc).get(2);
        assertEquals(Epcis.site(cascade.id, "Yueyang base station 17"), deployed.at("/bizLocation/id").asText());
        assertEquals("BACKUP_POWER", deployed.get("bt:application").asText());

        JsonNode recycledPack = json(recycler.auth().get("/api/v1/batteries/" + recycled[0] + "/epcis"));
        valid(recycledPack);
        JsonNode dismantled = eventList(recycledPack).findParents("bt:recordType").stream().filter(e -> e.get("bt:recordType").asText().equals("DISMANTLED"))
                .findFirst().orElseThrow();
        assertEquals(List.of("AggregationEvent", "DELETE", Epcis.id(recycled[1])), List.of(dismantled.get("type").asText(), dismantled.get("action").asText(),
                dismantled.get("childEPCs").get(0).asText()));
        JsonNode lotDoc = json(recycler.auth().get("/api/v1/lots/" + recycled[2] + "/epcis"));
        valid(lotDoc);
        List<JsonNode> lotEvents = new ArrayList<>();
        eventList(lotDoc).forEach(lotEvents::add);
        assertEquals(List.of("LOT_OPENED", "RECYCLED", "RECYCLED", "LOT_CLOSED"), lotEvents.stream().map(e -> e.get("bt:recordType").asText()).toList());
        Set<String> transformation = new HashSet<>();
        lotEvents.stream().skip(1).forEach(e -> transformation.add(e.get("transformationID").asText()));
        assertEquals(Set.of(Epcis.id(recycled[2])), transformation, "inputs and outputs of one lot are one transformation");
        assertEquals(12_000, lotEvents.get(3).at("/bt:contained/Li").asLong(), "the assay survives as a JSON literal");

        // Across every chain involved, in time order: nothing is used after its end except by the transformation consuming it.
        Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        for (JsonNode d : List.of(doc, moduleDoc, productDoc, recycledPack, json(recycler.auth().get("/api/v1/batteries/" + recycled[1] + "/epcis")), lotDoc)) {
            eventList(d).forEach(e -> byId.put(e.get("eventID").asText(), e)); // a RECYCLED event is in its battery's and its lot's document
        }
        List<JsonNode> all = new ArrayList<>(byId.values());
        // By instant, not by text: "…04.12Z" sorts before "…04.1Z" as text.
        all.sort(java.util.Comparator.<JsonNode, java.time.Instant>comparing(e -> java.time.Instant.parse(e.get("eventTime").asText()))
                .thenComparingLong(e -> e.get("bt:logIndex").asLong()));
        noObjectOutlivesItsEnd(all);
    }

    @Test
    void theQueryBindingFiltersAndPagesWithNextPageTokens() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES);
        String[] codes = cascadeProduct(cascade);
        String pack = Epcis.id(codes[0]);

        JsonNode associations = json(regulator.auth().accept("application/ld+json").get("/api/v1/epcis/events?GE_eventTime=" + before
                + "&eventType=AssociationEvent&MATCH_epc=" + pack));
        valid(associations);
        assertEquals("EPCISQueryDocument", associations.get("type").asText());
        // Pages are cut before filtering (a page may hold fewer events than perPage), and other tests log records
        // in the same minute: follow the pages.
        assertEquals(List.of("ADD", "DELETE"), allEvents(regulator, "/api/v1/epcis/events?GE_eventTime=" + before + "&eventType=AssociationEvent&MATCH_epc="
                + pack).stream().map(e -> e.get("action").asText()).toList());
        assertEquals(List.of("inspecting", "decommissioning"), allEvents(regulator, "/api/v1/epcis/events?GE_eventTime=" + before
                + "&EQ_bizStep=inspecting|decommissioning&MATCH_anyEPC=" + pack).stream().map(e -> e.get("bizStep").asText()).toList());

        // All events of this test's objects, a page of two records at a time, following the Link header.
        String first = "/api/v1/epcis/events?GE_eventTime=" + before + "&MATCH_anyEPC=" + pack + "|" + Epcis.id(codes[1]) + "&perPage=2";
        List<String> paged = new ArrayList<>();
        List<JsonNode> pages = pages(regulator, first);
        for (JsonNode page : pages) {
            valid(page);
            paged.addAll(eventList(page).findValuesAsText("eventID"));
        }
        JsonNode whole = json(regulator.auth().get(first.replace("perPage=2", "perPage=1000")));
        assertNull(regulator.auth().get(first.replace("perPage=2", "perPage=1000")).header("Link"), "a complete answer has no next link");
        assertEquals(eventList(whole).findValuesAsText("eventID"), paged, "pages add up to the whole, in log order");
        assertEquals(11, paged.size(), "7 pack events, the module's aggregation into the pack, 3 product events");
        assertTrue(pages.size() > 1);

        problem(regulator.auth().get("/api/v1/epcis/events?nextPageToken=forged"), 400, "bad-page-token");
        problem(regulator.auth().get("/api/v1/epcis/events?eventType=MagicEvent"), 400, "bad-query");
        problem(regulator.auth().get("/api/v1/epcis/events?GE_eventTime=yesterday"), 400, "bad-range");
        problem(cascade.auth().get("/api/v1/epcis/events"), 403, "regulator-required");
        given().get("/api/v1/batteries/" + codes[0] + "/epcis").then().statusCode(401);
    }

    @Test
    void theServedContextDefinesEveryExtensionTermAndDeclaredGtinsBecomeDigitalLinks() {
        JsonNode context = json(given().accept("application/ld+json").get("/api/v1/epcis/context.jsonld")).get("@context");
        for (String term : Epcis.terms()) {
            assertTrue(context.has(term), term);
        }
        assertEquals("@json", context.at("/bt:recovered/@type").asText());

        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        String module = Platform.newCode(ProductLevel.MODULE);
        maker.record(pack, "PRODUCED", null);
        maker.record(pack, "PASSPORT_DECLARED", Json.object().put("gtin", "6901234567892"));
        maker.record(module, "PRODUCED", data("parent", pack));
        maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(pack, "RETIRED", Json.object().put("odometerKm", 182_345).put("reason", "capacity fade"));
        String link = "https://id.gs1.org/01/06901234567892/21/" + pack.substring(7);
        JsonNode doc = json(maker.auth().get("/api/v1/batteries/" + pack + "/epcis"));
        valid(doc);
        assertEquals(link, eventList(doc).get(0).at("/epcList/0").asText());
        assertEquals(List.of("PRODUCED", "INSTALLED", "RETIRED"), eventList(doc).findValuesAsText("bt:recordType"), "static passport data is no event");
        JsonNode retired = eventList(doc).get(2);
        assertEquals(List.of("DELETE", "capacity fade", "182345"), List.of(retired.get("action").asText(), retired.get("bt:retirementReason").asText(),
                retired.get("bt:odometerKm").asText()));
        JsonNode moduleDoc = json(maker.auth().get("/api/v1/batteries/" + module + "/epcis"));
        assertEquals(link, eventList(moduleDoc).get(1).get("parentID").asText(), "the pack is named by its Digital Link in its module's events too");
        maker.auth().get("/api/v1/batteries/" + pack + "/passport").then().body("digitalLink", equalTo(link));
    }

    /**
     * JSON-LD 1.1 expansion (Titanium) of every event's bt: members under the context the server serves:
     * each member must come out as its full IRI with its value, structured values whole.
     */
    @Test
    void jsonLdExpansionKeepsEveryExtensionMember() throws Exception {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String[] codes = cascadeProduct(cascade);
        String[] recycled = recycledIntoALot(recycler);
        JsonNode context = json(given().get("/api/v1/epcis/context.jsonld")).get("@context");
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode doc : List.of(json(cascade.auth().get("/api/v1/batteries/" + codes[0] + "/epcis")), json(cascade.auth().get("/api/v1/batteries/" + codes[1] + "/epcis")),
                json(recycler.auth().get("/api/v1/lots/" + recycled[2] + "/epcis")))) {
            eventList(doc).forEach(events::add);
        }
        int checked = 0;
        for (JsonNode event : events) {
            ObjectNode compact = Json.object();
            compact.set("@context", context);
            event.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("bt:")) {
                    compact.set(f.getKey(), f.getValue());
                }
            });
            jakarta.json.JsonArray expanded = com.apicatalog.jsonld.JsonLd.expand(com.apicatalog.jsonld.document.JsonDocument.of(
                    new java.io.StringReader(compact.toString()))).get();
            JsonNode node = Json.parse(expanded.toString()).get(0);
            for (var f : (Iterable<Map.Entry<String, JsonNode>>) () -> compact.fields()) {
                if (f.getKey().equals("@context")) {
                    continue;
                }
                JsonNode out = node.get(Epcis.NAMESPACE + f.getKey().substring(3));
                assertTrue(out != null, f.getKey() + " vanished in expansion of " + event.get("bt:recordType"));
                JsonNode value = out.get(0);
                JsonNode kept = value.has("@id") ? value.get("@id") : value.get("@value");
                if (f.getValue().isNumber()) {
                    assertEquals(0, f.getValue().decimalValue().compareTo(kept.decimalValue()), f.getKey());
                } else if (f.getValue().isContainerNode()) {
                    assertEquals("@json", value.get("@type").asText(), f.getKey());
                    assertEquals(f.getValue(), kept, f.getKey() + " kept whole");
                } else {
                    assertEquals(f.getValue().asText(), kept.asText(), f.getKey());
                }
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked + " members");
    }
}
