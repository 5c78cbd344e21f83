package org.batterytrace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.junit.jupiter.api.Test;

/** Every record type maps to a well-formed EPCIS 2.0 event of the documented kind. */
class EpcisTest {
    static final String PACK = "H5NPBA7HN24L01F3K0000521";
    static final String MODULE = "H5NMBA7HN24L01F3K0000522";
    static final String PRODUCT = "H5NMB02G580000007RP";
    static final String ACTOR = "91430300MA4L0003XN";
    static final String OTHER = "91430100MA4L0001XA";
    static final String LOT = "LOT-" + ACTOR + "-2026A7";
    static final SigningKey KEY = SigningKey.generate(SignatureAlgorithm.ED25519);

    /** Top-level EPCIS 2.0 members per event type (GS1 JSON schema); anything else must be a prefixed extension. */
    static final Set<String> COMMON = Set.of("type", "eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo",
            "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList");
    static final Map<String, Set<String>> SPECIFIC = Map.of(
            "ObjectEvent", Set.of("action", "epcList", "quantityList", "ilmd"),
            "AggregationEvent", Set.of("action", "parentID", "childEPCs", "childQuantityList"),
            "AssociationEvent", Set.of("action", "parentID", "childEPCs", "childQuantityList"),
            "TransformationEvent", Set.of("inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID", "ilmd"));
    static final Pattern OFFSET = Pattern.compile("^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$");
    static final Pattern UOM = Pattern.compile("^[A-Z0-9]{2,3}$");

    static ObjectNode event(String subject, EventType type, ObjectNode data) {
        List<ObjectNode> events = events(subject, type, data);
        assertEquals(1, events.size(), type + " yields one event on its own");
        return events.get(0);
    }

    static List<ObjectNode> events(String subject, EventType type, ObjectNode data) {
        TraceRecord record = TraceRecord.of(subject, 2, "0".repeat(64), type.name(), Instant.parse("2026-10-01T08:00:00Z"), ACTOR, data);
        return Epcis.events(List.of(new Epcis.Logged(SignedRecord.sign(record, KEY), Instant.parse("2026-10-02T08:00:00Z"), 42L)), Epcis.Identifiers.urns());
    }

