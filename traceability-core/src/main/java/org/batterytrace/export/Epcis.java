package org.batterytrace.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;

/**
 * Maps a chain of signed records to GS1 EPCIS 2.0 JSON-LD events (the mapping is in docs/epcis-mapping.md).
 * The mapping replays the chain, so that removals name the vehicle the battery was installed in: every
 * association ADD (installing) is ended by a DELETE (swap, replacement, retirement), a module registered
 * as part of a pack is aggregated into it (ADD) and taken out at dismantling (DELETE), and an object whose
 * event gave it a terminal disposition appears again only as an input of the transformation consuming it
 * (a repurposed battery in its cascade product; a recycled battery in its lot, whose {@code transformationID}
 * ties the inputs to the lot's outputs).
 *
 * <p>Objects are named by GS1 Digital Link URIs where the maker declared a GTIN, otherwise by URNs of our
 * own ({@code urn:batterytrace:battery:<code>}, {@code :lot:}, {@code :org:}, {@code :vehicle:<VIN>},
 * {@code :site:}, {@code :material:}). {@code eventID} is {@code urn:batterytrace:record:<record hash>}
 * (with {@code :2}, {@code :3} … when one record yields several events): it leads back to the signed
 * record and its inclusion proof, and does not claim to be a CBV 2.0 event hash. Extension members use
 * the {@code bt:} namespace; every one is defined in {@link #context()}.
 */
public final class Epcis {
    public static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    public static final String NAMESPACE = "https://batterytrace.org/epcis/";
    private static final String GB_T_34015 = "urn:batterytrace:method:GB-T-34015";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Extension terms with a plain value; the kind decides the JSON-LD term definition in {@link #context()}. */
    private static final Map<String, String> TERMS = Map.ofEntries(
            Map.entry("recordType", "text"), Map.entry("recordHash", "text"), Map.entry("actor", "@id"), Map.entry("seq", "number"),
            Map.entry("logIndex", "number"), Map.entry("productLevel", "text"), Map.entry("chemistry", "text"), Map.entry("productionDate", "text"),
            Map.entry("parent", "@id"), Map.entry("decision", "text"), Map.entry("certificateNumber", "text"), Map.entry("certificationBody", "text"),
            Map.entry("validFrom", "text"), Map.entry("validUntil", "text"), Map.entry("application", "text"), Map.entry("siteName", "text"),
            Map.entry("massGrams", "number"), Map.entry("process", "text"), Map.entry("contained", "@json"), Map.entry("recovered", "@json"),
            Map.entry("retirementReason", "text"), Map.entry("odometerKm", "number"), Map.entry("mixedChemistry", "boolean"),
            Map.entry("batteryStatus", "text"),
            // sensor-report measurement types (values of sensorReport.type)
            Map.entry("RemainingCapacity", "class"), Map.entry("RemainingEnergy", "class"), Map.entry("CapacityRatio", "class"),
            Map.entry("InternalResistance", "class"), Map.entry("StateOfCharge", "class"), Map.entry("StateOfCertifiedEnergy", "class"),
            Map.entry("FullCycles", "class"), Map.entry("EnergyThroughput", "class"));

    private Epcis() {
    }

    /** A signed record with what the platform knows of it: its acceptance time and log index (either may be null). */
    public record Logged(SignedRecord record, Instant recordTime, Long logIndex) {
    }

    /** How a battery is named in events. */
    public interface Identifiers {
        String epc(String code);

        /** URNs for every battery. */
        static Identifiers urns() {
            return Epcis::id;
        }

        /**
         * GS1 Digital Link URIs ({@code https://id.gs1.org/01/<GTIN-14>/21/<serial>}) for batteries whose maker
         * declared a GTIN, URNs for the others. The serial (AI 21, at most 20 characters) is the GB/T 34014 code
         * when it fits (cascade products, 19 characters), else the code without its first 7 characters
         * (manufacturer, type, chemistry and specification, which the GTIN already names).
         */
        static Identifiers withGtins(Map<String, String> gtinByCode) {
            return code -> {
                String gtin = gtinByCode.get(code);
                return gtin == null ? id(code) : digitalLink(gtin, code);
            };
        }
    }

    /** The GS1 Digital Link URI of battery {@code code} under {@code gtin}; see {@link Identifiers#withGtins}. */
    public static String digitalLink(String gtin, String code) {
        String gtin14 = "0".repeat(14 - gtin.length()) + gtin;
        return "https://id.gs1.org/01/" + gtin14 + "/21/" + (code.length() <= 20 ? code : code.substring(7));
    }

    /** An EPCISDocument holding {@code events}; {@code contextUrl} is where {@link #context()} is served. */
    public static ObjectNode document(List<ObjectNode> events, Instant now, String contextUrl) {
        ObjectNode doc = F.objectNode();
        contexts(doc, contextUrl);
        doc.put("type", "EPCISDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", now.toString());
        doc.putObject("epcisBody").putArray("eventList").addAll(events);
        return doc;
    }

    /** An EPCISQueryDocument: the answer of the REST query binding's {@code GET /events}. */
    public static ObjectNode queryDocument(List<ObjectNode> events, Instant now, String contextUrl) {
        ObjectNode doc = F.objectNode();
        contexts(doc, contextUrl);
        doc.put("type", "EPCISQueryDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", now.toString());
        ObjectNode results = doc.putObject("epcisBody").putObject("queryResults");
        results.put("queryName", "SimpleEventQuery");
        results.putObject("resultsBody").putArray("eventList").addAll(events);
        return doc;
    }

    private static void contexts(ObjectNode doc, String contextUrl) {
        ArrayNode context = doc.putArray("@context");
        context.add(CONTEXT);
        context.add(contextUrl);
    }

    /**
     * The JSON-LD 1.1 context of the {@code bt:} extension terms. Structured values (a lot's assay) are
     * JSON literals ({@code @json}), so JSON-LD expansion keeps them whole.
     */
    public static ObjectNode context() {
        ObjectNode doc = F.objectNode();
        ObjectNode c = doc.putObject("@context");
        c.put("@version", 1.1);
        c.put("bt", NAMESPACE);
        c.put("xsd", "http://www.w3.org/2001/XMLSchema#");
        TERMS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> {
            ObjectNode def = c.putObject("bt:" + t.getKey());
            def.put("@id", "bt:" + t.getKey());
            switch (t.getValue()) {
                case "@id", "@json" -> def.put("@type", t.getValue());
                case "number" -> def.put("@type", "xsd:decimal");
                case "boolean" -> def.put("@type", "xsd:boolean");
                default -> {
                }
            }
        });
        return doc;
    }

