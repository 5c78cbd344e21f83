package org.batterytrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.LinkRules;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationRules;
import org.batterytrace.record.Fields;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;

/**
 * Everything an auditor needs to check one battery offline ({@code trace-evidence/3}, docs/record-format.md
 * §8): its signed records, the key events of every organization whose keys appear, the organization facts
 * the record rules read (roles, qualification, filed manufacturer codes: {@link #organizationFacts()}), the
 * whole chains of the batteries and lots its records link to ({@link #linkedRecords()}: cascade sources,
 * parents, parts, lots), the inclusion proof of each entry, the signed checkpoint those proofs lead to, and map proofs against the
 * checkpoint's {@code trace-map/1} root — of the subject's head, of each signing key's status and of the
 * head of each facts chain and linked chain the rules read. The checkpoint
 * note carries the witnesses' cosignature lines it had when the bundle was made; when it had none but a
 * later checkpoint of the log was cosigned, that one comes along as {@link #witnessedCheckpoint()} with a
 * consistency proof from the bundle's checkpoint (null when absent).
 * <p>
 * Older bundles are still read, so archived bundles can be re-checked, but the verifier says what they
 * cannot show: {@code trace-evidence/1} (no map proofs; {@link #mapProofs()} is null) cannot prove
 * completeness, {@code trace-evidence/2} (no organization facts and no linked records; both null) cannot
 * show the facts the role, white-list and manufacturer-code rules read, nor the chains the link rules read.
 */
