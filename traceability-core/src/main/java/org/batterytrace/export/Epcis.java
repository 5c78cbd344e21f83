package org.batterytrace.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;

/**
 * Maps signed records to GS1 EPCIS 2.0 JSON-LD events, one event per record (the mapping is in
 * docs/epcis-mapping.md). GB/T 34014 codes have no GS1 key, so objects are named by URNs of our own:
 * {@code urn:batterytrace:battery:<code>}, {@code :lot:}, {@code :org:}, {@code :vehicle:<VIN>},
 * {@code :material:<form>}. The event ID is the record's chain hash, so an EPCIS event leads back to
 * the signed record and its log inclusion proof. Extensions use the {@code bt:} namespace.
 */
public final class Epcis {
    public static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    public static final String NAMESPACE = "https://batterytrace.org/epcis/";
    private static final String GB_T_34015 = "urn:batterytrace:method:GB-T-34015";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Epcis() {
    }

    /** What the platform knows beyond the signed record: its acceptance time, its log index, a closed lot's inputs. */
    public record Context(Instant recordTime, Long logIndex, List<String> lotInputs) {
        public static Context none() {
            return new Context(null, null, List.of());
        }
    }

    /** An EPCISDocument holding {@code events}, created at {@code now}. */
    public static ObjectNode document(List<ObjectNode> events, Instant now) {
        ObjectNode doc = F.objectNode();
        ArrayNode context = doc.putArray("@context");
        context.add(CONTEXT);
        context.addObject().put("bt", NAMESPACE);
        doc.put("type", "EPCISDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", now.toString());
        doc.putObject("epcisBody").putArray("eventList").addAll(events);
        return doc;
    }

    public static String id(String subject) {
        return LotId.looksLikeLot(subject) ? "urn:batterytrace:lot:" + subject : "urn:batterytrace:battery:" + subject;
    }

    public static String org(String creditCode) {
        return "urn:batterytrace:org:" + creditCode;
    }