    /** Every {@code bt:} term the mapping may use. */
    public static List<String> terms() {
        return TERMS.keySet().stream().sorted().map(t -> "bt:" + t).toList();
    }

    public static String id(String subject) {
        return LotId.looksLikeLot(subject) ? "urn:batterytrace:lot:" + subject : "urn:batterytrace:battery:" + subject;
    }

    public static String org(String creditCode) {
        return "urn:batterytrace:org:" + creditCode;
    }

    /** A free-text site signed by {@code actor}, as a location URI. */
    public static String site(String actor, String name) {
        return "urn:batterytrace:site:" + actor + ":" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The events of one chain.
     *
     * @param chain the chain's records in sequence order, from its first record (the mapping keeps state,
     *              such as the vehicle a battery is installed in, from record to record)
     */
    public static List<ObjectNode> events(List<Logged> chain, Identifiers ids) {
        Mapper mapper = new Mapper(ids);
        List<ObjectNode> events = new ArrayList<>();
        for (Logged logged : chain) {
            events.addAll(mapper.map(logged));
        }
        return events;
    }

    /** The replayed state of one chain. */
    private static final class Mapper {
        private final Identifiers ids;
        private String vehicle;

        Mapper(Identifiers ids) {
            this.ids = ids;
        }

        private String epc(String subject) {
            return LotId.looksLikeLot(subject) ? id(subject) : ids.epc(subject);
        }

