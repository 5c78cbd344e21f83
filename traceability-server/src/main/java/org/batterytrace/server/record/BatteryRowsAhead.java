package org.batterytrace.server.record;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.recycling.LotId;
import org.batterytrace.server.battery.BatteryStore;

/**
 * The battery rows a bulk request registers, written in its transaction before it takes the log lock
 * (PostgreSQL), so that the lock is held for the append and the rules alone: a small request queued
 * behind a 5,000-battery registration waits that much less (the performance issue's fairness goal).
 * <p>
 * Only batteries the request opens with its one record about them qualify: their row is then what the
 * record alone makes it. Under the lock the chains are judged as always ({@link Chainer}, which does not
 * read these rows as heads); a refused request rolls the rows back with everything else.
 * <p>
 * Written ahead, the rows are visible to nobody but their unique index. A writer that registers one of
 * these codes meanwhile waits for this transaction, and this transaction, waiting for the log lock that
 * writer holds, would wait for it in turn. PostgreSQL's deadlock check would fail one of the two, possibly
 * the writer and its whole group of small requests. So this transaction holds its rows without the log
 * lock for at most half of the database's {@code deadlock_timeout} (read for each bulk, so a reloaded
 * setting counts), and never more than {@link #MAX_HOLD_MILLIS} ms, counted from its first row: writing
 * them, waiting for its bulk turn and waiting for the lock all come out of that one budget ({@link Hold}).
 * When it is spent, the transaction gives way ({@link #gaveWay}): it rolls back and the request is logged
 * the usual way, lock first. A writer blocked on one of its rows
 * therefore waits less than the budget, however the time was split, and its deadlock check (after
 * {@code deadlock_timeout}) finds no cycle. The same happens when the code was registered before (a
 * retried bulk: it is then answered with replays). Rows go in sorted by code, so two bulks writing ahead
 * wait for each other in one order only.
 */
record BatteryRowsAhead(List<BatteryStore.NewBattery> batteries, Map<String, ChainHead> heads) {
    /** The longest a transaction holds rows written ahead before it holds the log lock: half of PostgreSQL's default {@code deadlock_timeout} (1 s). */
    static final long MAX_HOLD_MILLIS = 500;

    /**
     * The hold budget under a {@code deadlock_timeout} of {@code deadlockTimeoutMillis} (empty: not PostgreSQL): half of
     * it, so that a writer blocked on a row written ahead is no longer blocked when its deadlock check runs, and at
     * most {@link #MAX_HOLD_MILLIS}, which bounds that writer's wait.
     */
    static long holdMillis(java.util.OptionalLong deadlockTimeoutMillis) {
        return Math.max(1, Math.min(MAX_HOLD_MILLIS, deadlockTimeoutMillis.orElse(2 * MAX_HOLD_MILLIS) / 2));
    }

    /** The hold budget of one transaction, {@code millis} from just before its first row ahead. */
    record Hold(long startNanos, long millis) {
        static Hold start(long millis) {
            return new Hold(System.nanoTime(), millis);
        }

        /** Whole milliseconds left of the budget; none left is the same as a lock not had: giving way. */
        long millisLeft() {
            long left = millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            if (left <= 0) {
                throw new TurnNotHad();
            }
            return left;
        }
    }

    /** The bulk turn of this instance ({@code RecordIngest.logBulk}) or the log lock was not had within the hold budget. */
    static final class TurnNotHad extends RuntimeException {
        TurnNotHad() {
            super("the bulk turn was not had within the hold budget", null, false, false);
        }
    }

    /** PostgreSQL's unique_violation, lock_not_available and deadlock_detected. */
    private static final Set<String> GIVE_WAY_STATES = Set.of("23505", "55P03", "40P01");

    /**
     * The rows of the batteries {@code submission} opens and touches with no other record, as its first
     * record makes them; empty if there are none, or if the request is refused anyway (a failed item).
     */
    static Optional<BatteryRowsAhead> of(RecordIngest.Submission submission, Instant now) {
        if (submission.refusal() != null) {
            return Optional.empty();
        }
        Map<String, Integer> recordsPerSubject = new HashMap<>();
        for (int i = 0; i < submission.size(); i++) {
            if (submission.failures()[i] != null) {
                return Optional.empty();
            }
            recordsPerSubject.merge(submission.records().get(i).record().subject(), 1, Integer::sum);
        }
        List<BatteryStore.NewBattery> batteries = new ArrayList<>();
        Map<String, ChainHead> heads = new HashMap<>();
        for (int i = 0; i < submission.size(); i++) {
            SignedRecord signed = submission.records().get(i);
            TraceRecord record = signed.record();
            EventType type = EventType.fromName(record.type()).orElseThrow();
            OrganizationFacts actor = submission.orgFacts().orgs().get(record.actor());
            if (!Lifecycle.rule(type).isGenesis() || LotId.looksLikeLot(record.subject()) || recordsPerSubject.get(record.subject()) != 1 || actor == null) {
                continue;
            }
            CustodyStatus opened;
            try {
                opened = Lifecycle.apply(null, type, record.actor(), actor.roles(), submission.receivers().get(i));
            } catch (RuntimeException refusedUnderTheLockToo) {
                continue;
            }
            BatteryStore.NewBattery battery = Chainer.newBattery(record, now, new ArrayList<>());
            batteries.add(battery);
            heads.put(battery.code(), new ChainHead(record.seq(), signed.hash(), opened.state(), opened.custodian(), record.instant(), battery.parentCode()));
        }
        return batteries.isEmpty() ? Optional.empty() : Optional.of(new BatteryRowsAhead(batteries, heads));
    }

    /** Whether {@code failure} is this transaction giving way (a code taken, a lock not had in time), not a database outage. */
    static boolean gaveWay(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TurnNotHad) {
                return true;
            }
            if (t instanceof SQLException sql && GIVE_WAY_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
