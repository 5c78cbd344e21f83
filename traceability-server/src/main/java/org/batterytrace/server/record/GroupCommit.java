package org.batterytrace.server.record;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.jboss.logging.Logger;

/**
 * Group commit: one writer thread per instance gathers the submissions that arrive while it is busy
 * into one log transaction — one lock, one chain load, one append, one durable commit — while every
 * request still gets its own answer (anchors: Trillian's sequencer, Tessera's batching). No timer: a
 * lone request is written at once, and under load the queue fills while the previous group commits.
 * <p>
 * Fairness: requests of at most {@code small-request} records go ahead of bulk requests; groups of
 * small requests and single bulk requests alternate, so a single write waits for at most one bulk
 * (plus its own group), never for a queue of them. On PostgreSQL bulk requests do not queue here: each
 * logs in a transaction of its own on its request thread, at most {@code bulk-writers} at once, and
 * writes the battery rows it registers before it takes the log lock ({@link BatteryRowsAhead}), while
 * the writer thread goes on committing groups of small requests. The lock is then held by a bulk only
 * for its rules and append; one bulk at a time waits for it, after the small requests waiting then
 * ({@link #takeBulkTurn}), so a single write still waits for at most one bulk.
 * <p>
 * What a request's answer means is unchanged: it is sent after the group's commit, so an index is
 * durable when acknowledged; a request is all-or-nothing and its failure does not touch its neighbours
 * ({@link RecordIngest#applyGroup}); a database outage fails the whole group with 503, and retries are
 * safe. Instances sharing a database still serialize on the log's row lock.
 * <p>
 * Metrics, as histograms (Prometheus buckets at {@code /q/metrics}), by kind ({@code small} or {@code bulk}):
 * {@code trace.log.group.wait}, how long a request waited for its group's transaction to start, and
 * {@code trace.log.group.commit}, how long a group's transaction took. A small request's latency is
 * about its wait plus its group's transaction; the wait's tail is the bulk transaction it queued behind.
 */
@ApplicationScoped
public class GroupCommit {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    @Inject
    RecordIngest ingest;
    @Inject
    TraceConfig config;
    @Inject
    MeterRegistry metrics;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.db-kind", defaultValue = "h2")
    String databaseKind;

    /** A request waiting for its group, since {@code queuedAt} (System.nanoTime). */
    private record Waiting(RecordIngest.Submission submission, CompletableFuture<List<RecordIngest.Accepted>> answer, long queuedAt) {
    }

    private Thread writer;
    private final ArrayDeque<Waiting> small = new ArrayDeque<>();
    private final ArrayDeque<Waiting> bulk = new ArrayDeque<>();
    private int queuedRecords;
    private boolean lastWasBulk;
    private boolean running;
    private volatile boolean enabled;
    /** Groups the writer thread has taken and finished: bulks on their own threads let waiting small requests go first. */
    private long groupsStarted;
    private long groupsWritten;
    /** One bulk at a time waits for or holds the log lock ({@link #takeBulkTurn}). */
    private final Semaphore bulkTurn = new Semaphore(1, true);
    /** Permits for bulk requests logging on their own threads; null: bulks queue for the writer thread. */
    private volatile Semaphore bulkWriters;
    private Timer smallWait;
    private Timer bulkWait;
    private Timer smallCommit;
    private Timer bulkCommit;

