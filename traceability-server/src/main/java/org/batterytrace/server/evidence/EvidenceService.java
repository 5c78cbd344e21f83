package org.batterytrace.server.evidence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.LoggedRecord;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.Note;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.CheckpointEntity;
import org.batterytrace.server.log.CheckpointIntegrator;
import org.batterytrace.server.log.Cosigner;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.LogMapStore;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.time.TraceClock;

/**
 * Assembles the offline-verifiable evidence for one chain ({@code trace-evidence/3}): its records, the
 * key events of every organization that signed them, the facts chains the record rules read (each actor's
 * and receiver's, and the filing of the chain's manufacturer code), the whole chains its records link to
 * (cascade sources, parents, parts, lots), an inclusion proof per entry, and map proofs of the chain's head,
 * of each signing key's status and of the head of each facts chain and linked chain, all against the
 * latest checkpoint that names a map root;
 * with witnesses configured, that checkpoint cosigned, or a later cosigned one it is consistent with.
 */
@ApplicationScoped
public class EvidenceService {
    @Inject
    TraceClock clock;
    /** Attempts to catch one map state while checkpoints keep coming (each attempt takes milliseconds). */
    private static final int ATTEMPTS = 10;
    /** How often a bundle waiting for a cosignature looks again. */
    private static final long COSIGNATURE_POLL_MS = 20;

    @Inject
    BatteryService batteries;
    @Inject
    TransparencyLog log;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    LogMapStore map;
    @Inject
    Cosigner cosigner;
    @Inject
    TraceConfig config;

    public EvidenceBundle bundle(String code) {
        return bundle(code, batteries.history(code));
    }

    /**
     * The bundle for any chain (battery or recycling lot), given its records in order: it covers at least
     * those records, and every later one the map's checkpoint holds, so that it ends at the chain's head.
     */
    public EvidenceBundle bundle(String code, List<LogEntryEntity> known) {
        long needed = known.get(known.size() - 1).idx + 1;
        if (map.provableSize() < needed) {
            integrator.integrate(false); // do not make the auditor wait for the next tick
        }
        long size = map.provableSize();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<LogEntryEntity> records = LogEntryEntity.list("subject = ?1 and idx < ?2 order by seq", code, size);
            List<SignedRecord> signed = records.stream().map(LogEntryEntity::signedRecord).toList();
            Set<String> keyIds = new LinkedHashSet<>();
            signed.forEach(r -> r.signatures().stream().map(RecordSignature::keyId).forEach(keyIds::add));
            Set<String> factSubjects = EvidenceBundle.factSubjects(signed);
            Set<String> linkedSubjects = EvidenceBundle.linkedSubjects(code, signed);
            List<String> labels = new ArrayList<>();
            labels.add(MapLabels.head(code));
            keyIds.forEach(id -> labels.add(MapLabels.key(id)));
            factSubjects.forEach(subject -> labels.add(MapLabels.head(subject)));
            linkedSubjects.forEach(subject -> labels.add(MapLabels.head(subject)));
            LogMapStore.Proven proven = map.prove(labels);
            if (proven.size() != size) {
                size = proven.size(); // a checkpoint came in between: take the records up to it too
                continue;
            }
            return witnessed(assemble(code, records, keyIds, factSubjects, linkedSubjects, proven), size);
        }
        throw new IllegalStateException("the map kept moving while the evidence for " + code + " was assembled");
    }

    /**
     * With witnesses configured, the bundle as cosigned as it can be: its checkpoint note with the
     * cosignature lines it has gathered, or else the newest cosigned checkpoint of a larger size with a
     * consistency proof to it (docs/record-format.md §8). Map proofs exist only for the latest map
     * checkpoint, which witnesses may not have answered for yet, so this waits for one of the two up to
     * {@code trace.cosigning.publish-wait} after the checkpoint was signed — the time after which the log
     * publishes a checkpoint uncosigned — then returns the bundle as it is.
     */
    private EvidenceBundle witnessed(EvidenceBundle bundle, long size) {
        if (!cosigner.enabled()) {
            return bundle;
        }
        Instant deadline = null;
        while (true) {
            Cosigned found = QuarkusTransaction.requiringNew().call(() -> cosigned(size));
            if (found.note() != null || found.later() != null) {
                String note = found.note() != null ? found.note() : bundle.checkpoint();
                EvidenceBundle.WitnessedCheckpoint later = found.later() == null ? null
                        : new EvidenceBundle.WitnessedCheckpoint(found.later().note, log.read(found.later().size, tree -> tree.consistencyProof(size, found.later().size)));
                return bundle.withCheckpoint(note, later);
            }
            if (deadline == null) {
                deadline = found.signedAt().plus(config.cosigning().publishWait());
            }
            if (!clock.now().isBefore(deadline)) {
                return bundle;
            }
            try {
                Thread.sleep(COSIGNATURE_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return bundle;
            }
        }
    }

    /** The note of size {@code size} if it carries a cosignature, else the newest cosigned larger checkpoint, and when it was signed. */
    private record Cosigned(String note, CheckpointEntity later, Instant signedAt) {
    }

    private Cosigned cosigned(long size) {
        CheckpointEntity own = CheckpointEntity.findById(size);
        if (Note.parse(own.note).signatures().size() > 1) {
            return new Cosigned(own.note, null, own.createdAt); // the log's signature and at least one cosignature
        }
        CheckpointEntity later = CheckpointEntity.latestCosigned();
        return new Cosigned(null, later != null && later.size > size ? later : null, own.createdAt);
    }

    private EvidenceBundle assemble(String code, List<LogEntryEntity> records, Set<String> keyIds, Set<String> factSubjects, Set<String> linkedSubjects,
            LogMapStore.Proven proven) {
        long size = proven.size();
        Set<String> owners = new LinkedHashSet<>();
        if (!keyIds.isEmpty()) {
            OrgKeyEntity.<OrgKeyEntity>list("keyId in ?1", keyIds).forEach(k -> owners.add(k.orgId));
        }
        List<LogEntryEntity> keyEvents = owners.isEmpty() ? List.of()
                : LogEntryEntity.list("subject in ?1 and type in ?2 and idx < ?3 order by idx", owners, List.of(KeyEvents.REGISTERED, KeyEvents.REVOKED), size);
        List<LogEntryEntity> facts = LogEntryEntity.list("subject in ?1 and idx < ?2 order by idx", factSubjects, size);
        List<LogEntryEntity> linked = linkedSubjects.isEmpty() ? List.of() : LogEntryEntity.list("subject in ?1 and idx < ?2 order by idx", linkedSubjects, size);
        String note = CheckpointEntity.<CheckpointEntity>findById(size).note;
        return log.read(size, tree -> new EvidenceBundle(code, note, logged(keyEvents, tree, size), logged(facts, tree, size), logged(records, tree, size),
                logged(linked, tree, size), proven.proofs()));
    }

    private static List<LoggedRecord> logged(List<LogEntryEntity> entries, MerkleTree tree, long size) {
        List<LoggedRecord> logged = new ArrayList<>(entries.size());
        for (LogEntryEntity e : entries) {
            logged.add(new LoggedRecord(e.signedRecord(), e.idx, tree.inclusionProof(e.idx, size)));
        }
        return logged;
    }
}
