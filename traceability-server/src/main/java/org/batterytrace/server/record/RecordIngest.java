package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Chains;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.battery.BatteryStore;
import org.batterytrace.server.key.KeyService;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.Problems;

/**
 * Accepts signed battery records: signatures, chain, lifecycle and custody rules, then one log append
 * and the battery heads, all in one transaction. A batch is all-or-nothing; every failing item is
 * reported. The log lock is taken before chains are read, so of two writers racing for one sequence
 * number exactly one wins and the other gets 409.
 */
@ApplicationScoped
public class RecordIngest {
    @Inject
    TransparencyLog log;
    @Inject
    SignatureCheck signatures;
    @Inject
    TraceConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    BatteryStore batteryStore;

    /** What the server acknowledged: the log index is durable once this is returned. */
    public record Accepted(String subject, long seq, String hash, long logIndex, BatteryState state, String custodian) {
    }

    /** How a batch may be used: any record, or battery registration only. */
    public enum Mode {
        ANY, REGISTRATION
    }

    /** Records submitted by {@code caller}, who must be each record's actor. */
    @Transactional
    public List<Accepted> submit(List<SignedRecord> records, String caller, Mode mode) {
        return ingest(records, caller, mode);
    }

    /** The receiver's acceptance completes a transfer offer; the actor is the offering custodian. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Accepted appendTransfer(SignedRecord transfer) {
        return ingest(List.of(transfer), transfer.record().actor(), Mode.ANY).get(0);
    }

    private List<Accepted> ingest(List<SignedRecord> records, String caller, Mode mode) {
        int n = records.size();
        if (n == 0) {
            throw ProblemException.badRequest("empty-batch", "no records to submit");
        }
        if (n > config.records().maxBulk()) {
            throw ProblemException.badRequest("batch-too-large", "at most " + config.records().maxBulk() + " records per request, got " + n);
        }
        ProblemException[] failures = new ProblemException[n];
        List<String> receivers = new ArrayList<>(n);
        Instant latest = Instant.now().plus(config.records().maxClockSkew());
        for (int i = 0; i < n; i++) {
            TraceRecord record = records.get(i).record();
            receivers.add(receiver(record));
            failures[i] = staticCheck(record, caller, mode, latest);
        }
        Map<String, OrgKeyEntity> keys = signatures.keysFor(records);
        ProblemException[] signatureFailures = signatures.check(records, receivers, keys);
        for (int i = 0; i < n; i++) {
            if (failures[i] == null) {
                failures[i] = signatureFailures[i];
            }
        }
        if (n == 1) {
            rejectIfAny(failures, n);
        }

        // Chains are checked even when some items already failed, so a bulk report lists every problem.
        TransparencyLog.Appender appender = log.lock();
        Chainer chainer = new Chainer(records);
        CustodyStatus[] statuses = new CustodyStatus[n];
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                continue;
            }
            try {
                statuses[i] = chainer.apply(records.get(i), receivers.get(i));
            } catch (RuntimeException e) {
                failures[i] = Problems.from(e);
            }
        }
        rejectIfAny(failures, n);

        long[] indexes = appender.append(records);
        List<Accepted> accepted = chainer.persist(records, indexes, statuses);
        metrics.counter("trace.records.accepted").increment(n);
        return accepted;
    }

    private static void rejectIfAny(ProblemException[] failures, int n) {
        List<Problem.ItemError> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                errors.add(failures[i].asItem(i));
            }
        }
        if (errors.isEmpty()) {
            return;
        }
        if (n == 1) {
            throw failures[0];
        }
        throw new ProblemException(422, "batch-rejected", "Batch rejected",
                errors.size() + " of " + n + " records failed; nothing was stored", errors);
    }

    private static String receiver(TraceRecord record) {
        if (!EventType.TRANSFERRED.name().equals(record.type())) {
            return null;
        }
        JsonNode to = record.dataField("to");
        return to != null && to.isTextual() ? to.textValue() : null;
    }

    private static ProblemException staticCheck(TraceRecord record, String caller, Mode mode, Instant latest) {
        if (!record.actor().equals(caller)) {
            return ProblemException.forbidden("actor-mismatch", "record.actor is " + record.actor() + " but the API token belongs to " + caller);
        }
        Optional<EventType> type = EventType.fromName(record.type());
        if (type.isEmpty()) {
            return ProblemException.badRequest("unknown-event-type", "unknown record type " + record.type() + "; expected one of " + java.util.Arrays.toString(EventType.values()));
        }
        if (mode == Mode.REGISTRATION && !Lifecycle.rule(type.get()).isGenesis()) {
            return ProblemException.badRequest("not-a-registration", "battery registration takes PRODUCED or ASSEMBLED records, not " + record.type());
        }
        try {
            BatteryCode code = BatteryCode.parse(record.subject());
            if (type.get() == EventType.PRODUCED && code.isCascade()) {
                return ProblemException.unprocessable("code-kind-mismatch", "PRODUCED needs a 24-character battery code; " + code + " is a cascade-product code (use ASSEMBLED)");
            }
            if (type.get() == EventType.ASSEMBLED && !code.isCascade()) {
                return ProblemException.unprocessable("code-kind-mismatch", "ASSEMBLED needs a 19-character cascade-product code, got " + code);
            }
        } catch (RuntimeException e) {
            return Problems.from(e);
        }
        try {
            EventDataRules.check(type.get(), record.data());
        } catch (RuntimeException e) {
            return Problems.from(e);
        }
        if (record.instant().isAfter(latest)) {
            return ProblemException.unprocessable("time-in-future", "record.time " + record.time() + " is in the future");
        }
        if (type.get() == EventType.TRANSFERRED && receiver(record) == null) {
            return ProblemException.unprocessable("lifecycle-violation", "a transfer must name its receiver in data.to");
        }
        return null;
    }

    /** Chain and lifecycle state of the batch's subjects while the batch is applied in order. */
    private final class Chainer {
        private final Map<String, BatteryStore.Head> heads;
        private final Map<String, OrganizationEntity> orgs = new HashMap<>();
        private final Set<String> created = new LinkedHashSet<>();
        private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

