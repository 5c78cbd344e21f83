package org.batterytrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;

/**
 * Everything an auditor needs to check one battery offline ({@code trace-evidence/1}): its signed
 * records, the key events of every organization whose keys appear, the inclusion proof of each entry,
 * and the signed checkpoint those proofs lead to.
 */
public record EvidenceBundle(String subject, String checkpoint, List<LoggedRecord> keyEvents, List<LoggedRecord> records) {
    public static final String FORMAT = "trace-evidence/1";

    public EvidenceBundle {
        keyEvents = List.copyOf(keyEvents);
        records = List.copyOf(records);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("format", FORMAT);
        node.put("subject", subject);
        node.put("checkpoint", checkpoint);
        ArrayNode keys = node.putArray("keyEvents");
        keyEvents.forEach(e -> keys.add(e.toJson()));
        ArrayNode recs = node.putArray("records");
        records.forEach(e -> recs.add(e.toJson()));
        return node;
    }

    public static EvidenceBundle parse(byte[] json) {
        return fromJson(Json.parse(json));
    }

    public static EvidenceBundle fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException("evidence bundle must be a JSON object");
        }
        Fields.requireExactly(node, "bundle", "format", "subject", "checkpoint", "keyEvents", "records");
        if (!FORMAT.equals(Fields.text(node, "format", "bundle"))) {
            throw new RecordFormatException("bundle.format must be '" + FORMAT + "'");
        }
        return new EvidenceBundle(Fields.text(node, "subject", "bundle"), Fields.text(node, "checkpoint", "bundle"),
                entries(Fields.array(node, "keyEvents", "bundle"), "keyEvents"), entries(Fields.array(node, "records", "bundle"), "records"));
    }

    private static List<LoggedRecord> entries(JsonNode array, String name) {
        List<LoggedRecord> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            list.add(LoggedRecord.fromJson(array.get(i), name + "[" + i + "]"));
        }
        return list;
    }
}
