package org.batterytrace.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.stream.Stream;
import org.batterytrace.record.Json;
import org.batterytrace.record.TraceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every event type's data rule: one good example, and each way to get it wrong naming the field. */
class EventDataTest {
    static final String PACK = "H5NPBA7HN24L01F3K0000521";
    static final String MODULE = "H5NMBA7HN24L01F3K0000522";
    static final String PRODUCT = "H5NMB02G580000007RP";
    static final String RECYCLER = "91430300MA4L0003XN";
    static final String LOT = "LOT-" + RECYCLER + "-2026A7";

    static TraceRecord record(String subject, EventType type, ObjectNode data) {
        return TraceRecord.of(subject, 2, "0".repeat(64), type.name(), Instant.parse("2026-10-01T08:00:00Z"), RECYCLER, data);
    }

    static ObjectNode test() {
        return Json.object().put("measuredCapacityMah", 118_000).put("ratedCapacityMah", 150_000).put("measuredEnergyWh", 377)
                .put("capacityRatioBp", 7_866).put("internalResistanceMicroOhm", 820).put("decision", "CASCADE");
    }

    static final String NCM_PACK = "H5NPEA7HN24L01F3K0000523";

    /** A static declaration touching each value kind. */
    static ObjectNode declaration() {
        ObjectNode data = Json.object().put("gtin", "06901234567892");
        ObjectNode general = data.putObject("generalProductInformation").put("batteryCategory", "ev").put("batteryMass", "452.5")
                .put("manufacturingDate", "2026-03-14T08:00:00Z").put("warrentyPeriod", "--08");
        general.putObject("manufacturingPlace").put("addressCountry", "CN").put("postalCode", "410000").put("streetAddress", "1 Lugu Road, Changsha");
        data.putObject("carbonFootprint").put("batteryCarbonFootprint", "61.4").putArray("carbonFootprintPerLifecycleStage").addObject()
                .put("lifecycleStage", "MainProduction").put("carbonFootprint", 12);
        ObjectNode circularity = data.putObject("circularity").put("renewableContent", "4.5");
        circularity.putArray("recycledContent").addObject().put("recycledMaterial", "Lithium").put("preConsumerShare", "2.1").put("postConsumerShare", 6);
        circularity.putObject("safetyMeasures").put("safetyInstructions", "https://maker.example/safety.pdf").putArray("extinguishingAgent").add("water");
        data.putObject("materialComposition").putArray("batteryMaterials").addObject().put("isCriticalRawMaterial", true).put("batteryMaterialName", "graphite");
        return data;
    }

    static ObjectNode update() {
        ObjectNode data = Json.object();
        data.putObject("generalProductInformation").put("batteryStatus", "Reused");
        ObjectNode condition = data.putObject("performanceAndDurability").putObject("batteryCondition");
        condition.putObject("stateOfCharge").put("stateOfChargeValue", 64);
        condition.putObject("numberOfFullCycles").put("numberOfFullCyclesValue", 412).put("lastUpdate", "2026-10-01T07:59:00+08:00");
        condition.putArray("negativeEvents").addObject().put("negativeEvent", "rear collision, pack housing inspected");
        return data;
    }

    static ObjectNode with(ObjectNode data, String section, String member, Object value) {
        ObjectNode copy = data.deepCopy();
        ObjectNode target = copy.has(section) ? (ObjectNode) copy.get(section) : copy.putObject(section);
        target.set(member, Json.MAPPER.valueToTree(value));
        return copy;
    }