    void start(@Observes StartupEvent event) {
        enabled = config.records().groupCommit().enabled();
        writeBulksAhead(true);
        smallWait = histogram("trace.log.group.wait", "small", "time a request waited for its group's log transaction to start");
        bulkWait = histogram("trace.log.group.wait", "bulk", "time a request waited for its group's log transaction to start");
        smallCommit = histogram("trace.log.group.commit", "small", "a group's log transaction, lock to commit");
        bulkCommit = histogram("trace.log.group.commit", "bulk", "a group's log transaction, lock to commit");
        synchronized (this) {
            running = true;
        }
        writer = new Thread(this::writeLoop, "log-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) {
        List<Waiting> left = new ArrayList<>();
        synchronized (this) {
            running = false;
            left.addAll(small);
            left.addAll(bulk);
            small.clear();
            bulk.clear();
            notifyAll();
        }
        left.forEach(w -> w.answer().completeExceptionally(busy("the server is shutting down")));
        // The group being written commits (and its requests get their answers) before the connection pool closes.
        try {
            if (writer != null) {
                writer.join(ScheduledWork.GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Timer histogram(String name, String kind, String description) {
        return Timer.builder(name).tag("kind", kind).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(metrics);
    }

    /** Whether requests are gathered into groups; off, each request logs in a transaction of its own. */
    public boolean enabled() {
        return enabled;
    }

    /** Switches group commit on or off at run time: only for same-run benchmarks of both. */
    public void enable(boolean on) {
        enabled = on;
    }

    /**
     * On PostgreSQL with {@code bulk-writers} above 0, whether bulk requests log on their own threads with their
     * battery rows written ahead ({@link BatteryRowsAhead}); off, they queue for the writer thread. Switchable at
     * run time only for same-run benchmarks of both.
     */
    public void writeBulksAhead(boolean on) {
        int writers = config.records().groupCommit().bulkWriters();
        bulkWriters = on && writers > 0 && databaseKind.startsWith("postgres") ? new Semaphore(writers, true) : null;
    }

    /** Queues the (already pre-checked) submission and waits for its group's commit. */
    public List<RecordIngest.Accepted> submit(RecordIngest.Submission submission) {
        Waiting waiting = new Waiting(submission, new CompletableFuture<>(), System.nanoTime());
        Semaphore writers = bulkWriters;
        boolean ownThread = writers != null && isBulk(waiting);
        admit(waiting, !ownThread);
        if (ownThread) {
            return writeOnOwnThread(waiting, writers);
        }
        try {
            return waiting.answer().get(config.records().groupCommit().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw notCommitted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("interrupted while waiting for the log");
        }
    }

    /**
     * Queues a small (already pre-checked) submission without waiting for it, for a thread that must not wait (an
     * HTTP event loop): the answer completes on the writer thread once the group commits, or fails with 503 after
     * the group-commit timeout, as {@link #submit} would.
     */
    public CompletableFuture<List<RecordIngest.Accepted>> enqueue(RecordIngest.Submission submission) {
        Waiting waiting = new Waiting(submission, new CompletableFuture<>(), System.nanoTime());
        if (isBulk(waiting)) {
            throw new IllegalArgumentException("a bulk request waits for the log on a worker thread: submit it");
        }
        admit(waiting, true);
        return waiting.answer().orTimeout(config.records().groupCommit().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof TimeoutException ? notCommitted() : e));
    }

    /** Counts the request against the queue's limit (or refuses it with 503) and, with {@code queue}, queues it for the writer thread. */
    private void admit(Waiting waiting, boolean queue) {
        int size = waiting.submission().size();
        synchronized (this) {
            if (!running) {
                throw busy("the server is starting or shutting down");
            }
            if (queuedRecords + size > config.records().groupCommit().maxQueuedRecords()) {
                throw busy(queuedRecords + " records are waiting to be logged; this request's " + size + " would pass the limit of "
                        + config.records().groupCommit().maxQueuedRecords());
            }
            queuedRecords += size;
            if (queue) {
                (isBulk(waiting) ? bulk : small).add(waiting);
                notifyAll();
            }
        }
    }

    private ProblemException notCommitted() {
        return busy("the log did not commit within " + config.records().groupCommit().timeout().toSeconds() + " s; the records may be logged yet: retry");
    }

    /** A bulk request logged on its request thread, once one of the bulk writers' permits is free. */
    private List<RecordIngest.Accepted> writeOnOwnThread(Waiting waiting, Semaphore writers) {
        long timeout = config.records().groupCommit().timeout().toMillis();
        boolean permitted = false;
        try {
            permitted = writers.tryAcquire(timeout, TimeUnit.MILLISECONDS);
            if (!permitted) {
                throw busy("other bulk requests held the log's bulk writers for " + config.records().groupCommit().timeout().toSeconds() + " s");
            }
            long start = System.nanoTime();
            bulkWait.record(start - waiting.queuedAt(), TimeUnit.NANOSECONDS);
            RecordIngest.Outcome outcome = ingest.logBulk(waiting.submission());
            bulkCommit.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            metrics.summary("trace.log.group.requests").record(1);
            return outcome.orThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("interrupted while waiting for the log");
        } finally {
            if (permitted) {
                writers.release();
            }
            synchronized (this) {
                queuedRecords -= waiting.submission().size();
            }
        }
    }

    private static ProblemException busy(String detail) {
        return new ProblemException(ProblemKind.INGEST_BUSY, detail + " (an identical resubmission is answered with its first acknowledgement)", null).retryAfter(1);
    }

    private void writeLoop() {
        while (true) {
            List<Waiting> group = next();
            if (group == null) {
                return;
            }
            try {
                write(group);
            } finally {
                synchronized (this) {
                    groupsWritten++;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Takes this instance's bulk turn ({@link BatteryRowsAhead}): one bulk at a time waits for or holds the log lock,
     * and it lets the small requests waiting now go first, in one group. PostgreSQL serves the lock's waiters in
     * turn, so a small request waits for at most one bulk, as when bulks queued here. False if that took longer than
     * {@code timeoutMillis}; after true, {@link #endBulkTurn}.
     */
    boolean takeBulkTurn(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!bulkTurn.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        synchronized (this) {
            // The small requests waiting now form the next group (after the one being written, if any): it must end first.
            long mustBeWritten = small.isEmpty() ? groupsWritten : groupsStarted + 1;
            while (groupsWritten < mustBeWritten && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    bulkTurn.release();
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    /** {@link #takeBulkTurn} for a bulk that holds no rows ahead: it may wait as long as any request waits for the log. */
    void awaitBulkTurn() {
        try {
            if (!takeBulkTurn(config.records().groupCommit().timeout().toMillis())) {
                throw busy("other bulk requests held the log for " + config.records().groupCommit().timeout().toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("interrupted while waiting for the log");
        }
    }

    void endBulkTurn() {
        bulkTurn.release();
    }

    /** Groups the writer thread has taken so far, and small requests waiting for a group: for tests of the turn. */
    synchronized long[] progress() {
        return new long[] {groupsStarted, small.size()};
    }

    /** The next group: every waiting small request (up to the record limit), or one bulk request, in turn. */
    private synchronized List<Waiting> next() {
        while (running && small.isEmpty() && bulk.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                return null;
            }
        }
        if (!running) {
            return null;
        }
        groupsStarted++;
        List<Waiting> group = new ArrayList<>();
        int records = 0;
        boolean takeBulk = !bulk.isEmpty() && (small.isEmpty() || !lastWasBulk);
        if (takeBulk) {
            group.add(bulk.poll());
            records = group.get(0).submission().size();
        }
        int max = config.records().groupCommit().maxRecords();
        while (!small.isEmpty() && (group.isEmpty() || records + small.peek().submission().size() <= max) && !takeBulk) {
            Waiting w = small.poll();
            group.add(w);
            records += w.submission().size();
        }
        lastWasBulk = takeBulk;
        queuedRecords -= records;
        return group;
    }

    /** Bulk requests queue apart and take turns with groups of small ones (the class comment's fairness). */
    private boolean isBulk(Waiting waiting) {
        return waiting.submission().size() > config.records().groupCommit().smallRequest();
    }

    private void write(List<Waiting> group) {
        List<RecordIngest.Submission> submissions = group.stream().map(Waiting::submission).toList();
        List<RecordIngest.Outcome> outcomes;
        long start = System.nanoTime();
        boolean bulkGroup = isBulk(group.get(0));
        for (Waiting w : group) {
            (isBulk(w) ? bulkWait : smallWait).record(start - w.queuedAt(), TimeUnit.NANOSECONDS);
        }
        try {
            outcomes = QuarkusTransaction.requiringNew().call(() -> ingest.applyGroup(submissions));
            (bulkGroup ? bulkCommit : smallCommit).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            metrics.summary("trace.log.group.requests").record(group.size());
        } catch (RuntimeException e) {
            // The transaction failed as a whole (the database, most likely): nothing of the group is logged.
            group.forEach(w -> w.answer().completeExceptionally(e));
            return;
        } catch (Error e) {
            LOG.error("group commit failed", e);
            group.forEach(w -> w.answer().completeExceptionally(e));
            return;
        }
        // Committed: every acknowledgement is durable now.
        for (int i = 0; i < group.size(); i++) {
            RecordIngest.Outcome outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                group.get(i).answer().completeExceptionally(outcome.failure());
            } else {
                group.get(i).answer().complete(outcome.accepted());
            }
        }
    }
}