    /** A chain of {type, data} steps one day apart, mapped as a whole. */
    static List<ObjectNode> chain(String subject, Epcis.Identifiers ids, Object... steps) {
        List<Epcis.Logged> logged = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < steps.length; i += 2) {
            ObjectNode data = steps[i + 1] == null ? Json.object() : (ObjectNode) steps[i + 1];
            TraceRecord record = TraceRecord.of(subject, i / 2 + 1, prev, (String) steps[i], Instant.parse("2026-01-01T08:00:00Z").plusSeconds(86_400L * i), ACTOR, data);
            SignedRecord signed = SignedRecord.sign(record, KEY);
            prev = signed.hash();
            logged.add(new Epcis.Logged(signed, null, (long) i));
        }
        return Epcis.events(logged, ids);
    }

    static void wellFormed(JsonNode e) {
        String type = e.get("type").asText();
        Set<String> allowed = SPECIFIC.get(type);
        assertNotNull(allowed, "event type " + type);
        for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(COMMON.contains(name) || allowed.contains(name) || name.startsWith("bt:"), type + " has a non-EPCIS member " + name);
        }
        assertTrue(OFFSET.matcher(e.get("eventTimeZoneOffset").asText()).matches());
        Instant.parse(e.get("eventTime").asText());
        assertTrue(URI.create(e.get("eventID").asText()).isAbsolute());
        for (String list : List.of("epcList", "childEPCs", "inputEPCList", "outputEPCList")) {
            if (e.has(list)) {
                e.get(list).forEach(uri -> assertTrue(URI.create(uri.asText()).isAbsolute(), uri.asText()));
            }
        }
        e.findValues("uom").forEach(uom -> assertTrue(UOM.matcher(uom.asText()).matches(), uom.asText()));
        if (e.has("ilmd")) {
            e.get("ilmd").fieldNames().forEachRemaining(name -> assertTrue(URI.create(name).isAbsolute(), "ilmd keys are URIs: " + name));
        }
    }

    @Test
    void everyRecordTypeBecomesAWellFormedEvent() {
        ObjectNode test = Json.object().put("measuredCapacityMah", 118_000).put("ratedCapacityMah", 150_000).put("measuredEnergyWh", 41_300)
                .put("capacityRatioBp", 7_866).put("internalResistanceMicroOhm", 85_000).put("decision", "CASCADE");
        ObjectNode closed = Json.object();
        closed.set("contained", Json.object().put("Li", 4_400));
        closed.set("recovered", Json.object().put("Li", 4_010));
        closed.set("products", Json.array().add(Json.object().put("form", "Li2CO3").put("massGrams", 21_300)));
        List<Object[]> cases = List.of(
                new Object[] {PACK, EventType.PRODUCED, Json.object().put("massGrams", 452_000), "ObjectEvent", "commissioning"},
                new Object[] {PACK, EventType.INSTALLED, Json.object().put("vin", "LSVAU218XN2183294"), "AssociationEvent", "installing"},
                new Object[] {PACK, EventType.SOLD, Json.object(), "ObjectEvent", "retail_selling"},
                new Object[] {PACK, EventType.MAINTAINED, Json.object(), "ObjectEvent", "repairing"},
                new Object[] {PACK, EventType.SWAPPED, Json.object().put("vin", "LFV2A21K8N3000019"), "AssociationEvent", "installing"},
                new Object[] {PACK, EventType.REPLACED, Json.object(), "ObjectEvent", "replacing"},
                new Object[] {PACK, EventType.RETIRED, Json.object(), "ObjectEvent", "removing"},
                new Object[] {PACK, EventType.TRANSFERRED, Json.object().put("to", OTHER), "ObjectEvent", "shipping"},
                new Object[] {PACK, EventType.COLLECTED, Json.object(), "ObjectEvent", "collecting"},
                new Object[] {PACK, EventType.TESTED, test, "ObjectEvent", "inspecting"},
                new Object[] {PACK, EventType.REPURPOSED, Json.object(), "ObjectEvent", "decommissioning"},
                new Object[] {PACK, EventType.DISMANTLED, (ObjectNode) Json.object().set("components", Json.array().add(MODULE)), "AggregationEvent", "disassembling"},
                new Object[] {MODULE, EventType.SEPARATED, Json.object().put("parent", PACK), "ObjectEvent", "receiving"},
                new Object[] {PACK, EventType.RECYCLED, Json.object().put("lot", LOT).put("massGrams", 310_000), "TransformationEvent", "destroying"},
                new Object[] {PRODUCT, EventType.ASSEMBLED, (ObjectNode) Json.object().set("sources", Json.array().add(PACK)), "TransformationEvent", "assembling"},
                new Object[] {PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "CQC 1").put("certificationBody", "CQC").put("validFrom", "2026-01-01")
                        .put("validUntil", "2029-12-31"), "ObjectEvent", "inspecting"},
                new Object[] {PRODUCT, EventType.DEPLOYED, Json.object().put("application", "ENERGY_STORAGE").put("site", "Zhuzhou"), "ObjectEvent", "installing"},
                new Object[] {LOT, EventType.LOT_OPENED, Json.object().put("process", "HYDROMETALLURGY"), "ObjectEvent", "commissioning"},
                new Object[] {LOT, EventType.LOT_CLOSED, closed, "TransformationEvent", "destroying"},
                new Object[] {PACK, EventType.PASSPORT_UPDATED, (ObjectNode) Json.object().set("performanceAndDurability", Json.object().set("batteryCondition",
                        Json.object().set("stateOfCharge", Json.object().put("stateOfChargeValue", "64.5")))), "ObjectEvent", "sensor_reporting"});
        List<EventType> covered = new ArrayList<>();
        for (Object[] c : cases) {
            ObjectNode e = event((String) c[0], (EventType) c[1], (ObjectNode) c[2]);
            assertEquals(c[3], e.get("type").asText(), c[1] + " event type");
            assertEquals(c[4], e.get("bizStep").asText(), c[1] + " bizStep");
            assertEquals(c[1].toString(), e.get("bt:recordType").asText());
            wellFormed(e);
            covered.add((EventType) c[1]);
        }
        assertTrue(events(PACK, EventType.PASSPORT_DECLARED, Json.object().put("gtin", "06901234567892")).isEmpty(), "static passport data is no event");
        covered.add(EventType.PASSPORT_DECLARED);
        assertEquals(Set.of(EventType.values()), Set.copyOf(covered), "every record type has a mapping case");
    }

    @Test
    void detailsCarryOver() {
        ObjectNode tested = event(PACK, EventType.TESTED, Json.object().put("measuredCapacityMah", 118_000).put("ratedCapacityMah", 150_000)
                .put("measuredEnergyWh", 41_300).put("capacityRatioBp", 7_866).put("internalResistanceMicroOhm", 85_000).put("decision", "RECYCLE"));
        assertEquals("non_conformant", tested.get("disposition").asText());
        JsonNode reports = tested.get("sensorElementList").get(0).get("sensorReport");
        assertEquals("118", reports.get(0).get("value").asText());
        assertEquals("AMH", reports.get(0).get("uom").asText());
        assertEquals("78.66", reports.get(2).get("value").asText());
        assertEquals("0.085", reports.get(3).get("value").asText());

        ObjectNode closed = Json.object();
        closed.set("contained", Json.object().put("Li", 4_400));
        closed.set("recovered", Json.object().put("Li", 4_010));
        closed.set("products", Json.array().add(Json.object().put("form", "Li2CO3").put("massGrams", 21_300)));
        ObjectNode lot = event(LOT, EventType.LOT_CLOSED, closed);
        assertEquals("urn:batterytrace:lot:" + LOT, lot.get("transformationID").asText(), "RECYCLED inputs and LOT_CLOSED outputs share the lot's transformation");
        assertEquals("urn:batterytrace:lot:" + LOT, event(PACK, EventType.RECYCLED, Json.object().put("lot", LOT).put("massGrams", 310_000))
                .get("transformationID").asText());
        assertEquals("21.3", lot.get("outputQuantityList").get(0).get("quantity").asText());
        assertEquals("KGM", lot.get("outputQuantityList").get(0).get("uom").asText());

        ObjectNode transfer = event(PACK, EventType.TRANSFERRED, Json.object().put("to", OTHER));
        assertEquals("urn:batterytrace:org:" + OTHER, transfer.get("destinationList").get(0).get("destination").asText());
        assertEquals(42, transfer.get("bt:logIndex").asLong());
        assertTrue(transfer.get("eventID").asText().startsWith("urn:batterytrace:record:"), "no claim to be a CBV 2.0 event hash");

        ObjectNode doc = Epcis.document(List.of(transfer), Instant.parse("2026-11-25T00:00:00Z"), "https://trace.example/api/v1/epcis/context.jsonld");
        assertEquals("EPCISDocument", doc.get("type").asText());
        assertEquals("2.0", doc.get("schemaVersion").asText());
        assertEquals(Epcis.CONTEXT, doc.get("@context").get(0).asText());
        assertEquals(1, doc.get("epcisBody").get("eventList").size());
    }

    static List<String> associations(List<ObjectNode> events) {
        return events.stream().filter(e -> e.get("type").asText().equals("AssociationEvent"))
                .map(e -> e.get("action").asText() + " " + e.get("parentID").asText().replace("urn:batterytrace:vehicle:", "")).toList();
    }

    @Test
    void everyInstallationIsEndedByARemoval() {
        List<ObjectNode> swapped = chain(PACK, Epcis.Identifiers.urns(), "PRODUCED", null, "INSTALLED", Json.object().put("vin", "LSVAU218XN2183294"),
                "SOLD", null, "SWAPPED", Json.object().put("vin", "LFV2A21K8N3000019"), "RETIRED", Json.object().put("reason", "capacity fade").put("odometerKm", 182_345));
        assertEquals(List.of("ADD LSVAU218XN2183294", "DELETE LSVAU218XN2183294", "ADD LFV2A21K8N3000019", "DELETE LFV2A21K8N3000019"), associations(swapped));
        ObjectNode retirement = swapped.get(swapped.size() - 1);
        assertEquals("capacity fade", retirement.get("bt:retirementReason").asText());
        assertEquals(182_345, retirement.get("bt:odometerKm").asLong());
        List<ObjectNode> replaced = chain(PACK, Epcis.Identifiers.urns(), "PRODUCED", null, "INSTALLED", Json.object().put("vin", "LSVAU218XN2183294"),
                "SOLD", null, "REPLACED", null);
        assertEquals(List.of("ADD LSVAU218XN2183294", "DELETE LSVAU218XN2183294"), associations(replaced));
        assertEquals(Set.of("urn:batterytrace:record:"), Set.copyOf(swapped.stream().map(e -> e.get("eventID").asText().substring(0, 24)).toList()));
        assertEquals(swapped.size(), Set.copyOf(swapped.stream().map(e -> e.get("eventID").asText()).toList()).size(), "event IDs are unique");
        swapped.forEach(EpcisTest::wellFormed);
    }

    @Test
    void modulesAreAggregatedAtRegistrationAndTakenOutAtDismantling() {
        List<ObjectNode> module = chain(MODULE, Epcis.Identifiers.urns(), "PRODUCED", Json.object().put("parent", PACK));
        assertEquals("ObjectEvent", module.get(0).get("type").asText());
        ObjectNode aggregation = module.get(1);
        assertEquals(List.of("AggregationEvent", "ADD", "urn:batterytrace:battery:" + PACK, "urn:batterytrace:battery:" + MODULE),
                List.of(aggregation.get("type").asText(), aggregation.get("action").asText(), aggregation.get("parentID").asText(), aggregation.get("childEPCs").get(0).asText()));
        ObjectNode dismantled = event(PACK, EventType.DISMANTLED, (ObjectNode) Json.object().set("components", Json.array().add(MODULE)));
        assertEquals("DELETE", dismantled.get("action").asText());
        assertEquals(aggregation.get("childEPCs"), dismantled.get("childEPCs"));
    }

    @Test
    void sitesAreLocations() {
        ObjectNode collected = event(PACK, EventType.COLLECTED, Json.object().put("site", "Xiangtan collection point 2"));
        String site = "urn:batterytrace:site:" + ACTOR + ":Xiangtan%20collection%20point%202";
        assertEquals(site, collected.get("readPoint").get("id").asText());
        assertEquals(site, collected.get("bizLocation").get("id").asText());
        assertEquals("Xiangtan collection point 2", collected.get("bt:siteName").asText());
        assertTrue(URI.create(Epcis.site(ACTOR, "株洲 7号变电站")).isAbsolute());
    }

    @Test
    void aDeclaredGtinNamesTheBatteryByItsDigitalLink() {
        Epcis.Identifiers ids = Epcis.Identifiers.withGtins(Map.of(PACK, "6901234567892", PRODUCT, "06901234567892"));
        assertEquals("https://id.gs1.org/01/06901234567892/21/HN24L01F3K0000521", ids.epc(PACK));
        assertEquals("https://id.gs1.org/01/06901234567892/21/" + PRODUCT, ids.epc(PRODUCT));
        assertEquals("urn:batterytrace:battery:" + MODULE, ids.epc(MODULE));
        List<ObjectNode> events = chain(PACK, ids, "PRODUCED", null);
        assertEquals(ids.epc(PACK), events.get(0).get("epcList").get(0).asText());
    }

    /** Every bt: member name, and every bt: value (sensor types), used anywhere in {@code node}. */
    static void btTerms(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("bt:")) {
                    out.add(f.getKey());
                }
                if (!f.getKey().equals("bt:contained") && !f.getKey().equals("bt:recovered")) {
                    btTerms(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> btTerms(n, out));
        } else if (node.isTextual() && node.textValue().startsWith("bt:")) {
            out.add(node.textValue());
        }
    }

    @Test
    void theContextDefinesEveryExtensionTerm() {
        Set<String> used = new java.util.TreeSet<>();
        ObjectNode test = Json.object().put("measuredCapacityMah", 118_000).put("ratedCapacityMah", 150_000).put("measuredEnergyWh", 41_300)
                .put("capacityRatioBp", 7_866).put("internalResistanceMicroOhm", 85_000).put("decision", "CASCADE");
        ObjectNode closed = Json.object();
        closed.set("contained", Json.object().put("Li", 4_400));
        closed.set("recovered", Json.object().put("Li", 4_010));
        ObjectNode condition = Json.object();
        condition.putObject("stateOfCharge").put("stateOfChargeValue", 64);
        condition.putObject("stateOfCertifiedEnergy").put("stateOfCertifiedEnergyValue", "91.5");
        condition.putObject("numberOfFullCycles").put("numberOfFullCyclesValue", 412);
        condition.putObject("remainingCapacity").put("remainingCapacityValue", "141.2");
        condition.putObject("remainingEnergy").put("remainingEnergyalue", "68.1");
        condition.put("energyThroughput", 30_500);
        ObjectNode update = Json.object();
        update.putObject("performanceAndDurability").set("batteryCondition", condition);
        update.putObject("generalProductInformation").put("batteryStatus", "Original");
        List<ObjectNode> all = new ArrayList<>();
        all.addAll(chain(MODULE, Epcis.Identifiers.urns(), "PRODUCED", Json.object().put("parent", PACK), "INSTALLED", Json.object().put("vin", "LSVAU218XN2183294"),
                "RETIRED", Json.object().put("reason", "r").put("odometerKm", 1), "COLLECTED", Json.object().put("site", "s"), "TESTED", test,
                "PASSPORT_UPDATED", update, "SEPARATED", Json.object().put("parent", PACK), "RECYCLED", Json.object().put("lot", LOT).put("massGrams", 1)));
        all.addAll(chain(PRODUCT, Epcis.Identifiers.urns(), "ASSEMBLED", Json.object().put("mixedChemistry", true).set("sources", Json.array().add(PACK)),
                "CERTIFIED", Json.object().put("certificateNumber", "C 1").put("certificationBody", "CQC").put("validFrom", "2026-01-01").put("validUntil", "2027-01-01"),
                "DEPLOYED", Json.object().put("application", "ENERGY_STORAGE").put("site", "s")));
        all.addAll(chain(LOT, Epcis.Identifiers.urns(), "LOT_OPENED", Json.object().put("process", "HYDROMETALLURGY"), "LOT_CLOSED", closed));
        all.forEach(e -> btTerms(e, used));
        JsonNode context = Epcis.context().get("@context");
        for (String term : used) {
            assertTrue(context.has(term), term + " is defined in the served context");
        }
        assertEquals(Set.copyOf(Epcis.terms()), used, "the context defines exactly the terms in use");
        assertEquals("@json", context.get("bt:contained").get("@type").asText(), "an assay object survives JSON-LD expansion as a JSON literal");
    }
}