    static ObjectNode outcome() {
        ObjectNode data = Json.object();
        data.set("contained", Json.object().put("Li", 1_000).put("Co", 500));
        data.set("recovered", Json.object().put("Li", 900).put("Co", 490));
        data.set("products", Json.array().add(Json.object().put("form", "Li2CO3").put("massGrams", 4_700)));
        return data;
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(PACK, EventType.INSTALLED, Json.object().put("vin", "LSVAU218XN2183294")),
                Arguments.of(PACK, EventType.TESTED, test()),
                Arguments.of(PACK, EventType.DISMANTLED, Json.object().set("components", Json.array().add(MODULE))),
                Arguments.of(MODULE, EventType.SEPARATED, Json.object().put("parent", PACK)),
                Arguments.of(PACK, EventType.RECYCLED, Json.object().put("lot", LOT).put("massGrams", 310_000)),
                Arguments.of(PRODUCT, EventType.ASSEMBLED, Json.object().set("sources", Json.array().add(PACK))),
                Arguments.of(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "CQC-1").put("certificationBody", "CQC")
                        .put("validFrom", "2026-09-01").put("validUntil", "2029-08-31")),
                Arguments.of(PRODUCT, EventType.DEPLOYED, Json.object().put("application", "CHARGING_SWAP").put("site", "Zhuzhou swap station 7")),
                Arguments.of(LOT, EventType.LOT_OPENED, Json.object().put("process", "PYROMETALLURGY")),
                Arguments.of(LOT, EventType.LOT_CLOSED, outcome()),
                Arguments.of(PACK, EventType.PRODUCED, Json.object().put("massGrams", 452_000)),
                Arguments.of(PACK, EventType.RETIRED, Json.object()),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, declaration()),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, Json.object().put("makerNote", "members outside the table are allowed, shown to authorities only")),
                Arguments.of(PACK, EventType.PASSPORT_UPDATED, update()),
                Arguments.of(PRODUCT, EventType.ASSEMBLED, Json.object().put("mixedChemistry", true).set("sources", Json.array().add(PACK).add(NCM_PACK))));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void acceptsWellFormedData(String subject, EventType type, ObjectNode data) {
        EventData.check(type, record(subject, type, data));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(PACK, EventType.INSTALLED, Json.object().put("vin", "LSVAU2180N2183294"), "data.vin"),
                Arguments.of(PACK, EventType.PRODUCED, Json.object().put("massGrams", "heavy"), "data.massGrams"),
                Arguments.of(PACK, EventType.TESTED, test().put("capacityRatioBp", 9_000), "data.capacityRatioBp"),
                Arguments.of(PACK, EventType.TESTED, test().put("measuredCapacityMah", 118.5), "data.measuredCapacityMah"),
                Arguments.of(PACK, EventType.TESTED, test().put("ratedCapacityMah", 0), "data.ratedCapacityMah"),
                Arguments.of(PACK, EventType.TESTED, test().put("decision", "MAYBE"), "data.decision"),
                Arguments.of(PACK, EventType.DISMANTLED, Json.object().set("components", Json.array().add(PACK)), "data.components"),
                Arguments.of(PACK, EventType.DISMANTLED, Json.object().set("components", Json.array().add(MODULE).add(MODULE)), "data.components"),
                Arguments.of(MODULE, EventType.SEPARATED, Json.object(), "data.parent"),
                Arguments.of(PACK, EventType.RECYCLED, Json.object().put("lot", "LOT-42").put("massGrams", 1), "data.lot"),
                Arguments.of(PACK, EventType.RECYCLED, Json.object().put("lot", LOT).put("massGrams", -5), "data.massGrams"),
                Arguments.of(PRODUCT, EventType.ASSEMBLED, Json.object().set("sources", Json.array()), "data.sources"),
                Arguments.of(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "CQC-1").put("certificationBody", "CQC")
                        .put("validFrom", "2026-09-01").put("validUntil", "2026-08-31"), "data.validUntil"),
                Arguments.of(PRODUCT, EventType.DEPLOYED, Json.object().put("application", "GRID").put("site", "x"), "data.application"),
                Arguments.of(PRODUCT, EventType.DEPLOYED, Json.object().put("application", "BACKUP_POWER"), "data.site"),
                Arguments.of(PACK, EventType.LOT_OPENED, Json.object().put("process", "PYROMETALLURGY"), "subject"),
                Arguments.of(LOT, EventType.RETIRED, Json.object(), "subject"),
                Arguments.of("LOT-91430100MA4L0001XA-2026A7", EventType.LOT_OPENED, Json.object().put("process", "PYROMETALLURGY"), "subject"),
                Arguments.of(LOT, EventType.LOT_CLOSED, outcome().put("contained", "lots"), "data.contained"),
                Arguments.of(LOT, EventType.LOT_CLOSED, withRecovered("Co", 501), "data.recovered.Co"),
                Arguments.of(LOT, EventType.LOT_CLOSED, withRecovered("Ni", 1), "data.recovered.Ni"),
                Arguments.of(LOT, EventType.LOT_CLOSED, withContained("Fe", 1), "data.contained.Fe"),
                Arguments.of(PRODUCT, EventType.ASSEMBLED, Json.object().set("sources", Json.array().add(NCM_PACK)), "data.sources"),
                Arguments.of(PRODUCT, EventType.ASSEMBLED, Json.object().put("mixedChemistry", true).set("sources", Json.array().add(PACK)), "data.mixedChemistry"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "batteryMass", 452.5), "data.generalProductInformation.batteryMass"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "batteryMass", "heavy"), "data.generalProductInformation.batteryMass"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "batteryCategory", "car"), "data.generalProductInformation.batteryCategory"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "warrentyPeriod", "8 years"), "data.generalProductInformation.warrentyPeriod"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "manufacturingDate", "2026-03-14"), "data.generalProductInformation.manufacturingDate"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "circularity", "renewableContent", "140"), "data.circularity.renewableContent"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "carbonFootprint", "carbonFootprintStudy", "study.pdf"), "data.carbonFootprint.carbonFootprintStudy"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "batteryStatus", "Original"), "data.generalProductInformation.batteryStatus"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, with(declaration(), "generalProductInformation", "productIdentifier", "X"), "data.generalProductInformation.productIdentifier"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, declaration().put("gtin", "06901234567891"), "data.gtin"),
                Arguments.of(PACK, EventType.PASSPORT_DECLARED, declaration().put("accessTier", "authority"), "data.accessTier"),
                Arguments.of(PACK, EventType.PASSPORT_UPDATED, with(update(), "carbonFootprint", "batteryCarbonFootprint", 12), "data.carbonFootprint.batteryCarbonFootprint"),
                Arguments.of(PACK, EventType.PASSPORT_UPDATED, with(update(), "generalProductInformation", "batteryStatus", "Broken"), "data.generalProductInformation.batteryStatus"));
    }

    static ObjectNode withRecovered(String metal, long grams) {
        ObjectNode data = outcome();
        ((ObjectNode) data.get("recovered")).put(metal, grams);
        return data;
    }

    static ObjectNode withContained(String metal, long grams) {
        ObjectNode data = outcome();
        ((ObjectNode) data.get("contained")).put(metal, grams);
        return data;
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsMalformedDataNamingTheField(String subject, EventType type, ObjectNode data, String field) {
        EventDataException e = assertThrows(EventDataException.class, () -> EventData.check(type, record(subject, type, data)));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void repurposingNeedsALatestCascadeDecisionAndDeploymentAValidCertificate() {
        ChainFacts facts = new ChainFacts();
        assertThrows(EventDataException.class, () -> facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object()), null));
        facts.observe(EventType.TESTED, record(PACK, EventType.TESTED, test()));
        facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object()), null);
        facts.observe(EventType.TESTED, record(PACK, EventType.TESTED, test().put("decision", "RECYCLE")));
        assertThrows(EventDataException.class, () -> facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object()), null),
                "the latest test decides");

        ChainFacts product = new ChainFacts();
        TraceRecord deployed = record(PRODUCT, EventType.DEPLOYED, Json.object().put("application", "BACKUP_POWER").put("site", "x"));
        assertThrows(EventDataException.class, () -> product.check(EventType.DEPLOYED, deployed, null), "no certificate");
        product.observe(EventType.CERTIFIED, record(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "C").put("certificationBody", "B")
                .put("validFrom", "2026-10-01").put("validUntil", "2026-10-01")));
        product.check(EventType.DEPLOYED, deployed, null);
        product.observe(EventType.CERTIFIED, record(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "C").put("certificationBody", "B")
                .put("validFrom", "2026-10-02").put("validUntil", "2027-10-01")));
        assertThrows(EventDataException.class, () -> product.check(EventType.DEPLOYED, deployed, null), "not yet valid on the deployment day");
    }

    @Test
    void passportDataIsSignedByTheEconomicOperatorOrForDynamicDataTheCustodian() {
        ChainFacts facts = new ChainFacts();
        String maker = "91430100MA4L0001XA";
        facts.observe(EventType.PRODUCED, TraceRecord.of(PACK, 1, null, "PRODUCED", Instant.parse("2026-03-14T08:00:00Z"), maker, Json.object()));
        CustodyStatus atRecycler = new CustodyStatus(BatteryState.COLLECTED, RECYCLER);
        EventDataException e = assertThrows(EventDataException.class,
                () -> facts.check(EventType.PASSPORT_DECLARED, record(PACK, EventType.PASSPORT_DECLARED, declaration()), atRecycler), "the custodian is not the operator");
        assertEquals("actor", e.field());
        facts.check(EventType.PASSPORT_UPDATED, record(PACK, EventType.PASSPORT_UPDATED, update()), atRecycler);
        TraceRecord byMaker = TraceRecord.of(PACK, 2, "0".repeat(64), "PASSPORT_DECLARED", Instant.parse("2026-10-01T08:00:00Z"), maker, declaration());
        facts.check(EventType.PASSPORT_DECLARED, byMaker, atRecycler);
        facts.check(EventType.PASSPORT_UPDATED, byMaker, atRecycler);
        assertThrows(EventDataException.class, () -> facts.check(EventType.PASSPORT_UPDATED, record(PACK, EventType.PASSPORT_UPDATED, update()),
                new CustodyStatus(BatteryState.COLLECTED, "91430100MA4L0009XB")), "neither custodian nor operator");
    }
}