        Chainer(List<SignedRecord> records) {
            Set<String> codes = new HashSet<>();
            Set<String> orgIds = new HashSet<>();
            for (SignedRecord r : records) {
                codes.add(r.record().subject());
                orgIds.add(r.record().actor());
                String to = receiver(r.record());
                if (to != null) {
                    orgIds.add(to);
                }
                JsonNode parent = r.record().dataField("parent");
                if (parent != null && parent.isTextual()) {
                    codes.add(parent.textValue());
                }
                JsonNode sources = r.record().dataField("sources");
                if (sources != null && sources.isArray()) {
                    sources.forEach(source -> codes.add(source.asText()));
                }
            }
            heads = batteryStore.heads(codes);
            OrganizationEntity.<OrganizationEntity>list("id in ?1", orgIds).forEach(o -> orgs.put(o.id, o));
        }

        CustodyStatus apply(SignedRecord signed, String receiver) {
            TraceRecord record = signed.record();
            EventType type = EventType.fromName(record.type()).orElseThrow();
            OrganizationEntity actor = orgs.get(record.actor());
            if (actor == null) {
                throw ProblemException.forbidden("unknown-organization", "actor " + record.actor() + " is not a registered organization");
            }
            BatteryStore.Head head = heads.get(record.subject());
            if (Lifecycle.rule(type).isGenesis()) {
                if (head != null) {
                    throw ProblemException.conflict("battery-exists", "battery " + record.subject() + " is already registered");
                }
                Chains.checkNext(record.subject(), 0, null, record);
                checkLinks(record, type);
            } else {
                if (head == null) {
                    throw ProblemException.notFound("battery-not-found", "no battery " + record.subject() + "; register it with PRODUCED or ASSEMBLED first");
                }
                Chains.checkNext(record.subject(), head.seq(), head.hash(), record);
                if (record.instant().isBefore(head.time())) {
                    throw ProblemException.unprocessable("time-before-previous", "record.time " + record.time() + " is before the previous record's " + head.time());
                }
            }
            CustodyStatus current = head == null ? null : new CustodyStatus(head.state(), head.custodian());
            if (type == EventType.TRANSFERRED) {
                checkReceiver(record, receiver, current);
            }
            CustodyStatus next = Lifecycle.apply(current, type, record.actor(), actor.roleSet(), receiver);
            heads.put(record.subject(), new BatteryStore.Head(record.seq(), signed.hash(), next.state(), next.custodian(), record.instant()));
            if (head == null) {
                created.add(record.subject());
            }
            return next;
        }

