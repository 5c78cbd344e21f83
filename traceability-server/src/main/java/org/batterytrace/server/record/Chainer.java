package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.ChainFacts;
import org.batterytrace.lifecycle.CodeKinds;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LinkRules;
import org.batterytrace.lifecycle.LotFacts;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.organization.OrganizationRules;
import org.batterytrace.record.Chains;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;
import org.batterytrace.recycling.Metal;
import org.batterytrace.server.battery.BatteryStore;
import org.batterytrace.server.facts.Facts;
import org.batterytrace.server.log.LogEntryEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.recycling.LotStore;

/**
 * Chain and lifecycle state of the batteries and lots one log transaction touches, loaded once for all
 * of its records, while the records are applied in order. Each request is applied as an
 * {@link Attempt}: its view of the chains moves on record by record, and becomes the transaction's
 * only if the whole request passes, so a failing request leaves no trace for the requests after it.
 * Runs under the log lock.
 */
final class Chainer {
    /**
     * What the rules need to know about organizations: the facts ({@link OrganizationFacts}) of the actors
     * and receivers, and who filed the manufacturer codes of the records' subjects. Read before the log
     * lock, on each request's own thread, from {@link Facts}; a request checked against facts older than
     * the lock's is checked again under it (RecordIngest), so every record is judged by the facts logged
     * before it, as the offline verifier judges it.
     */
    record OrgFacts(Map<String, OrganizationFacts> orgs, Map<String, String> codeOwners) {
        static OrgFacts of(List<SignedRecord> records, Facts facts) {
            Set<String> orgIds = new HashSet<>();
            Set<String> manufacturers = new HashSet<>();
            for (SignedRecord r : records) {
                TraceRecord record = r.record();
                orgIds.add(record.actor());
                String to = RecordIngest.receiver(record);
                if (to != null) {
                    orgIds.add(to);
                }
                if (!LotId.looksLikeLot(record.subject()) && record.subject().length() >= 3) {
                    manufacturers.add(OrganizationRules.manufacturerOf(record.subject()));
                }
            }
            return new OrgFacts(facts.organizations(orgIds), facts.codeOwners(manufacturers));
        }
    }

    private final BatteryStore batteryStore;
    private final LotStore lotStore;
    private final Map<String, OrganizationFacts> orgs = new HashMap<>();
    /** Manufacturer code -> the enterprise that filed it. */
    private final Map<String, String> codeOwners = new HashMap<>();
    /** The state the kept requests left (and, before any, what was loaded): heads, chain and lot facts, rows to write. */
    private final State kept = new State();
    /** Battery rows this transaction wrote before the lock ({@link BatteryRowsAhead}): not heads of earlier records. */
    private final Map<String, ChainHead> writtenAhead;

