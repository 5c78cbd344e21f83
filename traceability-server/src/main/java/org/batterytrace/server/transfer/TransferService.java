package org.batterytrace.server.transfer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.battery.BatteryEntity;
import org.batterytrace.server.battery.BatteryService;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.facts.KeyFacts;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.record.OrganizationChecks;
import org.batterytrace.server.record.RecordIngest;
import org.batterytrace.server.record.Replays;
import org.batterytrace.server.record.SignatureCheck;
import org.batterytrace.server.time.TraceClock;

/**
 * Two-party custody transfer: the custodian signs a TRANSFERRED record naming the receiver (offer);
 * the receiver adds its signature (accept) and only then is the record logged and custody moved.
 */
@ApplicationScoped
public class TransferService {
    @Inject
    TraceClock clock;
    @Inject
    BatteryService batteries;
    @Inject
    SignatureCheck signatures;
    @Inject
    FactsCache factsCache;
    @Inject
    RecordIngest ingest;
    @Inject
    TraceConfig config;
    @Inject
    Replays replays;

    private final ScheduledWork sweeps = new ScheduledWork();

    /** An offer and whether it had been made already (an identical resubmission: answered with the pending transfer). */
    public record Offered(TransferEntity transfer, boolean replayed) {
    }

    @Transactional
    public Offered offer(SignedRecord offer, OrganizationEntity caller) {
        TraceRecord record = offer.record();
        if (offer.canonicalBytes().length > config.records().maxRecordBytes()) {
            throw RecordIngest.tooLarge(offer, config.records().maxRecordBytes());
        }
        if (!EventType.TRANSFERRED.name().equals(record.type())) {
            throw new ProblemException(ProblemKind.NOT_A_TRANSFER, "a transfer offer is a TRANSFERRED record, not " + record.type());
        }
        if (!record.actor().equals(caller.id)) {
            throw new ProblemException(ProblemKind.ACTOR_MISMATCH, "record.actor is " + record.actor() + " but the API token belongs to " + caller.id);
        }
        String receiver = record.dataField("to") == null ? null : record.dataField("to").asText(null);
        if (receiver == null) {
            throw new ProblemException(ProblemKind.LIFECYCLE_VIOLATION, "a transfer must name its receiver in data.to");
        }
        BatteryEntity battery = batteries.require(record.subject());
        if (record.seq() != battery.headSeq + 1 || !battery.headHash.equals(record.prev())) {
            throw new ProblemException(ProblemKind.SEQ_CONFLICT, "the offer must continue the chain at seq " + (battery.headSeq + 1) + " after " + battery.headHash);
        }
        Lifecycle.apply(battery.status(), EventType.TRANSFERRED, caller.id, caller.roleSet(), receiver);
        OrganizationEntity to = OrganizationEntity.findById(receiver);
        OrganizationChecks.receiver(battery.code, receiver, to == null ? null : to.facts(Set.of()), battery.state, ChinaTime.date(record.instant()));
        if (offer.signatures().size() != 1) {
            throw new ProblemException(ProblemKind.OFFER_SIGNATURES, "an offer carries exactly the custodian's signature; the receiver signs on acceptance");
        }
        Map<String, KeyFacts> keys = signatures.keysFor(List.of(offer), factsCache.cached());
        ProblemException bad = signatures.check(offer, null, keys);
        if (bad != null) {
            throw bad;
        }
        expire("subject = ?1", record.subject());
        String canonical = new String(offer.canonicalBytes(), StandardCharsets.UTF_8);
        TransferEntity pending = TransferEntity.find("subject = ?1 and status = ?2", record.subject(), TransferEntity.Status.PENDING).firstResult();
        if (pending != null && pending.offer.equals(canonical)) {
            return new Offered(pending, true);
        }
        if (pending != null) {
            throw new ProblemException(ProblemKind.TRANSFER_PENDING, "battery " + record.subject() + " already has a pending transfer; cancel it first");
        }
        TransferEntity transfer = new TransferEntity();
        transfer.id = UUID.randomUUID().toString();
        transfer.subject = record.subject();
        transfer.seq = record.seq();
        transfer.fromOrg = caller.id;
        transfer.toOrg = receiver;
        transfer.status = TransferEntity.Status.PENDING;
        transfer.offer = canonical;
        transfer.createdAt = clock.now();
        transfer.persist();
        return new Offered(transfer, false);
    }