        List<ObjectNode> map(Logged logged) {
            TraceRecord r = logged.record().record();
            EventType type = EventType.valueOf(r.type());
            JsonNode data = r.data();
            String self = epc(r.subject());
            List<ObjectNode> events = new ArrayList<>(2);
            switch (type) {
                case PRODUCED -> {
                    ObjectNode e = object(events, "ADD", self, "commissioning", "active");
                    BatteryCode code = BatteryCode.parse(r.subject());
                    ObjectNode ilmd = e.putObject("ilmd");
                    ilmd.put("bt:productLevel", code.level().name());
                    ilmd.put("bt:chemistry", code.chemistry().name());
                    ilmd.put("bt:productionDate", code.productionDate().toString());
                    text(data, "parent").ifPresent(parent -> {
                        ilmd.put("bt:parent", epc(parent));
                        ObjectNode a = add(events, "AggregationEvent");
                        a.put("action", "ADD");
                        a.put("parentID", epc(parent));
                        a.putArray("childEPCs").add(self);
                        a.put("bizStep", "assembling");
                    });
                }
                case INSTALLED -> install(events, self, data.get("vin").textValue());
                case SWAPPED -> {
                    uninstall(events, self, "removing", null);
                    install(events, self, data.get("vin").textValue());
                }
                case REPLACED -> {
                    if (!uninstall(events, self, "replacing", "needs_replacement")) {
                        object(events, "OBSERVE", self, "replacing", "needs_replacement");
                    }
                }
                case RETIRED -> {
                    if (!uninstall(events, self, "removing", "unavailable")) {
                        object(events, "OBSERVE", self, "removing", "unavailable");
                    }
                    ObjectNode e = events.get(events.size() - 1);
                    text(data, "reason").ifPresent(reason -> e.put("bt:retirementReason", reason));
                    if (data.has("odometerKm") && data.get("odometerKm").canConvertToLong()) {
                        e.put("bt:odometerKm", data.get("odometerKm").longValue());
                    }
                }
                case SOLD -> object(events, "OBSERVE", self, "retail_selling", "retail_sold");
                case MAINTAINED -> object(events, "OBSERVE", self, "repairing", "active");
                case COLLECTED -> {
                    ObjectNode e = object(events, "OBSERVE", self, "collecting", "returned");
                    text(data, "site").ifPresent(site -> located(e, r.actor(), site));
                }
                case TRANSFERRED -> {
                    ObjectNode e = object(events, "OBSERVE", self, "shipping", "in_transit");
                    party(e.putArray("sourceList"), "source", r.actor());
                    party(e.putArray("destinationList"), "destination", data.get("to").textValue());
                }
                case TESTED -> {
                    boolean cascade = EventData.decision(data) == EventData.TestDecision.CASCADE;
                    ObjectNode e = object(events, "OBSERVE", self, "inspecting", cascade ? "conformant" : "non_conformant");
                    ObjectNode element = e.putArray("sensorElementList").addObject();
                    element.putObject("sensorMetadata").put("time", r.time()).put("dataProcessingMethod", GB_T_34015);
                    ArrayNode reports = element.putArray("sensorReport");
                    reports.addObject().put("type", "bt:RemainingCapacity").put("value", scaled(data, "measuredCapacityMah", 3)).put("uom", "AMH");
                    reports.addObject().put("type", "bt:RemainingEnergy").put("value", data.get("measuredEnergyWh").longValue()).put("uom", "WHR");
                    reports.addObject().put("type", "bt:CapacityRatio").put("value", scaled(data, "capacityRatioBp", 2)).put("uom", "P1");
                    reports.addObject().put("type", "bt:InternalResistance").put("value", scaled(data, "internalResistanceMicroOhm", 6)).put("uom", "OHM");
                    e.put("bt:decision", data.get("decision").textValue());
                }
                case REPURPOSED -> object(events, "OBSERVE", self, "decommissioning", "inactive");
                case ASSEMBLED -> {
                    ObjectNode e = add(events, "TransformationEvent");
                    ArrayNode inputs = e.putArray("inputEPCList");
                    data.get("sources").forEach(source -> inputs.add(epc(source.textValue())));
                    e.putArray("outputEPCList").add(self);
                    why(e, "assembling", "active");
                    BatteryCode code = BatteryCode.parse(r.subject());
                    ObjectNode ilmd = e.putObject("ilmd");
                    ilmd.put("bt:productLevel", code.level().name());
                    ilmd.put("bt:chemistry", code.chemistry().name());
                    ilmd.put("bt:productionDate", code.productionDate().toString());
                    if (data.has("mixedChemistry")) {
                        ilmd.put("bt:mixedChemistry", data.get("mixedChemistry").booleanValue());
                    }
                }
                case CERTIFIED -> {
                    ObjectNode e = object(events, "OBSERVE", self, "inspecting", "conformant");
                    e.putArray("bizTransactionList").addObject().put("type", "cert").put("bizTransaction", "urn:batterytrace:certificate:"
                            + encode(data.get("certificationBody").textValue()) + ":" + encode(data.get("certificateNumber").textValue()));
                    e.put("bt:certificateNumber", data.get("certificateNumber").textValue());
                    e.put("bt:certificationBody", data.get("certificationBody").textValue());
                    e.put("bt:validFrom", data.get("validFrom").textValue());
                    e.put("bt:validUntil", data.get("validUntil").textValue());
                }
                case DEPLOYED -> {
                    ObjectNode e = object(events, "OBSERVE", self, "installing", "active");
                    located(e, r.actor(), data.get("site").textValue());
                    e.put("bt:application", data.get("application").textValue());
                }
                case DISMANTLED -> {
                    ObjectNode e = add(events, "AggregationEvent");
                    e.put("action", "DELETE");
                    e.put("parentID", self);
                    ArrayNode children = e.putArray("childEPCs");
                    data.get("components").forEach(c -> children.add(epc(c.textValue())));
                    e.put("bizStep", "disassembling");
                }
                case SEPARATED -> {
                    ObjectNode e = add(events, "ObjectEvent");
                    e.put("action", "OBSERVE");
                    e.putArray("epcList").add(self);
                    e.put("bizStep", "receiving");
                    e.put("bt:parent", epc(data.get("parent").textValue()));
                }
                case RECYCLED -> {
                    // One part of the lot's transformation: the battery goes in; LOT_CLOSED states what came out.
                    ObjectNode e = add(events, "TransformationEvent");
                    e.putArray("inputEPCList").add(self);
                    e.put("transformationID", id(data.get("lot").textValue()));
                    e.put("bizStep", "destroying");
                    e.put("bt:massGrams", data.get("massGrams").longValue());
                }
                case LOT_OPENED -> {
                    ObjectNode e = object(events, "ADD", self, "commissioning", "active");
                    e.put("bt:process", data.get("process").textValue());
                }
                case LOT_CLOSED -> {
                    ArrayNode outputs = F.arrayNode();
                    JsonNode products = data.get("products");
                    if (products != null && !products.isEmpty()) {
                        products.forEach(p -> outputs.addObject().put("epcClass", "urn:batterytrace:material:" + encode(p.get("form").textValue()))
                                .put("quantity", scaled(p, "massGrams", 3)).put("uom", "KGM"));
                    } else {
                        data.get("recovered").fields().forEachRemaining(m -> outputs.addObject().put("epcClass", "urn:batterytrace:material:" + m.getKey())
                                .put("quantity", scaled(m.getValue(), 3)).put("uom", "KGM"));
                    }
                    ObjectNode e;
                    if (outputs.isEmpty()) {
                        e = object(events, "DELETE", self, "destroying", null);
                    } else {
                        e = add(events, "TransformationEvent");
                        e.set("outputQuantityList", outputs);
                        e.put("transformationID", self);
                        e.put("bizStep", "destroying");
                    }
                    e.set("bt:contained", data.get("contained"));
                    e.set("bt:recovered", data.get("recovered"));
                }
                case PASSPORT_UPDATED -> {
                    ObjectNode e = object(events, "OBSERVE", self, "sensor_reporting", null);
                    JsonNode condition = data.path("performanceAndDurability").path("batteryCondition");
                    ArrayNode reports = F.arrayNode();
                    report(reports, condition.path("stateOfCharge").path("stateOfChargeValue"), "bt:StateOfCharge", "P1");
                    report(reports, condition.path("stateOfCertifiedEnergy").path("stateOfCertifiedEnergyValue"), "bt:StateOfCertifiedEnergy", "P1");
                    report(reports, condition.path("numberOfFullCycles").path("numberOfFullCyclesValue"), "bt:FullCycles", null);
                    report(reports, condition.path("remainingCapacity").path("remainingCapacityValue"), "bt:RemainingCapacity", "AMH");
                    report(reports, condition.path("remainingEnergy").path("remainingEnergyalue"), "bt:RemainingEnergy", "KWH");
                    report(reports, condition.path("energyThroughput"), "bt:EnergyThroughput", "KWH");
                    if (!reports.isEmpty()) {
                        ObjectNode element = e.putArray("sensorElementList").addObject();
                        element.putObject("sensorMetadata").put("time", r.time());
                        element.set("sensorReport", reports);
                    }
                    text(data.path("generalProductInformation"), "batteryStatus").ifPresent(s -> e.put("bt:batteryStatus", s));
                }
                case PASSPORT_DECLARED -> {
                    // Static passport data is master data, not an event; the passport shows it.
                }
            }
            for (int i = 0; i < events.size(); i++) {
                ObjectNode e = events.get(i);
                e.put("eventTime", r.time());
                e.put("eventTimeZoneOffset", "+00:00");
                if (logged.recordTime() != null) {
                    e.put("recordTime", logged.recordTime().toString());
                }
                e.put("eventID", "urn:batterytrace:record:" + logged.record().hash() + (i == 0 ? "" : ":" + (i + 1)));
                e.put("bt:recordHash", logged.record().hash());
                e.put("bt:recordType", type.name());
                e.put("bt:actor", org(r.actor()));
                e.put("bt:seq", r.seq());
                if (logged.logIndex() != null) {
                    e.put("bt:logIndex", logged.logIndex());
                }
            }
            return events;
        }

