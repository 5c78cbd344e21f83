package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.ChainFacts;
import org.batterytrace.lifecycle.CodeKinds;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LotFacts;
import org.batterytrace.record.Chains;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;
import org.batterytrace.recycling.Metal;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.battery.BatteryStore;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.organization.ManufacturerCodeEntity;
import org.batterytrace.server.organization.OrganizationEntity;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.problem.Problems;
import org.batterytrace.server.recycling.LotStore;
import org.batterytrace.server.time.TraceClock;

/**
 * Accepts signed battery records: signatures, chain, lifecycle and custody rules, then one log append
 * and the battery heads, all in one transaction. A batch is all-or-nothing; every failing item is
 * reported. The log lock is taken before chains are read, so of two writers racing for one sequence
 * number exactly one wins and the other gets 409.
 */
@ApplicationScoped
public class RecordIngest {
    @Inject
    TraceClock clock;
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
    @Inject
    LotStore lotStore;
    @Inject
    Replays replays;

    /**
     * What the server acknowledged: the log index is durable once this is returned. {@code replayed}: the
     * identical record was logged before, and this is its original acknowledgement.
     */
    public record Accepted(String subject, long seq, String hash, long logIndex, BatteryState state, String custodian, boolean replayed) {
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
            throw new ProblemException(ProblemKind.EMPTY_BATCH, "no records to submit");
        }
        if (n > config.records().maxBulk()) {
            throw new ProblemException(ProblemKind.BATCH_TOO_LARGE, "at most " + config.records().maxBulk() + " records per request, got " + n);
        }
        ProblemException[] failures = new ProblemException[n];
        List<String> receivers = new ArrayList<>(n);
        Instant latest = clock.now().plus(config.records().maxClockSkew());
        int maxBytes = config.records().maxRecordBytes();
        for (int i = 0; i < n; i++) {
            TraceRecord record = records.get(i).record();
            receivers.add(receiver(record));
            failures[i] = records.get(i).canonicalBytes().length > maxBytes ? tooLarge(records.get(i), maxBytes) : staticCheck(record, caller, mode, latest);
        }
        Map<String, OrgKeyEntity> keys = signatures.keysFor(records);
        ProblemException[] signatureFailures = signatures.check(records, receivers, keys);
        for (int i = 0; i < n; i++) {
            if (failures[i] == null) {
                failures[i] = signatureFailures[i];
            }
        }
        Accepted[] replayed = new Accepted[n];
        if (n == 1 && failures[0] != null) {
            resolveReplays(records, caller, failures, replayed);
            if (replayed[0] != null) {
                return List.of(replayed[0]);
            }
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
        // Under the lock, so a twin committed a moment ago is found too.
        resolveReplays(records, caller, failures, replayed);
        rejectIfAny(failures, n);

        List<SignedRecord> fresh = new ArrayList<>(n);
        List<CustodyStatus> freshStatuses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (replayed[i] == null) {
                fresh.add(records.get(i));
                freshStatuses.add(statuses[i]);
            }
        }
        List<Accepted> stored = fresh.isEmpty() ? List.of()
                : chainer.persist(fresh, appender.append(fresh), freshStatuses.toArray(CustodyStatus[]::new));
        metrics.counter("trace.records.accepted").increment(fresh.size());
        if (fresh.size() == n) {
            return stored;
        }
        List<Accepted> answers = new ArrayList<>(n);
        java.util.Iterator<Accepted> next = stored.iterator();
        for (int i = 0; i < n; i++) {
            answers.add(replayed[i] != null ? replayed[i] : next.next());
        }
        return answers;
    }

    /** Failed items that are byte-for-byte resubmissions of logged records (by their own actor) become replays of their first acknowledgement. */
    private void resolveReplays(List<SignedRecord> records, String caller, ProblemException[] failures, Accepted[] replayed) {
        List<SignedRecord> candidates = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (failures[i] != null && records.get(i).record().actor().equals(caller)) {
                candidates.add(records.get(i));
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        Map<String, Accepted> acks = replays.find(candidates);
        for (int i = 0; i < records.size(); i++) {
            Accepted ack = failures[i] == null ? null : acks.get(records.get(i).hash());
            if (ack != null) {
                replayed[i] = ack;
                failures[i] = null;
            }
        }
    }

    /** A signed record over the size limit (413, as for a body over the limit). */
    public static ProblemException tooLarge(SignedRecord record, int maxBytes) {
        return new ProblemException(ProblemKind.RECORD_TOO_LARGE, "the signed record has " + record.canonicalBytes().length
                + " bytes in canonical form; at most " + maxBytes + " are accepted (put large documents elsewhere and reference them by hash)", null);
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
        throw new ProblemException(ProblemKind.BATCH_REJECTED, errors.size() + " of " + n + " records failed; nothing was stored", errors);
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
            return new ProblemException(ProblemKind.ACTOR_MISMATCH, "record.actor is " + record.actor() + " but the API token belongs to " + caller);
        }
        Optional<EventType> type = EventType.fromName(record.type());
        if (type.isEmpty()) {
            return new ProblemException(ProblemKind.UNKNOWN_EVENT_TYPE, "unknown record type " + record.type() + "; expected one of " + java.util.Arrays.toString(EventType.values()));
        }
        if (mode == Mode.REGISTRATION && !Lifecycle.rule(type.get()).isGenesis()) {
            return new ProblemException(ProblemKind.NOT_A_REGISTRATION, "battery registration takes PRODUCED or ASSEMBLED records, not " + record.type());
        }
        try {
            if (LotId.looksLikeLot(record.subject())) {
                LotId.parse(record.subject());
            } else {
                Optional<String> mismatch = CodeKinds.mismatch(type.get(), BatteryCode.parse(record.subject()));
                if (mismatch.isPresent()) {
                    return new ProblemException(ProblemKind.CODE_KIND_MISMATCH, mismatch.get());
                }
            }
            EventData.check(type.get(), record);
        } catch (RuntimeException e) {
            return Problems.from(e);
        }
        if (record.instant().isAfter(latest)) {
            return new ProblemException(ProblemKind.TIME_IN_FUTURE, "record.time " + record.time() + " is in the future");
        }
        if (type.get() == EventType.TRANSFERRED && receiver(record) == null) {
            return new ProblemException(ProblemKind.LIFECYCLE_VIOLATION, "a transfer must name its receiver in data.to");
        }
        return null;
    }

    /** Chain and lifecycle state of the batch's subjects (batteries and lots) while the batch is applied in order. */
    private final class Chainer {
        private final Map<String, ChainHead> heads = new HashMap<>();
        private final Map<String, OrganizationEntity> orgs = new HashMap<>();
        /** Manufacturer code -> the enterprise that filed it; and the enterprises that filed any. */
        private final Map<String, String> codeOwners = new HashMap<>();
        private final Set<String> filers = new HashSet<>();
        /** Earlier TESTED/CERTIFIED facts of the subjects this batch repurposes or deploys. */
        private final Map<String, ChainFacts> facts = new HashMap<>();
        /** Inputs so far of the lots this batch closes (a lot is closed only after something was recycled into it). */
        private final Map<String, LotFacts> lotFacts = new HashMap<>();
        private final Set<String> created = new LinkedHashSet<>();
        private final List<LotStore.NewLot> openedLots = new ArrayList<>();
        private final List<LotStore.Input> lotInputs = new ArrayList<>();
        private final List<LotStore.Assay> assays = new ArrayList<>();
        private final LocalDate today = clock.today();

        Chainer(List<SignedRecord> records) {
            Set<String> codes = new HashSet<>();
            Set<String> lots = new HashSet<>();
            Set<String> orgIds = new HashSet<>();
            Set<String> needFacts = new HashSet<>();
            Set<String> manufacturers = new HashSet<>();
            Set<String> closing = new HashSet<>();
            for (SignedRecord r : records) {
                TraceRecord record = r.record();
                if (LotId.looksLikeLot(record.subject())) {
                    lots.add(record.subject());
                } else {
                    codes.add(record.subject());
                    manufacturers.add(manufacturer(record.subject()));
                }
                orgIds.add(record.actor());
                String to = receiver(record);
                if (to != null) {
                    orgIds.add(to);
                }
                JsonNode parent = record.dataField("parent");
                if (parent != null && parent.isTextual()) {
                    codes.add(parent.textValue());
                }
                for (String member : List.of("sources", "components")) {
                    JsonNode list = record.dataField(member);
                    if (list != null && list.isArray()) {
                        list.forEach(code -> codes.add(code.asText()));
                    }
                }
                JsonNode lot = record.dataField("lot");
                if (lot != null && lot.isTextual()) {
                    lots.add(lot.textValue());
                }
                if (ChainFactTypes.NEEDED_BY.contains(record.type())) {
                    needFacts.add(record.subject());
                }
                if (EventType.LOT_CLOSED.name().equals(record.type())) {
                    closing.add(record.subject());
                }
            }
            lotStore.inputCounts(closing).forEach((lot, inputs) -> lotFacts.put(lot, LotFacts.withInputs(inputs)));
            for (ManufacturerCodeEntity m : ManufacturerCodeEntity.<ManufacturerCodeEntity>list("code in ?1 or orgId in ?2", manufacturers, orgIds)) {
                codeOwners.put(m.code, m.orgId);
                filers.add(m.orgId);
            }
            heads.putAll(batteryStore.heads(codes));
            heads.putAll(lotStore.heads(lots));
            OrganizationEntity.<OrganizationEntity>list("id in ?1", orgIds).forEach(o -> orgs.put(o.id, o));
            if (!needFacts.isEmpty()) {
                needFacts.forEach(subject -> facts.put(subject, new ChainFacts()));
                List<LogEntryEntity> earlier = LogEntryEntity.list("subject in ?1 and type in ?2 order by subject, seq", needFacts, ChainFactTypes.OBSERVED);
                for (LogEntryEntity e : earlier) {
                    facts.get(e.subject).observe(EventType.valueOf(e.type), e.signedRecord().record());
                }
            }
        }

        CustodyStatus apply(SignedRecord signed, String receiver) {
            TraceRecord record = signed.record();
            EventType type = EventType.fromName(record.type()).orElseThrow();
            OrganizationEntity actor = orgs.get(record.actor());
            if (actor == null) {
                // Callers pass only records whose actor is the caller (or the custodian, for accepted transfers): both registered.
                throw new ProblemException(ProblemKind.ACTOR_MISMATCH, "actor " + record.actor() + " is not a registered organization");
            }
            boolean lot = LotId.looksLikeLot(record.subject());
            String kind = lot ? "lot" : "battery";
            ChainHead head = heads.get(record.subject());
            if (Lifecycle.rule(type).isGenesis()) {
                if (head != null) {
                    throw new ProblemException(lot ? ProblemKind.LOT_EXISTS : ProblemKind.BATTERY_EXISTS, kind + " " + record.subject() + " is already registered");
                }
                Chains.checkNext(record.subject(), 0, null, record);
                checkLinks(record, type);
            } else {
                if (head == null) {
                    throw new ProblemException(lot ? ProblemKind.LOT_NOT_FOUND : ProblemKind.BATTERY_NOT_FOUND, "no " + kind + " " + record.subject() + "; open its chain with PRODUCED, ASSEMBLED or LOT_OPENED first");
                }
                Chains.checkNext(record.subject(), head.seq(), head.hash(), head.time(), record);
            }
            CustodyStatus current = head == null ? null : new CustodyStatus(head.state(), head.custodian());
            if (type == EventType.TRANSFERRED) {
                checkReceiver(record, receiver, current);
            }
            CustodyStatus next = Lifecycle.apply(current, type, record.actor(), actor.roleSet(), receiver);
            ChainFacts chainFacts = facts.get(record.subject());
            if (chainFacts != null) {
                chainFacts.check(type, record, current);
            }
            checkMaterialFlow(record, type, head);
            // Everything checked: now the batch's view of this chain moves on.
            if (chainFacts != null) {
                chainFacts.observe(type, record);
            }
            collectLotRows(record, type);
            if (type == EventType.RECYCLED && lotFacts.containsKey(record.dataField("lot").textValue())) {
                lotFacts.get(record.dataField("lot").textValue()).observeInput();
            }
            String parent = head != null ? head.parent() : text(record.dataField("parent"));
            heads.put(record.subject(), new ChainHead(record.seq(), signed.hash(), next.state(), next.custodian(), record.instant(), parent));
            if (head == null) {
                created.add(record.subject());
            }
            return next;
        }

        /** Dismantling, separation and recycling must agree with the chains they refer to. */
        private void checkMaterialFlow(TraceRecord record, EventType type, ChainHead head) {
            switch (type) {
                case DISMANTLED -> record.dataField("components").forEach(component -> {
                    ChainHead c = heads.get(component.asText());
                    if (c == null || !record.subject().equals(c.parent())) {
                        throw new ProblemException(ProblemKind.PART_NOT_REGISTERED, "component " + component.asText() + " is not registered as part of " + record.subject());
                    }
                });
                case SEPARATED -> {
                    String parent = record.dataField("parent").textValue();
                    if (!parent.equals(head.parent())) {
                        throw new ProblemException(ProblemKind.PART_OF_ANOTHER_PARENT, record.subject() + " is registered as part of " + head.parent() + ", not " + parent);
                    }
                    ChainHead p = heads.get(parent);
                    if (p == null || p.state() != BatteryState.DISMANTLED || !p.custodian().equals(record.actor())) {
                        throw new ProblemException(ProblemKind.PARENT_NOT_DISMANTLED, "only the organization that DISMANTLED " + parent + " may separate its parts; it is "
                                + (p == null ? "unknown" : p.state() + " at " + p.custodian()));
                    }
                }
                case RECYCLED -> {
                    String lotId = record.dataField("lot").textValue();
                    ChainHead lot = heads.get(lotId);
                    if (lot == null || lot.state() != BatteryState.LOT_OPEN || !lot.custodian().equals(record.actor())) {
                        throw new ProblemException(ProblemKind.LOT_NOT_OPEN, "batteries can only be RECYCLED into an open lot of the recycler's own; " + lotId + " is "
                                + (lot == null ? "unknown" : lot.state() + " at " + lot.custodian()));
                    }
                }
                case LOT_CLOSED -> lotFacts.get(record.subject()).check(type, record.subject());
                default -> {
                }
            }
        }

        private void collectLotRows(TraceRecord record, EventType type) {
            switch (type) {
                case LOT_OPENED -> openedLots.add(new LotStore.NewLot(record.subject(), record.actor(), record.dataField("process").textValue(), record.instant()));
                case RECYCLED -> lotInputs.add(new LotStore.Input(record.subject(), record.dataField("lot").textValue(), record.dataField("massGrams").longValue(),
                        record.instant()));
                case LOT_CLOSED -> {
                    Map<Metal, Long> contained = EventData.metals(record.data(), "contained");
                    Map<Metal, Long> recovered = EventData.metals(record.data(), "recovered");
                    contained.forEach((metal, grams) -> assays.add(new LotStore.Assay(record.subject(), metal, grams, recovered.getOrDefault(metal, 0L))));
                }
                default -> {
                }
            }
        }

        private void checkReceiver(TraceRecord record, String receiver, CustodyStatus current) {
            ReceiverRule.check(record.subject(), receiver, orgs.get(receiver), current == null ? null : current.state(), today);
        }

        private void checkLinks(TraceRecord record, EventType type) {
            if (type == EventType.PRODUCED || type == EventType.ASSEMBLED) {
                String manufacturer = manufacturer(record.subject());
                String owner = codeOwners.get(manufacturer);
                if (owner != null && !owner.equals(record.actor())) {
                    throw new ProblemException(ProblemKind.MANUFACTURER_CODE_MISMATCH, "manufacturer code " + manufacturer + " is filed by " + owner + ", not " + record.actor());
                }
                if (owner == null && filers.contains(record.actor())) {
                    throw new ProblemException(ProblemKind.MANUFACTURER_CODE_MISMATCH, record.actor() + " files its own manufacturer codes; " + manufacturer
                            + " is not one of them");
                }
            }
            JsonNode parent = record.dataField("parent");
            if (type == EventType.PRODUCED && parent != null && !parent.isNull()) {
                BatteryCode child = BatteryCode.parse(record.subject());
                BatteryCode parentCode = BatteryCode.parse(parent.asText());
                Optional<String> mismatch = CodeKinds.partMismatch(child, parentCode);
                if (mismatch.isPresent()) {
                    throw new ProblemException(ProblemKind.LEVEL_MISMATCH, mismatch.get());
                }
                if (!heads.containsKey(parentCode.value())) {
                    throw new ProblemException(ProblemKind.PARENT_NOT_REGISTERED, "parent " + parentCode + " is not registered (register packs before their modules and cells)");
                }
            }
            if (type == EventType.ASSEMBLED) {
                for (JsonNode source : record.dataField("sources")) {
                    ChainHead h = heads.get(source.asText());
                    if (h == null) {
                        throw new ProblemException(ProblemKind.SOURCE_NOT_REGISTERED, "source battery " + source.asText() + " is not registered");
                    }
                    if (h.state() != BatteryState.REPURPOSED || !h.custodian().equals(record.actor())) {
                        throw new ProblemException(ProblemKind.SOURCE_NOT_REPURPOSED, "source battery " + source.asText() + " must be REPURPOSED by " + record.actor()
                                + " first; it is " + h.state() + " at " + h.custodian());
                    }
                }
            }
        }

        List<Accepted> persist(List<SignedRecord> records, long[] indexes, CustodyStatus[] statuses) {
            Instant now = clock.now();
            List<Accepted> accepted = new ArrayList<>(records.size());
            List<BatteryStore.NewBattery> fresh = new ArrayList<>();
            List<String[]> links = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                TraceRecord record = records.get(i).record();
                if (created.contains(record.subject()) && record.seq() == 1 && !LotId.looksLikeLot(record.subject())) {
                    fresh.add(newBattery(record, now, links));
                }
                accepted.add(new Accepted(record.subject(), record.seq(), records.get(i).hash(), indexes[i], statuses[i].state(), statuses[i].custodian(), false));
            }
            List<BatteryStore.Update> updates = new ArrayList<>();
            Map<String, ChainHead> lotHeads = new HashMap<>();
            Set<String> touched = new LinkedHashSet<>();
            records.forEach(r -> touched.add(r.record().subject()));
            for (String subject : touched) {
                if (LotId.looksLikeLot(subject)) {
                    lotHeads.put(subject, heads.get(subject));
                } else {
                    updates.add(new BatteryStore.Update(subject, heads.get(subject)));
                }
            }
            batteryStore.write(fresh, updates, links);
            if (!lotHeads.isEmpty() || !lotInputs.isEmpty()) {
                lotStore.write(openedLots, lotHeads, lotInputs, assays);
            }
            return accepted;
        }

        private BatteryStore.NewBattery newBattery(TraceRecord record, Instant now, List<String[]> links) {
            BatteryCode code = BatteryCode.parse(record.subject());
            JsonNode mass = record.dataField("massGrams");
            JsonNode sources = record.dataField("sources");
            if (sources != null && sources.isArray()) {
                sources.forEach(source -> links.add(new String[] {code.value(), source.asText()}));
            }
            return new BatteryStore.NewBattery(code.value(), code.level().code(), code.chemistry().code(), code.isCascade(), code.productionDate(),
                    record.actor(), text(record.dataField("parent")), mass == null ? null : mass.longValue(), now);
        }
    }

    /** The GB/T 34014 manufacturer segment of an already-validated battery code. */
    private static String manufacturer(String code) {
        return code.substring(0, 3);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