    @Transactional
    public RecordIngest.Accepted accept(String id, RecordSignature acceptance, OrganizationEntity caller) {
        TransferEntity decided = TransferEntity.findById(id);
        if (decided != null && decided.status == TransferEntity.Status.ACCEPTED && decided.toOrg.equals(caller.id)) {
            // A retried acceptance: the same signature again is answered with the first acknowledgement.
            SignedRecord retried = SignedRecord.parse(decided.offer).withSignature(acceptance);
            RecordIngest.Accepted first = replays.find(List.of(retried)).get(retried.hash());
            if (first != null) {
                return first;
            }
        }
        TransferEntity transfer = pending(id);
        if (expired(transfer)) {
            throw new ProblemException(ProblemKind.TRANSFER_EXPIRED, "transfer " + id + " was offered at " + transfer.createdAt + " and expired after "
                    + config.transfers().offerTtl() + "; the custodian may offer it again");
        }
        if (!transfer.toOrg.equals(caller.id)) {
            throw new ProblemException(ProblemKind.NOT_THE_RECEIVER, "only the receiver " + transfer.toOrg + " may accept this transfer");
        }
        SignedRecord complete = SignedRecord.parse(transfer.offer).withSignature(acceptance);
        // A chain that moved on since the offer fails here with 409; the custodian then cancels and re-offers.
        RecordIngest.Accepted accepted = ingest.appendTransfer(complete);
        transfer.status = TransferEntity.Status.ACCEPTED;
        transfer.logIndex = accepted.logIndex();
        transfer.decidedAt = clock.now();
        return accepted;
    }

    @Transactional
    public TransferEntity reject(String id, OrganizationEntity caller) {
        TransferEntity transfer = pending(id);
        if (transfer.toOrg.equals(caller.id)) {
            transfer.status = TransferEntity.Status.REJECTED;
        } else if (transfer.fromOrg.equals(caller.id)) {
            transfer.status = TransferEntity.Status.CANCELLED;
        } else {
            throw new ProblemException(ProblemKind.NOT_A_PARTY, "only the parties to a transfer may reject or cancel it");
        }
        transfer.decidedAt = clock.now();
        return transfer;
    }

    public TransferEntity visibleTo(String id, OrganizationEntity caller) {
        TransferEntity transfer = TransferEntity.findById(id);
        if (transfer == null || !(transfer.toOrg.equals(caller.id) || transfer.fromOrg.equals(caller.id))) {
            throw new ProblemException(ProblemKind.TRANSFER_NOT_FOUND, "no transfer " + id + " involving " + caller.id);
        }
        return transfer;
    }

    public List<TransferEntity> list(OrganizationEntity caller, boolean incoming, TransferEntity.Status status) {
        String party = incoming ? "toOrg" : "fromOrg";
        return status == null ? TransferEntity.list(party + " = ?1 order by createdAt", caller.id)
                : TransferEntity.list(party + " = ?1 and status = ?2 order by createdAt", caller.id, status);
    }

    /** Marks every expired offer EXPIRED, on the scheduler; a stop waits for a sweep under way ({@link ScheduledWork}). */
    @Scheduled(every = "${trace.transfers.expiry-sweep:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireAll() {
        sweeps.run(() -> QuarkusTransaction.requiringNew().run(() -> expire("1 = ?1", 1)));
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }

    private void expire(String where, Object value) {
        TransferEntity.update("status = ?2, decidedAt = ?3 where status = ?4 and createdAt < ?5 and " + where, value,
                TransferEntity.Status.EXPIRED, clock.now(), TransferEntity.Status.PENDING, cutoff());
    }

    private java.time.Instant cutoff() {
        return clock.now().minus(config.transfers().offerTtl());
    }

    private boolean expired(TransferEntity transfer) {
        return transfer.createdAt.isBefore(cutoff());
    }

    private static TransferEntity pending(String id) {
        TransferEntity transfer = TransferEntity.findById(id);
        if (transfer == null) {
            throw new ProblemException(ProblemKind.TRANSFER_NOT_FOUND, "no transfer " + id);
        }
        if (transfer.status == TransferEntity.Status.EXPIRED) {
            throw new ProblemException(ProblemKind.TRANSFER_EXPIRED, "transfer " + id + " expired unanswered; the custodian may offer it again");
        }
        if (transfer.status != TransferEntity.Status.PENDING) {
            throw new ProblemException(ProblemKind.TRANSFER_CLOSED, "transfer " + id + " is already " + transfer.status);
        }
        return transfer;
    }
}
