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
        TraceRecord record = TraceRecord.of(subject, 2, "0".repeat(64), type.name(), Instant.parse("2026-10-01T08:00:00Z"), ACTOR, data);
        return Epcis.event(SignedRecord.sign(record, KEY), new Epcis.Context(Instant.parse("2026-10-02T08:00:00Z"), 42L, List.of(PACK, MODULE)));
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
                new Object[] {MODULE, EventType.SEPARATED, Json.object().put("parent", PACK), "ObjectEvent", "disassembling"},
                new Object[] {PACK, EventType.RECYCLED, Json.object().put("lot", LOT).put("massGrams", 310_000), "ObjectEvent", "destroying"},
                new Object[] {PRODUCT, EventType.ASSEMBLED, (ObjectNode) Json.object().set("sources", Json.array().add(PACK)), "TransformationEvent", "assembling"},
                new Object[] {PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "CQC 1").put("certificationBody", "CQC").put("validFrom", "2026-01-01")
                        .put("validUntil", "2029-12-31"), "ObjectEvent", "inspecting"},
                new Object[] {PRODUCT, EventType.DEPLOYED, Json.object().put("application", "ENERGY_STORAGE").put("site", "Zhuzhou"), "ObjectEvent", "installing"},
                new Object[] {LOT, EventType.LOT_OPENED, Json.object().put("process", "HYDROMETALLURGY"), "ObjectEvent", "commissioning"},
                new Object[] {LOT, EventType.LOT_CLOSED, closed, "TransformationEvent", "destroying"});
        List<EventType> covered = new ArrayList<>();
        for (Object[] c : cases) {
            ObjectNode e = event((String) c[0], (EventType) c[1], (ObjectNode) c[2]);
            assertEquals(c[3], e.get("type").asText(), c[1] + " event type");
            assertEquals(c[4], e.get("bizStep").asText(), c[1] + " bizStep");
            assertEquals(c[1].toString(), e.get("bt:recordType").asText());
            wellFormed(e);
            covered.add((EventType) c[1]);
        }
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
        assertEquals(List.of("urn:batterytrace:battery:" + PACK, "urn:batterytrace:battery:" + MODULE),
                List.of(lot.get("inputEPCList").get(0).asText(), lot.get("inputEPCList").get(1).asText()), "the lot's inputs come from the context");
        assertEquals("21.3", lot.get("outputQuantityList").get(0).get("quantity").asText());
        assertEquals("KGM", lot.get("outputQuantityList").get(0).get("uom").asText());

        ObjectNode transfer = event(PACK, EventType.TRANSFERRED, Json.object().put("to", OTHER));
        assertEquals("urn:batterytrace:org:" + OTHER, transfer.get("destinationList").get(0).get("destination").asText());
        assertEquals(42, transfer.get("bt:logIndex").asLong());
        assertTrue(transfer.get("eventID").asText().startsWith("ni:///sha-256;"));

        ObjectNode doc = Epcis.document(List.of(transfer), Instant.parse("2026-11-25T00:00:00Z"));
        assertEquals("EPCISDocument", doc.get("type").asText());
        assertEquals("2.0", doc.get("schemaVersion").asText());
        assertEquals(Epcis.CONTEXT, doc.get("@context").get(0).asText());
        assertEquals(1, doc.get("epcisBody").get("eventList").size());
    }
}