    /**
     * Loads, under the log lock, the chain heads and facts the records need; {@code orgFacts} are current (see
     * {@link OrgFacts}). The rows in {@code writtenAhead} are this transaction's own, so they are not read as heads.
     */
    Chainer(List<SignedRecord> records, List<OrgFacts> orgFacts, Map<String, ChainHead> writtenAhead, BatteryStore batteryStore, LotStore lotStore) {
        this.batteryStore = batteryStore;
        this.lotStore = lotStore;
        this.writtenAhead = writtenAhead;
        for (OrgFacts f : orgFacts) {
            orgs.putAll(f.orgs());
            codeOwners.putAll(f.codeOwners());
        }
        Set<String> codes = new HashSet<>();
        Set<String> lots = new HashSet<>();
        Set<String> needFacts = new HashSet<>();
        Set<String> closing = new HashSet<>();
        for (SignedRecord r : records) {
            TraceRecord record = r.record();
            if (LotId.looksLikeLot(record.subject())) {
                lots.add(record.subject());
            } else {
                codes.add(record.subject());
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
        lotStore.inputCounts(closing).forEach((lot, inputs) -> kept.lotFacts.put(lot, LotFacts.withInputs(inputs)));
        codes.removeAll(writtenAhead.keySet());
        kept.heads.putAll(batteryStore.heads(codes));
        kept.heads.putAll(lotStore.heads(lots));
        if (!needFacts.isEmpty()) {
            needFacts.forEach(subject -> kept.facts.put(subject, new ChainFacts()));
            List<LogEntryEntity> earlier = LogEntryEntity.list("subject in ?1 and type in ?2 order by subject, seq", needFacts, ChainFactTypes.OBSERVED);
            for (LogEntryEntity e : earlier) {
                kept.facts.get(e.subject).observe(EventType.valueOf(e.type), e.signedRecord().record());
            }
        }
    }

    /**
     * What applying records changes: chain heads, the chain and lot facts they observed, and the rows to
     * write. The transaction keeps one; each request's attempt collects its own on top of it.
     */
    private static final class State {
        final Map<String, ChainHead> heads = new HashMap<>();
        /** Earlier TESTED/CERTIFIED facts of the subjects the records repurpose or deploy. */
        final Map<String, ChainFacts> facts = new HashMap<>();
        /** Inputs so far of the lots the records close (a lot is closed only after something was recycled into it). */
        final Map<String, LotFacts> lotFacts = new HashMap<>();
        final Set<String> created = new LinkedHashSet<>();
        final List<LotStore.NewLot> openedLots = new ArrayList<>();
        final List<LotStore.Input> lotInputs = new ArrayList<>();
        final List<LotStore.Assay> assays = new ArrayList<>();

        /** Takes over {@code later}'s changes, which were made on top of this state. */
        void absorb(State later) {
            heads.putAll(later.heads);
            facts.putAll(later.facts);
            lotFacts.putAll(later.lotFacts);
            created.addAll(later.created);
            openedLots.addAll(later.openedLots);
            lotInputs.addAll(later.lotInputs);
            assays.addAll(later.assays);
        }
    }

    /** A request's tentative view of the chains, on top of the requests applied before it. */
    Attempt attempt() {
        return new Attempt();
    }

    /** One request's changes: kept apart until {@link #keep()}, dropped by simply not keeping them. */
    final class Attempt {
        private final State own = new State();

        /** The request passed: its changes become the transaction's. */
        void keep() {
            kept.absorb(own);
        }

        private ChainHead head(String subject) {
            ChainHead changed = own.heads.get(subject);
            return changed != null ? changed : kept.heads.get(subject);
        }

        /** Copied on first use, so what this request observes stays its own. */
        private ChainFacts facts(String subject) {
            return own.facts.computeIfAbsent(subject, s -> {
                ChainFacts shared = kept.facts.get(s);
                return shared == null ? null : shared.copy();
            });
        }

        private LotFacts lotFacts(String lot) {
            return own.lotFacts.computeIfAbsent(lot, l -> {
                LotFacts shared = kept.lotFacts.get(l);
                return shared == null ? null : shared.copy();
            });
        }

        CustodyStatus apply(SignedRecord signed, String receiver) {
            TraceRecord record = signed.record();
            EventType type = EventType.fromName(record.type()).orElseThrow();
            OrganizationFacts actor = orgs.get(record.actor());
            if (actor == null) {
                // Callers pass only records whose actor is the caller (or the custodian, for accepted transfers): both registered.
                throw new ProblemException(ProblemKind.ACTOR_MISMATCH, "actor " + record.actor() + " is not a registered organization");
            }
            boolean lot = LotId.looksLikeLot(record.subject());
            String kind = lot ? "lot" : "battery";
            ChainHead head = head(record.subject());
            if (Lifecycle.rule(type).isGenesis()) {
                if (head != null) {
                    throw new ProblemException(lot ? ProblemKind.LOT_EXISTS : ProblemKind.BATTERY_EXISTS, kind + " " + record.subject() + " is already registered");
                }
                Chains.checkNext(record.subject(), 0, null, record);
                checkLinks(record, type, actor);
            } else {
                if (head == null) {
                    throw new ProblemException(lot ? ProblemKind.LOT_NOT_FOUND : ProblemKind.BATTERY_NOT_FOUND, "no " + kind + " " + record.subject()
                            + "; open its chain with PRODUCED, ASSEMBLED or LOT_OPENED first");
                }
                Chains.checkNext(record.subject(), head.seq(), head.hash(), head.time(), record);
            }
            CustodyStatus current = head == null ? null : new CustodyStatus(head.state(), head.custodian());
            if (type == EventType.TRANSFERRED) {
                OrganizationChecks.receiver(record.subject(), receiver, orgs.get(receiver), current == null ? null : current.state(), ChinaTime.date(record.instant()));
            }
            CustodyStatus next = Lifecycle.apply(current, type, record.actor(), actor.roles(), receiver);
            ChainFacts chainFacts = facts(record.subject());
            if (chainFacts != null) {
                chainFacts.check(type, record, current);
            }
            checkMaterialFlow(record, type, head);
            // Everything checked: now this request's view of the chain moves on.
            if (chainFacts != null) {
                chainFacts.observe(type, record);
            }
            collectLotRows(record, type);
            if (type == EventType.RECYCLED) {
                LotFacts inputs = lotFacts(record.dataField("lot").textValue());
                if (inputs != null) {
                    inputs.observeInput();
                }
            }
            String parent = head != null ? head.parent() : text(record.dataField("parent"));
            own.heads.put(record.subject(), new ChainHead(record.seq(), signed.hash(), next.state(), next.custodian(), record.instant(), parent));
            if (head == null) {
                own.created.add(record.subject());
            }
            return next;
        }

        /** Dismantling, separation and recycling must agree with the chains they refer to ({@link LinkRules}). */
        private void checkMaterialFlow(TraceRecord record, EventType type, ChainHead head) {
            if (type == EventType.LOT_CLOSED) {
                lotFacts(record.subject()).check(type, record.subject());
            } else if (!Lifecycle.rule(type).isGenesis()) {
                checkLinkRules(record, type, head == null ? null : head.parent());
            }
        }

        private void checkLinkRules(TraceRecord record, EventType type, String ownParent) {
            LinkRules.check(record, type, ownParent, subject -> {
                ChainHead h = head(subject);
                return h == null ? null : new LinkRules.Linked(h.state(), h.custodian(), h.parent());
            }).ifPresent(f -> {
                throw new ProblemException(ProblemKind.valueOf(f.violation().name()), f.message());
            });
        }

        private void collectLotRows(TraceRecord record, EventType type) {
            switch (type) {
                case LOT_OPENED -> own.openedLots.add(new LotStore.NewLot(record.subject(), record.actor(), record.dataField("process").textValue(), record.instant()));
                case RECYCLED -> own.lotInputs.add(new LotStore.Input(record.subject(), record.dataField("lot").textValue(), record.dataField("massGrams").longValue(),
                        record.instant()));
                case LOT_CLOSED -> {
                    Map<Metal, Long> contained = EventData.metals(record.data(), "contained");
                    Map<Metal, Long> recovered = EventData.metals(record.data(), "recovered");
                    contained.forEach((metal, grams) -> own.assays.add(new LotStore.Assay(record.subject(), metal, grams, recovered.getOrDefault(metal, 0L))));
                }
                default -> {
                }
            }
        }

        private void checkLinks(TraceRecord record, EventType type, OrganizationFacts actor) {
            if (type == EventType.PRODUCED || type == EventType.ASSEMBLED) {
                String manufacturer = OrganizationRules.manufacturerOf(record.subject());
                OrganizationChecks.manufacturerCode(manufacturer, codeOwners.get(manufacturer), actor);
            }
            JsonNode parent = record.dataField("parent");
            if (type == EventType.PRODUCED && parent != null && !parent.isNull()) {
                BatteryCode child = BatteryCode.parse(record.subject());
                BatteryCode parentCode = BatteryCode.parse(parent.asText());
                Optional<String> mismatch = CodeKinds.partMismatch(child, parentCode);
                if (mismatch.isPresent()) {
                    throw new ProblemException(ProblemKind.LEVEL_MISMATCH, mismatch.get());
                }
            }
            checkLinkRules(record, type, null);
        }
    }

    /**
     * Writes the battery and lot rows of the kept records, which the log has just appended at
     * {@code indexes}, and returns their acknowledgements.
     */
    List<RecordIngest.Accepted> persist(List<SignedRecord> records, long[] indexes, List<CustodyStatus> statuses, Instant now) {
        List<RecordIngest.Accepted> accepted = new ArrayList<>(records.size());
        List<BatteryStore.NewBattery> fresh = new ArrayList<>();
        List<String[]> links = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            TraceRecord record = records.get(i).record();
            if (kept.created.contains(record.subject()) && record.seq() == 1 && !LotId.looksLikeLot(record.subject())) {
                fresh.add(newBattery(record, now, links));
            }
            CustodyStatus status = statuses.get(i);
            accepted.add(new RecordIngest.Accepted(record.subject(), record.seq(), records.get(i).hash(), indexes[i], status.state(), status.custodian(), false));
        }
        List<BatteryStore.Update> updates = new ArrayList<>();
        Map<String, ChainHead> lotHeads = new HashMap<>();
        Set<String> touched = new LinkedHashSet<>();
        records.forEach(r -> touched.add(r.record().subject()));
        for (String subject : touched) {
            if (LotId.looksLikeLot(subject)) {
                lotHeads.put(subject, kept.heads.get(subject));
            } else {
                updates.add(new BatteryStore.Update(subject, kept.heads.get(subject)));
            }
        }
        batteryStore.write(fresh, updates, links, writtenAhead);
        if (!lotHeads.isEmpty() || !kept.lotInputs.isEmpty()) {
            lotStore.write(kept.openedLots, lotHeads, kept.lotInputs, kept.assays);
        }
        return accepted;
    }

    static BatteryStore.NewBattery newBattery(TraceRecord record, Instant now, List<String[]> links) {
        BatteryCode code = BatteryCode.parse(record.subject());
        JsonNode mass = record.dataField("massGrams");
        JsonNode sources = record.dataField("sources");
        if (sources != null && sources.isArray()) {
            sources.forEach(source -> links.add(new String[] {code.value(), source.asText()}));
        }
        return new BatteryStore.NewBattery(code.value(), code.level().code(), code.chemistry().code(), code.isCascade(), code.productionDate(),
                record.actor(), text(record.dataField("parent")), mass == null ? null : mass.longValue(), now);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
