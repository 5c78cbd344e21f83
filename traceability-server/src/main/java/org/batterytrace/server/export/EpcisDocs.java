package org.batterytrace.server.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Schemas of the EPCIS 2.0 documents the server writes (core {@code Epcis}), for the contract only: the
 * members GS1's EPCIS 2.0 JSON schema defines that our events use, typed; {@code bt:} extension members
 * (docs/epcis-mapping.md) pass as additional properties.
 */
public final class EpcisDocs {
    private EpcisDocs() {
    }

    private static final String CONTEXT = "JSON-LD contexts: the GS1 EPCIS 2.0 context, then this server's bt: extension context (GET /epcis/context.jsonld)";

    @Schema(name = "EpcisDocument", description = "GS1 EPCIS 2.0 EPCISDocument in JSON-LD")
    public record Document(@JsonProperty("@context") @Schema(required = true, description = CONTEXT) List<String> context,
            @Schema(required = true, enumeration = "EPCISDocument") String type,
            @Schema(required = true, enumeration = "2.0") String schemaVersion,
            @Schema(required = true, format = "date-time") String creationDate,
            @Schema(required = true) Body epcisBody) {
    }

    @Schema(name = "EpcisBody")
    public record Body(@Schema(required = true) List<Event> eventList) {
    }

    @Schema(name = "EpcisQueryDocument", description = "GS1 EPCIS 2.0 EPCISQueryDocument in JSON-LD: the answer of the REST query binding's GET /events")
    public record QueryDocument(@JsonProperty("@context") @Schema(required = true, description = CONTEXT) List<String> context,
            @Schema(required = true, enumeration = "EPCISQueryDocument") String type,
            @Schema(required = true, enumeration = "2.0") String schemaVersion,
            @Schema(required = true, format = "date-time") String creationDate,
            @Schema(required = true) QueryBody epcisBody) {
    }

    @Schema(name = "EpcisQueryBody")
    public record QueryBody(@Schema(required = true) QueryResults queryResults) {
    }

    @Schema(name = "EpcisQueryResults")
    public record QueryResults(@Schema(required = true, enumeration = "SimpleEventQuery") String queryName, @Schema(required = true) Body resultsBody) {
    }

    @Schema(name = "EpcisEvent", additionalProperties = Schema.True.class,
            description = "One EPCIS event; bt: members (bt:recordHash, bt:recordType, bt:actor, bt:seq, bt:logIndex and per-type terms) follow docs/epcis-mapping.md")
    public record Event(@Schema(required = true, enumeration = {"ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent"}) String type,
            @Schema(required = true, format = "date-time") String eventTime,
            @Schema(required = true, examples = "+00:00") String eventTimeZoneOffset,
            @Schema(format = "date-time", description = "when the log accepted the record") String recordTime,
            @Schema(required = true, description = "urn:batterytrace:record:<record hash>[:n]") String eventID,
            @Schema(enumeration = {"ADD", "OBSERVE", "DELETE"}) String action,
            String bizStep, String disposition, List<String> epcList, String parentID, List<String> childEPCs,
            List<String> inputEPCList, List<String> outputEPCList, String transformationID,
            Place readPoint, Place bizLocation, List<Party> sourceList, List<Party> destinationList,
            List<BizTransaction> bizTransactionList, List<SensorElement> sensorElementList,
            @Schema(description = "instance/lot master data: bt: terms") Map<String, Object> ilmd) {
    }

    @Schema(name = "JsonLdContext", description = "A JSON-LD 1.1 context document")
    public record Context(@JsonProperty("@context") @Schema(required = true, additionalProperties = Schema.True.class,
            description = "@version, the bt: prefix and one term definition per bt: extension term") Map<String, Object> context) {
    }

    @Schema(name = "EpcisPlace")
    public record Place(@Schema(required = true) String id) {
    }

    @Schema(name = "EpcisParty", additionalProperties = Schema.True.class, description = "{\"type\": \"owning_party\" …, \"source\" or \"destination\": party URN}")
    public record Party(@Schema(required = true, enumeration = {"owning_party", "possessing_party"}) String type) {
    }

    @Schema(name = "EpcisBizTransaction")
    public record BizTransaction(@Schema(required = true) String type, @Schema(required = true) String bizTransaction) {
    }

    @Schema(name = "EpcisSensorElement")
    public record SensorElement(@Schema(required = true) SensorMetadata sensorMetadata, List<SensorReport> sensorReport) {
    }

    @Schema(name = "EpcisSensorMetadata", additionalProperties = Schema.True.class)
    public record SensorMetadata(@Schema(format = "date-time") String time, String dataProcessingMethod) {
    }

    @Schema(name = "EpcisSensorReport", additionalProperties = Schema.True.class)
    public record SensorReport(@Schema(required = true) String type, java.math.BigDecimal value, String uom) {
    }
}
