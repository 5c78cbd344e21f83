package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.CodeKinds;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.record.Chains;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.auth.Caller;
import org.batterytrace.server.battery.BatteryStore;
import org.batterytrace.server.facts.Facts;
import org.batterytrace.server.facts.FactsCache;
import org.batterytrace.server.facts.KeyFacts;
import org.batterytrace.server.log.TransparencyLog;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.problem.Problems;
import org.batterytrace.server.recycling.LotStore;
import org.batterytrace.server.time.TraceClock;

/**
 * Accepts signed battery records: form and signatures first, without a lock, on the request's thread;
 * then, under the log lock, chain, lifecycle and custody rules ({@link Chainer}), one log append and the
 * battery and lot rows, in one transaction shared with concurrent requests ({@link GroupCommit}). A
 * request is all-or-nothing, every failing item is reported, and a refused request never fails its
 * neighbours. The log lock is taken before chains are read, so of two writers racing for one sequence
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
    @Inject
    GroupCommit groupCommit;
    @Inject
    FactsCache facts;
    @Inject
    TransactionJdbc jdbc;

    /** How single records were taken in: a count of "worker" that keeps growing means facts keep missing the cache. */
    private Counter singlesOnEventLoops;
    private Counter singlesOnWorkers;

    @PostConstruct
    void registerMeters() {
        singlesOnEventLoops = metrics.counter("trace.records.single", "thread", "event-loop");
        singlesOnWorkers = metrics.counter("trace.records.single", "thread", "worker");
    }

    /**
     * What the server acknowledged: the log index is durable once this is returned. {@code replayed}: the
     * identical record was logged before, and this is its original acknowledgement.
     */
    public record Accepted(String subject, long seq, String hash, long logIndex, BatteryState state, String custodian, boolean replayed) {
        Accepted asReplay() {
            return new Accepted(subject, seq, hash, logIndex, state, custodian, true);
        }
    }

    /** How a batch may be used: any record, or battery registration only. */
    public enum Mode {
        ANY, REGISTRATION
    }

    /**
     * A request's records after the checks that need no lock (form, actor, event data, signatures): one
     * failure (or null) per record. Chains are checked later, under the lock, even for items that already
     * failed, so a bulk report lists every problem.
     */
    public record Submission(List<SignedRecord> records, Caller.Credential caller, Mode mode, List<String> receivers, ProblemException[] failures,
            Chainer.OrgFacts orgFacts, long factsVersion, ProblemException refusal) {
        public int size() {
            return records.size();
        }

        /** This submission refused as a whole ({@code refusal}), before any of its records is looked at. */
        Submission refused(ProblemException refusal) {
            return new Submission(records, caller, mode, receivers, failures, new Chainer.OrgFacts(Map.of(), Map.of()), factsVersion, refusal);
        }
    }

    /** What became of one request of a log transaction: its acknowledgements, or the one problem that refused all of it. */
    public record Outcome(List<Accepted> accepted, ProblemException failure) {
        List<Accepted> orThrow() {
            if (failure != null) {
                throw failure;
            }
            return accepted;
        }
    }

    /**
     * Records submitted by {@code caller}, who must be each record's actor: checked here, on the request's
     * thread, then logged by the group commit together with concurrent requests ({@link GroupCommit}).
     */
    public List<Accepted> submit(List<SignedRecord> records, Caller.Credential caller, Mode mode) {
        // Against the facts in memory: usually no query at all. One that misses reads in a short transaction of its
        // own, which returns its connection before the request waits for the group.
        Submission submission = precheck(records, caller, mode, facts.cached());
        if (submission.size() == 1 && submission.failures()[0] != null) {
            return List.of(QuarkusTransaction.joiningExisting().call(() -> replayOrThrow(submission)));
        }
        if (groupCommit.enabled()) {
            return groupCommit.submit(submission);
        }
        return QuarkusTransaction.requiringNew().call(() -> applyGroup(List.of(submission)).get(0)).orThrow();
    }

    /**
     * One record checked and queued without waiting, for a thread that must not wait (an HTTP event loop): its
     * answer completes when its group commits. Null when that would need the database — a fact not in memory, or a
     * record the checks refuse, which may be a retry of a logged one — or when group commit is off: then
     * {@link #submit} it on a worker thread.
     */
    public CompletableFuture<Accepted> submitFromMemory(SignedRecord record, Caller.Credential caller) {
        Submission submission = null;
        if (groupCommit.enabled()) {
            try {
                Submission checked = precheck(List.of(record), caller, Mode.ANY, facts.inMemory());
                submission = checked.failures()[0] == null ? checked : null;
            } catch (FactsCache.NotInMemory e) {
                // submitted on a worker thread instead
            }
        }
        (submission == null ? singlesOnWorkers : singlesOnEventLoops).increment();
        return submission == null ? null : groupCommit.enqueue(submission).thenApply(accepted -> accepted.get(0));
    }

    /** The receiver's acceptance completes a transfer offer; the actor is the offering custodian. Logged in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Accepted appendTransfer(SignedRecord transfer) {
        Submission submission = precheck(List.of(transfer), new Caller.Credential(transfer.record().actor(), null), Mode.ANY, facts.cached());
        if (submission.failures()[0] != null) {
            return replayOrThrow(submission);
        }
        return applyGroup(List.of(submission)).get(0).orThrow().get(0);
    }

    /** Time spent in each phase of a log transaction ({@code trace.log.group.phase}), to see what the lock is held for. */
    private void phase(String name, long nanos) {
        metrics.timer("trace.log.group.phase", "phase", name).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A lone record that fails before the lock may still be a retry of a logged one: then its first acknowledgement. */
    private Accepted replayOrThrow(Submission submission) {
        ProblemException[] failures = submission.failures().clone();
        Accepted[] replayed = new Accepted[1];
        resolveReplays(submission.records(), submission.caller().orgId(), failures, replayed, Set.of(), new String[1]);
        if (replayed[0] != null) {
            return replayed[0];
        }
        throw failures[0];
    }

    /**
     * The checks that need no lock: size, actor, form, event data, keys and signatures, against {@code facts};
     * the log transaction checks again if the facts changed since ({@link #current}).
     */
    Submission precheck(List<SignedRecord> records, Caller.Credential caller, Mode mode, Facts facts) {
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
            failures[i] = records.get(i).canonicalBytes().length > maxBytes ? tooLarge(records.get(i), maxBytes) : staticCheck(record, caller.orgId(), mode, latest);
        }
        Map<String, KeyFacts> keys = signatures.keysFor(records, facts);
        ProblemException[] signatureFailures = signatures.check(records, receivers, keys);
        for (int i = 0; i < n; i++) {
            if (failures[i] == null) {
                failures[i] = signatureFailures[i];
            }
        }
        return new Submission(records, caller, mode, receivers, failures, Chainer.OrgFacts.of(records, facts), facts.version(), null);
    }

    /**
     * The submission as the facts at the lock judge it: a key, token or organization changed since its
     * checks means they run again, against the database, now that no change can come in between. The
     * signatures are verified again then too; that happens only when a fact changed while it waited.
     */
    private Submission current(Submission submission, long factsVersion) {
        if (submission.factsVersion() == factsVersion) {
            return submission;
        }
        Facts fresh = facts.fresh(factsVersion);
        String tokenHash = submission.caller().tokenHash();
        if (tokenHash != null && !fresh.tokenOwner(tokenHash).filter(submission.caller().orgId()::equals).isPresent()) {
            return submission.refused(ProblemException.unauthorized("the API token was revoked before this request was logged"));
        }
        return precheck(submission.records(), submission.caller(), submission.mode(), fresh);
    }

    /**
     * Logs a group of pre-checked requests in the current transaction: takes the log lock, loads the
     * chains of all their records once, applies each request in turn as an all-or-nothing attempt (a
     * refused request changes nothing its successors see), then appends every accepted record and
     * writes the battery and lot rows. A record repeated from an earlier request of the same group is
     * answered like any resubmission: with that request's acknowledgement.
     */
    List<Outcome> applyGroup(List<Submission> submitted) {
        return applyGroup(submitted, Map.of(), null);
    }

    /**
     * A bulk request in a transaction of its own ({@link GroupCommit}'s bulk writers, PostgreSQL): the rows of the
     * batteries it registers go in before the log lock ({@link BatteryRowsAhead}); if they give way, or if the
     * request is refused, that transaction rolls back, and a request that gave way is logged the usual way.
     */
    Outcome logBulk(Submission submission) {
        Optional<BatteryRowsAhead> ahead = BatteryRowsAhead.of(submission, clock.now());
        if (ahead.isPresent()) {
            boolean[] turn = new boolean[1];
            try {
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
                    long holdMillis = BatteryRowsAhead.holdMillis(jdbc.postgresSetting("deadlock_timeout"));
                    BatteryRowsAhead.Hold hold = BatteryRowsAhead.Hold.start(holdMillis);
                    batteryStore.insertAhead(ahead.get().batteries(), ahead.get().heads(), holdMillis);
                    phase("rows ahead", System.nanoTime() - hold.startNanos());
                    turn[0] = groupCommit.takeBulkTurn(hold.millisLeft());
                    if (!turn[0]) {
                        throw new BatteryRowsAhead.TurnNotHad();
                    }
                    Outcome logged = applyGroup(List.of(submission), ahead.get().heads(), hold).get(0);
                    if (logged.failure() != null) {
                        throw new RolledBack(logged);
                    }
                    return logged;
                });
                metrics.counter("trace.log.rows.ahead", "outcome", "written").increment();
                return outcome;
            } catch (RolledBack refused) {
                metrics.counter("trace.log.rows.ahead", "outcome", "refused").increment();
                return refused.outcome;
            } catch (RuntimeException e) {
                if (!BatteryRowsAhead.gaveWay(e)) {
                    throw e;
                }
                metrics.counter("trace.log.rows.ahead", "outcome", "gave-way").increment();
            } finally {
                if (turn[0]) {
                    groupCommit.endBulkTurn();
                }
            }
        }
        // Holding no rows ahead, this wait can block nobody.
        groupCommit.awaitBulkTurn();
        try {
            return QuarkusTransaction.requiringNew().call(() -> applyGroup(List.of(submission)).get(0));
        } finally {
            groupCommit.endBulkTurn();
        }
    }

    /** Carries a refused request's outcome out of its transaction, which rolls back the rows written ahead. */
    private static final class RolledBack extends RuntimeException {
        final transient Outcome outcome;

        RolledBack(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** {@code hold}: the budget of the rows written ahead ({@link BatteryRowsAhead}), which bounds the wait for the lock; null when none were. */
    private List<Outcome> applyGroup(List<Submission> submitted, Map<String, ChainHead> writtenAhead, BatteryRowsAhead.Hold hold) {
        long t0 = System.nanoTime();
        TransparencyLog.Appender appender = hold == null ? log.lock() : log.lockWithin(hold.millisLeft());
        long t1 = System.nanoTime();
        facts.observe(appender.factsVersion());
        List<Submission> group = submitted.stream().map(s -> current(s, appender.factsVersion())).toList();
        List<SignedRecord> all = new ArrayList<>();
        group.forEach(s -> all.addAll(s.records()));
        Chainer chainer = new Chainer(all, group.stream().map(Submission::orgFacts).toList(), writtenAhead, batteryStore, lotStore);
        long t2 = System.nanoTime();

        List<SignedRecord> fresh = new ArrayList<>();
        List<CustodyStatus> freshStatuses = new ArrayList<>();
        Set<String> freshHashes = new HashSet<>();
        ProblemException[] refused = new ProblemException[group.size()];
        Accepted[][] replayed = new Accepted[group.size()][];
        String[][] repeats = new String[group.size()][];
        for (int j = 0; j < group.size(); j++) {
            Submission submission = group.get(j);
            if (submission.refusal() != null) {
                refused[j] = submission.refusal();
                continue;
            }
            int n = submission.size();
            ProblemException[] failures = submission.failures().clone();
            CustodyStatus[] statuses = new CustodyStatus[n];
            Chainer.Attempt attempt = chainer.attempt();
            for (int i = 0; i < n; i++) {
                if (failures[i] != null) {
                    continue;
                }
                try {
                    statuses[i] = attempt.apply(submission.records().get(i), submission.receivers().get(i));
                } catch (RuntimeException e) {
                    failures[i] = Problems.from(e);
                }
            }
            // Under the lock, so a twin committed a moment ago (or accepted earlier in this group) is found too.
            replayed[j] = new Accepted[n];
            repeats[j] = new String[n];
            resolveReplays(submission.records(), submission.caller().orgId(), failures, replayed[j], freshHashes, repeats[j]);
            refused[j] = rejection(failures);
            if (refused[j] != null) {
                continue;
            }
            attempt.keep();
            for (int i = 0; i < n; i++) {
                if (replayed[j][i] == null && repeats[j][i] == null) {
                    SignedRecord record = submission.records().get(i);
                    fresh.add(record);
                    freshStatuses.add(statuses[i]);
                    freshHashes.add(record.hash());
                }
            }
        }

        long t3 = System.nanoTime();
        long[] indexes = appender.append(fresh);
        long t4 = System.nanoTime();
        List<Accepted> stored = fresh.isEmpty() ? List.of() : chainer.persist(fresh, indexes, freshStatuses, clock.now());
        long t5 = System.nanoTime();
        phase("lock", t1 - t0);
        phase("load", t2 - t1);
        phase("rules", t3 - t2);
        phase("append", t4 - t3);
        phase("rows", t5 - t4);
        metrics.counter("trace.records.accepted").increment(fresh.size());
        Map<String, Accepted> byHash = new HashMap<>();
        stored.forEach(a -> byHash.put(a.hash(), a));
        List<Outcome> outcomes = new ArrayList<>(group.size());
        for (int j = 0; j < group.size(); j++) {
            if (refused[j] != null) {
                outcomes.add(new Outcome(null, refused[j]));
                continue;
            }
            List<SignedRecord> records = group.get(j).records();
            List<Accepted> answers = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                if (replayed[j][i] != null) {
                    answers.add(replayed[j][i]);
                } else if (repeats[j][i] != null) {
                    answers.add(byHash.get(repeats[j][i]).asReplay());
                } else {
                    answers.add(byHash.get(records.get(i).hash()));
                }
            }
            outcomes.add(new Outcome(answers, null));
        }
        return outcomes;
    }

    /**
     * Failed items that are byte-for-byte resubmissions (by their own actor) of logged records, or of
     * records accepted earlier in the same group ({@code groupHashes}; marked in {@code repeats}), become
     * replays of their first acknowledgement.
     */
    private void resolveReplays(List<SignedRecord> records, String caller, ProblemException[] failures, Accepted[] replayed, Set<String> groupHashes,
            String[] repeats) {
        List<SignedRecord> candidates = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (failures[i] != null && records.get(i).record().actor().equals(caller)) {
                if (groupHashes.contains(records.get(i).hash())) {
                    repeats[i] = records.get(i).hash();
                    failures[i] = null;
                } else {
                    candidates.add(records.get(i));
                }
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

    /** The problem that refuses a request: its one failure, or a list of every failing item; null if none failed. */
    private static ProblemException rejection(ProblemException[] failures) {
        int n = failures.length;
        List<Problem.ItemError> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                errors.add(failures[i].asItem(i));
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        if (n == 1) {
            return failures[0];
        }
        return new ProblemException(ProblemKind.BATCH_REJECTED, errors.size() + " of " + n + " records failed; nothing was stored", errors);
    }

    static String receiver(TraceRecord record) {
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
}
