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
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.CheckpointEntity;
import org.batterytrace.server.log.CheckpointIntegrator;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.TransparencyLog;

/**
 * Assembles the offline-verifiable evidence for one battery: its chain, the key events of every
 * organization that signed it, an inclusion proof per entry, all against one signed checkpoint.
 */
@ApplicationScoped
public class EvidenceService {
    @Inject
    BatteryService batteries;
    @Inject
    TransparencyLog log;
    @Inject
    CheckpointIntegrator integrator;

    public EvidenceBundle bundle(String code) {
        return bundle(code, batteries.history(code));
    }

    /** The bundle for any chain (battery or recycling lot), given its records in order. */
    public EvidenceBundle bundle(String code, List<LogEntryEntity> records) {
        long needed = records.get(records.size() - 1).idx + 1;
        CheckpointEntity checkpoint = integrator.forEvidence(needed); // never makes the auditor wait for the next tick
        long size = checkpoint.size;
        List<SignedRecord> signed = records.stream().map(LogEntryEntity::signedRecord).toList();
        Set<String> keyIds = new LinkedHashSet<>();
        signed.forEach(r -> r.signatures().stream().map(RecordSignature::keyId).forEach(keyIds::add));
        Set<String> owners = new LinkedHashSet<>();
        if (!keyIds.isEmpty()) {
            OrgKeyEntity.<OrgKeyEntity>list("keyId in ?1", keyIds).forEach(k -> owners.add(k.orgId));
        }
        List<LogEntryEntity> keyEvents = owners.isEmpty() ? List.of()
                : LogEntryEntity.list("subject in ?1 and type in ?2 and idx < ?3 order by idx", owners, List.of(KeyEvents.REGISTERED, KeyEvents.REVOKED), size);
        String note = CheckpointEntity.<CheckpointEntity>findById(size).note;
        return log.read(size, tree -> new EvidenceBundle(code, note, logged(keyEvents, tree, size), logged(records, tree, size)));
    }

    private static List<LoggedRecord> logged(List<LogEntryEntity> entries, MerkleTree tree, long size) {
        List<LoggedRecord> logged = new ArrayList<>(entries.size());
        for (LogEntryEntity e : entries) {
            logged.add(new LoggedRecord(e.signedRecord(), e.idx, tree.inclusionProof(e.idx, size)));
        }
        return logged;
    }
}
