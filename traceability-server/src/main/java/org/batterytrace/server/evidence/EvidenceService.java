package org.batterytrace.server.evidence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.LoggedRecord;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.CheckpointEntity;
import org.batterytrace.server.log.CheckpointIntegrator;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.LogMapStore;
import org.batterytrace.server.log.TransparencyLog;

/**
 * Assembles the offline-verifiable evidence for one chain ({@code trace-evidence/2}): its records, the
 * key events of every organization that signed them, an inclusion proof per entry, and map proofs of the
 * chain's head and of each signing key's status, all against the latest checkpoint that names a map root.
 */
@ApplicationScoped
public class EvidenceService {
    /** Attempts to catch one map state while checkpoints keep coming (each attempt takes milliseconds). */
    private static final int ATTEMPTS = 10;

    @Inject
    BatteryService batteries;
    @Inject
    TransparencyLog log;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    LogMapStore map;

    public EvidenceBundle bundle(String code) {
        return bundle(code, batteries.history(code));
    }

    /**
     * The bundle for any chain (battery or recycling lot), given its records in order: it covers at least
     * those records, and every later one the map's checkpoint holds, so that it ends at the chain's head.
     */
    public EvidenceBundle bundle(String code, List<LogEntryEntity> known) {
        long needed = known.get(known.size() - 1).idx + 1;
        if (map.size() < needed) {
            integrator.integrate(); // do not make the auditor wait for the next tick
        }
        long size = map.size();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<LogEntryEntity> records = LogEntryEntity.list("subject = ?1 and idx < ?2 order by seq", code, size);
            List<SignedRecord> signed = records.stream().map(LogEntryEntity::signedRecord).toList();
            Set<String> keyIds = new LinkedHashSet<>();
            signed.forEach(r -> r.signatures().stream().map(RecordSignature::keyId).forEach(keyIds::add));
            List<String> labels = new ArrayList<>();
            labels.add(MapLabels.head(code));
            keyIds.forEach(id -> labels.add(MapLabels.key(id)));
            LogMapStore.Proven proven = map.prove(labels);
            if (proven.size() != size) {
                size = proven.size(); // a checkpoint came in between: take the records up to it too
                continue;
            }
            return assemble(code, records, keyIds, proven);
        }
        throw new IllegalStateException("the map kept moving while the evidence for " + code + " was assembled");
    }

    private EvidenceBundle assemble(String code, List<LogEntryEntity> records, Set<String> keyIds, LogMapStore.Proven proven) {
        long size = proven.size();
        Set<String> owners = new LinkedHashSet<>();
        if (!keyIds.isEmpty()) {
            OrgKeyEntity.<OrgKeyEntity>list("keyId in ?1", keyIds).forEach(k -> owners.add(k.orgId));
        }
        List<LogEntryEntity> keyEvents = owners.isEmpty() ? List.of()
                : LogEntryEntity.list("subject in ?1 and type in ?2 and idx < ?3 order by idx", owners, List.of(KeyEvents.REGISTERED, KeyEvents.REVOKED), size);
        String note = CheckpointEntity.<CheckpointEntity>findById(size).note;
        return log.read(size, tree -> new EvidenceBundle(code, note, logged(keyEvents, tree, size), logged(records, tree, size), proven.proofs()));
    }

    private static List<LoggedRecord> logged(List<LogEntryEntity> entries, MerkleTree tree, long size) {
        List<LoggedRecord> logged = new ArrayList<>(entries.size());
        for (LogEntryEntity e : entries) {
            logged.add(new LoggedRecord(e.signedRecord(), e.idx, tree.inclusionProof(e.idx, size)));
        }
        return logged;
    }
}