        private void install(List<ObjectNode> events, String self, String vin) {
            vehicle = "urn:batterytrace:vehicle:" + vin;
            association(events, "ADD", vehicle, self, "installing", "active");
        }

        /** Ends the current installation, if any; returns whether there was one. */
        private boolean uninstall(List<ObjectNode> events, String self, String bizStep, String disposition) {
            if (vehicle == null) {
                return false;
            }
            association(events, "DELETE", vehicle, self, bizStep, disposition);
            vehicle = null;
            return true;
        }
    }

    private static ObjectNode add(List<ObjectNode> events, String type) {
        ObjectNode e = F.objectNode();
        e.put("type", type);
        events.add(e);
        return e;
    }

    private static ObjectNode object(List<ObjectNode> events, String action, String epc, String bizStep, String disposition) {
        ObjectNode e = add(events, "ObjectEvent");
        e.put("action", action);
        e.putArray("epcList").add(epc);
        why(e, bizStep, disposition);
        return e;
    }

    private static void association(List<ObjectNode> events, String action, String parent, String child, String bizStep, String disposition) {
        ObjectNode e = add(events, "AssociationEvent");
        e.put("action", action);
        e.put("parentID", parent);
        e.putArray("childEPCs").add(child);
        why(e, bizStep, disposition);
    }