public record EvidenceBundle(String subject, String checkpoint, List<LoggedRecord> keyEvents, List<LoggedRecord> organizationFacts, List<LoggedRecord> records,
        List<LoggedRecord> linkedRecords, List<MapProof> mapProofs, WitnessedCheckpoint witnessedCheckpoint) {
    public static final String FORMAT = "trace-evidence/3";
    public static final String FORMAT_V2 = "trace-evidence/2";
    public static final String FORMAT_V1 = "trace-evidence/1";

    public EvidenceBundle {
        keyEvents = List.copyOf(keyEvents);
        organizationFacts = organizationFacts == null ? null : List.copyOf(organizationFacts);
        records = List.copyOf(records);
        linkedRecords = linkedRecords == null ? null : List.copyOf(linkedRecords);
        if ((organizationFacts == null) != (linkedRecords == null)) {
            throw new IllegalArgumentException(FORMAT + " bundles carry organization facts and linked records; older ones neither");
        }
        mapProofs = mapProofs == null ? null : List.copyOf(mapProofs);
        if (mapProofs == null && (witnessedCheckpoint != null || organizationFacts != null)) {
            throw new IllegalArgumentException(FORMAT_V1 + " bundles carry no witnessed checkpoint and no organization facts");
        }
    }

    /**
     * A checkpoint of the same log, at least as large as the bundle's and cosigned by witnesses, with the
     * RFC 9162 consistency proof from the bundle's checkpoint to it (empty for equal sizes): the bundle's
     * tree is a prefix of a tree the witnesses saw (docs/record-format.md §8).
     */
    public record WitnessedCheckpoint(String note, List<byte[]> consistencyProof) {
        public WitnessedCheckpoint {
            consistencyProof = List.copyOf(consistencyProof);
        }

        ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("note", note);
            ArrayNode proof = node.putArray("consistencyProof");
            consistencyProof.forEach(hash -> proof.add(Hashes.hex(hash)));
            return node;
        }

        static WitnessedCheckpoint fromJson(JsonNode node) {
            String where = "bundle.witnessedCheckpoint";
            if (!node.isObject()) {
                throw new RecordFormatException(where + " must be an object {note, consistencyProof}");
            }
            Fields.requireExactly(node, where, "note", "consistencyProof");
            JsonNode hashes = Fields.array(node, "consistencyProof", where);
            BundleLimit.CONSISTENCY_PROOF_HASHES.check(hashes.size(), where + ".consistencyProof");
            List<byte[]> proof = new ArrayList<>();
            for (JsonNode hash : hashes) {
                if (!hash.isTextual() || !Hashes.isSha256Hex(hash.textValue())) {
                    throw new RecordFormatException(where + ".consistencyProof must hold 64-hex SHA-256 hashes");
                }
                proof.add(Hashes.fromHex(hash.textValue()));
            }
            return new WitnessedCheckpoint(Fields.text(node, "note", where), proof);
        }
    }

    /** A {@code trace-evidence/3} bundle whose own checkpoint is all there is to cosign. */
    public EvidenceBundle(String subject, String checkpoint, List<LoggedRecord> keyEvents, List<LoggedRecord> organizationFacts, List<LoggedRecord> records,
            List<LoggedRecord> linkedRecords, List<MapProof> mapProofs) {
        this(subject, checkpoint, keyEvents, organizationFacts, records, linkedRecords, mapProofs, null);
    }

    /** A {@code trace-evidence/1} bundle: no map proofs. */
    public EvidenceBundle(String subject, String checkpoint, List<LoggedRecord> keyEvents, List<LoggedRecord> records) {
        this(subject, checkpoint, keyEvents, null, records, null, null, null);
    }

    /** The same bundle with this checkpoint note (e.g. with more cosignature lines) and witnessed checkpoint. */
    public EvidenceBundle withCheckpoint(String note, WitnessedCheckpoint witnessed) {
        return new EvidenceBundle(subject, note, keyEvents, organizationFacts, records, linkedRecords, mapProofs, witnessed);
    }

    /**
     * The facts chains a bundle of {@code records} carries (§8): the {@code ORG-} chain of every actor and
     * receiver, and the {@code MFR-} chain of the manufacturer code of a battery whose chain opens with
     * PRODUCED or ASSEMBLED. The server assembles, and test logs build, bundles with exactly these.
     */
    public static Set<String> factSubjects(List<SignedRecord> records) {
        Set<String> subjects = new LinkedHashSet<>();
        for (SignedRecord r : records) {
            TraceRecord record = r.record();
            subjects.add(OrganizationEvents.factsSubject(record.actor()));
            JsonNode to = record.dataField("to");
            if (EventType.TRANSFERRED.name().equals(record.type()) && to != null && to.isTextual()) {
                subjects.add(OrganizationEvents.factsSubject(to.textValue()));
            }
            if (record.seq() == 1 && (EventType.PRODUCED.name().equals(record.type()) || EventType.ASSEMBLED.name().equals(record.type()))
                    && !LotId.looksLikeLot(record.subject()) && record.subject().length() >= 3) {
                subjects.add(OrganizationEvents.codeSubject(OrganizationRules.manufacturerOf(record.subject())));
            }
        }
        return subjects;
    }

    /** The other chains {@code subject}'s records link to (§9.2: cascade sources, parents, parts, lots), whose whole chains a bundle carries. */
    public static Set<String> linkedSubjects(String subject, List<SignedRecord> records) {
        Set<String> subjects = new LinkedHashSet<>();
        for (SignedRecord r : records) {
            EventType.fromName(r.record().type()).ifPresent(type -> subjects.addAll(LinkRules.linkedSubjects(r.record(), type)));
        }
        subjects.remove(subject);
        return subjects;
    }

    public String format() {
        return mapProofs == null ? FORMAT_V1 : organizationFacts == null ? FORMAT_V2 : FORMAT;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("format", format());
        node.put("subject", subject);
        node.put("checkpoint", checkpoint);
        ArrayNode keys = node.putArray("keyEvents");
        keyEvents.forEach(e -> keys.add(e.toJson()));
        if (organizationFacts != null) {
            ArrayNode facts = node.putArray("organizationFacts");
            organizationFacts.forEach(e -> facts.add(e.toJson()));
        }
        ArrayNode recs = node.putArray("records");
        records.forEach(e -> recs.add(e.toJson()));
        if (linkedRecords != null) {
            ArrayNode linked = node.putArray("linkedRecords");
            linkedRecords.forEach(e -> linked.add(e.toJson()));
        }
        if (mapProofs != null) {
            ArrayNode proofs = node.putArray("mapProofs");
            mapProofs.forEach(p -> proofs.add(p.toJson()));
        }
        if (witnessedCheckpoint != null) {
            node.set("witnessedCheckpoint", witnessedCheckpoint.toJson());
        }
        return node;
    }

    /** Parses a bundle within the {@link BundleLimit} caps; over a cap it throws {@link BundleLimit.Exceeded}. */
    public static EvidenceBundle parse(byte[] json) {
        BundleLimit.BUNDLE_BYTES.check(json.length, "bundle (bytes)");
        return fromJson(Json.parse(json));
    }

    public static EvidenceBundle fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException("evidence bundle must be a JSON object");
        }
        String format = Fields.text(node, "format", "bundle");
        boolean v1 = FORMAT_V1.equals(format);
        boolean v2 = FORMAT_V2.equals(format);
        if (!v1 && !v2 && !FORMAT.equals(format)) {
            throw new RecordFormatException("bundle.format must be '" + FORMAT + "' (or '" + FORMAT_V2 + "', '" + FORMAT_V1 + "')");
        }
        if (v1) {
            Fields.requireExactly(node, "bundle", "format", "subject", "checkpoint", "keyEvents", "records");
        } else if (v2) {
            Fields.requireExactly(node, "bundle", "format", "subject", "checkpoint", "keyEvents", "records", "mapProofs", "witnessedCheckpoint");
        } else {
            Fields.requireExactly(node, "bundle", "format", "subject", "checkpoint", "keyEvents", "organizationFacts", "records", "linkedRecords", "mapProofs",
                    "witnessedCheckpoint");
        }
        JsonNode keyEvents = Fields.array(node, "keyEvents", "bundle");
        JsonNode facts = v1 || v2 ? Json.array() : Fields.array(node, "organizationFacts", "bundle");
        JsonNode records = Fields.array(node, "records", "bundle");
        JsonNode linked = v1 || v2 ? Json.array() : Fields.array(node, "linkedRecords", "bundle");
        BundleLimit.ENTRIES.check((long) keyEvents.size() + facts.size() + records.size() + linked.size(),
                "bundle.keyEvents, bundle.organizationFacts, bundle.records and bundle.linkedRecords");
        List<MapProof> proofs = null;
        if (!v1) {
            JsonNode array = Fields.array(node, "mapProofs", "bundle");
            BundleLimit.ENTRIES.check(array.size(), "bundle.mapProofs");
            proofs = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                proofs.add(MapProof.fromJson(array.get(i), "mapProofs[" + i + "]"));
            }
        }
        WitnessedCheckpoint witnessed = v1 || !node.has("witnessedCheckpoint") ? null : WitnessedCheckpoint.fromJson(node.get("witnessedCheckpoint"));
        return new EvidenceBundle(Fields.text(node, "subject", "bundle"), Fields.text(node, "checkpoint", "bundle"),
                entries(keyEvents, "keyEvents"), v1 || v2 ? null : entries(facts, "organizationFacts"), entries(records, "records"),
                v1 || v2 ? null : entries(linked, "linkedRecords"), proofs, witnessed);
    }

    private static List<LoggedRecord> entries(JsonNode array, String name) {
        List<LoggedRecord> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            list.add(LoggedRecord.fromJson(array.get(i), name + "[" + i + "]"));
        }
        return list;
    }
}
