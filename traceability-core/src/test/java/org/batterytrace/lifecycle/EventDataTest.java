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
                Arguments.of(PACK, EventType.RETIRED, Json.object()));
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
                Arguments.of(LOT, EventType.LOT_CLOSED, withContained("Fe", 1), "data.contained.Fe"));
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
        assertThrows(EventDataException.class, () -> facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object())));
        facts.observe(EventType.TESTED, record(PACK, EventType.TESTED, test()));
        facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object()));
        facts.observe(EventType.TESTED, record(PACK, EventType.TESTED, test().put("decision", "RECYCLE")));
        assertThrows(EventDataException.class, () -> facts.check(EventType.REPURPOSED, record(PACK, EventType.REPURPOSED, Json.object())),
                "the latest test decides");

        ChainFacts product = new ChainFacts();
        TraceRecord deployed = record(PRODUCT, EventType.DEPLOYED, Json.object().put("application", "BACKUP_POWER").put("site", "x"));
        assertThrows(EventDataException.class, () -> product.check(EventType.DEPLOYED, deployed), "no certificate");
        product.observe(EventType.CERTIFIED, record(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "C").put("certificationBody", "B")
                .put("validFrom", "2026-10-01").put("validUntil", "2026-10-01")));
        product.check(EventType.DEPLOYED, deployed);
        product.observe(EventType.CERTIFIED, record(PRODUCT, EventType.CERTIFIED, Json.object().put("certificateNumber", "C").put("certificationBody", "B")
                .put("validFrom", "2026-10-02").put("validUntil", "2027-10-01")));
        assertThrows(EventDataException.class, () -> product.check(EventType.DEPLOYED, deployed), "not yet valid on the deployment day");
    }
}