    private static void why(ObjectNode e, String bizStep, String disposition) {
        e.put("bizStep", bizStep);
        if (disposition != null) {
            e.put("disposition", disposition);
        }
    }

    private static void located(ObjectNode e, String actor, String siteName) {
        String site = site(actor, siteName);
        e.putObject("readPoint").put("id", site);
        e.putObject("bizLocation").put("id", site);
        e.put("bt:siteName", siteName);
    }

    private static void party(ArrayNode list, String field, String org) {
        list.addObject().put("type", "owning_party").put(field, org(org));
        list.addObject().put("type", "possessing_party").put(field, org(org));
    }

    private static void report(ArrayNode reports, JsonNode value, String type, String uom) {
        if (value.isMissingNode() || !(value.isIntegralNumber() || value.isTextual())) {
            return;
        }
        ObjectNode report = reports.addObject().put("type", type).put("value", value.isTextual() ? new BigDecimal(value.textValue()) : value.decimalValue());
        if (uom != null) {
            report.put("uom", uom);
        }
    }

    private static Optional<String> text(JsonNode data, String field) {
        JsonNode node = data == null ? null : data.get(field);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An integer field divided by 10^scale, exactly (3 -> mAh to Ah, g to kg). */
    private static BigDecimal scaled(JsonNode data, String field, int scale) {
        return scaled(data.get(field), scale);
    }

    private static BigDecimal scaled(JsonNode value, int scale) {
        return new BigDecimal(BigDecimal.valueOf(value.longValue(), scale).stripTrailingZeros().toPlainString());
    }
}