    public static ObjectNode event(SignedRecord signed, Context context) {
        TraceRecord r = signed.record();
        EventType type = EventType.valueOf(r.type());
        JsonNode data = r.data();
        String self = id(r.subject());
        ObjectNode e = F.objectNode();
        switch (type) {
            case PRODUCED -> {
                object(e, "ADD", self, "commissioning", "active");
                BatteryCode code = BatteryCode.parse(r.subject());
                ObjectNode ilmd = e.putObject("ilmd");
                ilmd.put("bt:productLevel", code.level().name());
                ilmd.put("bt:chemistry", String.valueOf(code.chemistry().code()));
                ilmd.put("bt:productionDate", code.productionDate().toString());
                text(data, "parent").ifPresent(parent -> ilmd.put("bt:parent", id(parent)));
            }
            case INSTALLED, SWAPPED -> association(e, "ADD", "urn:batterytrace:vehicle:" + data.get("vin").textValue(), self, "installing", "active");
            case REPLACED -> object(e, "OBSERVE", self, "replacing", "needs_replacement");
            case SOLD -> object(e, "OBSERVE", self, "retail_selling", "retail_sold");
            case MAINTAINED -> object(e, "OBSERVE", self, "repairing", "active");
            case RETIRED -> object(e, "OBSERVE", self, "removing", "disposed");
            case COLLECTED -> object(e, "OBSERVE", self, "collecting", "disposed");
            case TRANSFERRED -> {
                object(e, "OBSERVE", self, "shipping", "in_transit");
                String to = data.get("to").textValue();
                party(e.putArray("sourceList"), "source", r.actor());
                party(e.putArray("destinationList"), "destination", to);
            }
            case TESTED -> {
                boolean cascade = EventData.decision(data) == EventData.TestDecision.CASCADE;
                object(e, "OBSERVE", self, "inspecting", cascade ? "conformant" : "non_conformant");
                ObjectNode element = e.putArray("sensorElementList").addObject();
                element.putObject("sensorMetadata").put("time", r.time()).put("dataProcessingMethod", GB_T_34015);
                ArrayNode reports = element.putArray("sensorReport");
                reports.addObject().put("type", "bt:RemainingCapacity").put("value", scaled(data, "measuredCapacityMah", 3)).put("uom", "AMH");
                reports.addObject().put("type", "bt:RemainingEnergy").put("value", data.get("measuredEnergyWh").longValue()).put("uom", "WHR");
                reports.addObject().put("type", "bt:CapacityRatio").put("value", scaled(data, "capacityRatioBp", 2)).put("uom", "P1");
                reports.addObject().put("type", "bt:InternalResistance").put("value", scaled(data, "internalResistanceMicroOhm", 6)).put("uom", "OHM");
                e.put("bt:decision", data.get("decision").textValue());
            }
            case REPURPOSED -> object(e, "DELETE", self, "decommissioning", "inactive");
            case ASSEMBLED -> {
                transformation(e, self, "assembling");
                ArrayNode inputs = (ArrayNode) e.get("inputEPCList");
                data.get("sources").forEach(source -> inputs.add(id(source.textValue())));
            }
            case CERTIFIED -> {
                object(e, "OBSERVE", self, "inspecting", "conformant");
                e.put("certificationInfo", "urn:batterytrace:certificate:" + data.get("certificationBody").textValue().replace(' ', '-') + ":"
                        + data.get("certificateNumber").textValue().replace(' ', '-'));
                e.put("bt:validFrom", data.get("validFrom").textValue());
                e.put("bt:validUntil", data.get("validUntil").textValue());
            }
            case DEPLOYED -> {
                object(e, "OBSERVE", self, "installing", "active");
                e.put("bt:application", data.get("application").textValue());
                e.put("bt:site", data.get("site").textValue());
            }
            case DISMANTLED -> {
                e.put("type", "AggregationEvent");
                e.put("action", "DELETE");
                e.put("parentID", self);
                ArrayNode children = e.putArray("childEPCs");
                data.get("components").forEach(c -> children.add(id(c.textValue())));
                why(e, "disassembling", "inactive");
            }
            case SEPARATED -> {
                object(e, "OBSERVE", self, "disassembling", "disposed");
                e.put("bt:parent", id(data.get("parent").textValue()));
            }
            case RECYCLED -> {
                object(e, "DELETE", self, "destroying", "destroyed");
                e.put("bt:lot", id(data.get("lot").textValue()));
                e.put("bt:massGrams", data.get("massGrams").longValue());
            }
            case LOT_OPENED -> {
                object(e, "ADD", self, "commissioning", "active");
                e.put("bt:process", data.get("process").textValue());
            }
            case LOT_CLOSED -> {
                transformation(e, self, "destroying");
                e.put("transformationID", self);
                ArrayNode inputs = e.putArray("inputEPCList");
                context.lotInputs().forEach(code -> inputs.add(id(code)));
                ArrayNode outputs = e.putArray("outputQuantityList");
                JsonNode products = data.get("products");
                if (products != null) {
                    products.forEach(p -> outputs.addObject().put("epcClass", "urn:batterytrace:material:" + p.get("form").textValue())
                            .put("quantity", scaled(p, "massGrams", 3)).put("uom", "KGM"));
                }
                e.set("bt:contained", data.get("contained"));
                e.set("bt:recovered", data.get("recovered"));
            }
        }
        e.put("eventTime", r.time());
        e.put("eventTimeZoneOffset", "+00:00");
        if (context.recordTime() != null) {
            e.put("recordTime", context.recordTime().toString());
        }
        e.put("eventID", "ni:///sha-256;" + signed.hash() + "?ver=CBV2.0");
        e.put("bt:recordType", type.name());
        e.put("bt:actor", org(r.actor()));
        e.put("bt:seq", r.seq());
        if (context.logIndex() != null) {
            e.put("bt:logIndex", context.logIndex());
        }
        return e;
    }

    private static void object(ObjectNode e, String action, String epc, String bizStep, String disposition) {
        e.put("type", "ObjectEvent");
        e.put("action", action);
        e.putArray("epcList").add(epc);
        why(e, bizStep, disposition);
    }

    private static void association(ObjectNode e, String action, String parent, String child, String bizStep, String disposition) {
        e.put("type", "AssociationEvent");
        e.put("action", action);
        e.put("parentID", parent);
        e.putArray("childEPCs").add(child);
        why(e, bizStep, disposition);
    }

    private static void transformation(ObjectNode e, String output, String bizStep) {
        e.put("type", "TransformationEvent");
        e.putArray("inputEPCList");
        e.putArray("outputEPCList").add(output);
        e.put("bizStep", bizStep);
    }

    private static void why(ObjectNode e, String bizStep, String disposition) {
        e.put("bizStep", bizStep);
        e.put("disposition", disposition);
    }

    private static void party(ArrayNode list, String field, String org) {
        list.addObject().put("type", "owning_party").put(field, org(org));
        list.addObject().put("type", "possessing_party").put(field, org(org));
    }

    private static Optional<String> text(JsonNode data, String field) {
        JsonNode node = data == null ? null : data.get(field);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    /** An integer field divided by 10^scale, exactly (3 -> mAh to Ah, g to kg). */
    private static BigDecimal scaled(JsonNode data, String field, int scale) {
        return new BigDecimal(BigDecimal.valueOf(data.get(field).longValue(), scale).stripTrailingZeros().toPlainString());
    }
}