        private void checkReceiver(TraceRecord record, String receiver, CustodyStatus current) {
            OrganizationEntity to = orgs.get(receiver);
            if (to == null) {
                throw ProblemException.unprocessable("unknown-receiver", "transfer receiver " + receiver + " is not a registered organization");
            }
            Set<Role> holders = Lifecycle.rule(EventType.TRANSFERRED).roles();
            if (to.roleSet().stream().noneMatch(holders::contains)) {
                throw ProblemException.unprocessable("receiver-cannot-hold", receiver + " holds no role that may take custody of batteries");
            }
            if (current != null && current.state().isWaste() && !to.qualifiedOn(today)) {
                throw ProblemException.unprocessable("receiver-not-qualified", "battery " + record.subject() + " is " + current.state()
                        + "; waste batteries may only go to white-listed enterprises and " + receiver + " is not qualified on " + today);
            }
        }

        private void checkLinks(TraceRecord record, EventType type) {
            JsonNode parent = record.dataField("parent");
            if (parent != null && !parent.isNull()) {
                BatteryCode child = BatteryCode.parse(record.subject());
                BatteryCode parentCode = BatteryCode.parse(parent.asText());
                // PACK < MODULE < CELL: a module belongs to a pack, a cell to a module or pack.
                if (child.level() == ProductLevel.PACK || parentCode.level().ordinal() >= child.level().ordinal()) {
                    throw ProblemException.unprocessable("bad-link", "a " + child.level() + " cannot be part of a " + parentCode.level());
                }
                if (!heads.containsKey(parentCode.value())) {
                    throw ProblemException.unprocessable("bad-link", "parent " + parentCode + " is not registered (register packs before their modules and cells)");
                }
            }
            if (type == EventType.ASSEMBLED) {
                JsonNode sources = record.dataField("sources");
                if (sources == null || !sources.isArray() || sources.isEmpty()) {
                    throw ProblemException.unprocessable("bad-link", "ASSEMBLED needs data.sources: the codes of the retired batteries it reuses");
                }
                for (JsonNode source : sources) {
                    BatteryStore.Head h = heads.get(source.asText());
                    if (h == null) {
                        throw ProblemException.unprocessable("bad-link", "source battery " + source.asText() + " is not registered");
                    }
                    if (h.state() != BatteryState.REPURPOSED || !h.custodian().equals(record.actor())) {
                        throw ProblemException.unprocessable("bad-link", "source battery " + source.asText() + " must be REPURPOSED by " + record.actor()
                                + " first; it is " + h.state() + " at " + h.custodian());
                    }
                }
            }
        }

        List<Accepted> persist(List<SignedRecord> records, long[] indexes, CustodyStatus[] statuses) {
            Instant now = KeyService.now();
            List<Accepted> accepted = new ArrayList<>(records.size());
            List<BatteryStore.NewBattery> fresh = new ArrayList<>();
            List<String[]> links = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                TraceRecord record = records.get(i).record();
                if (created.contains(record.subject()) && record.seq() == 1) {
                    fresh.add(newBattery(record, now, links));
                }
                accepted.add(new Accepted(record.subject(), record.seq(), records.get(i).hash(), indexes[i], statuses[i].state(), statuses[i].custodian()));
            }
            List<BatteryStore.Update> updates = new ArrayList<>();
            Set<String> touched = new LinkedHashSet<>();
            records.forEach(r -> touched.add(r.record().subject()));
            touched.forEach(code -> updates.add(new BatteryStore.Update(code, heads.get(code))));
            batteryStore.write(fresh, updates, links);
            return accepted;
        }

        private BatteryStore.NewBattery newBattery(TraceRecord record, Instant now, List<String[]> links) {
            BatteryCode code = BatteryCode.parse(record.subject());
            JsonNode parent = record.dataField("parent");
            JsonNode sources = record.dataField("sources");
            if (sources != null && sources.isArray()) {
                sources.forEach(source -> links.add(new String[] {code.value(), source.asText()}));
            }
            return new BatteryStore.NewBattery(code.value(), code.level().code(), code.chemistry().code(), code.isCascade(), code.productionDate(),
                    record.actor(), parent != null && parent.isTextual() ? parent.textValue() : null, now);
        }
    }
}
