package org.batterytrace.server.log;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.batterytrace.log.AddCheckpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.jboss.logging.Logger;

/**
 * Asks the configured witnesses to cosign new checkpoints (c2sp.org/tlog-witness, as the client) and
 * adds their cosignature lines to the stored checkpoint note, which {@code /log/checkpoint}, the tiles'
 * {@code checkpoint} and evidence bundles then carry. Each witness has its own worker thread that always
 * goes for the newest checkpoint, so a slow or dead witness delays neither the others nor the log: the
 * integrator only hands over sizes and never waits, and the log keeps checkpointing uncosigned when
 * every witness is down. Each request carries a consistency proof from the size the witness last
 * cosigned (learnt from its 409 answer); only cosignatures that verify under the witness's pinned key
 * are kept.
 */
@ApplicationScoped
public class Cosigner {
    private static final Logger LOG = Logger.getLogger(Cosigner.class);
    private static final String TLOG_SIZE = "text/x.tlog.size";

    @Inject
    TraceConfig config;
    @Inject
    TransparencyLog log;
    @Inject
    EntityManager em;
    @Inject
    MeterRegistry metrics;

    private final List<Worker> workers = new ArrayList<>();
    private HttpClient http;

    void onStart(@Observes StartupEvent event) {
        Map<String, TraceConfig.Cosigning.WitnessEndpoint> endpoints = config.cosigning().witnesses();
        if (endpoints.isEmpty()) {
            return;
        }
        http = HttpClient.newBuilder().connectTimeout(config.cosigning().timeout()).version(HttpClient.Version.HTTP_1_1).build();
        endpoints.forEach((id, endpoint) -> {
            Worker worker = new Worker(id, stripSlash(endpoint.url()), CosignerKey.parse(endpoint.key()));
            workers.add(worker);
            worker.thread.start();
        });
        LOG.infof("checkpoints are sent to witnesses %s", endpoints.keySet());
    }

    /**
     * The request or transaction under way ends first ({@link ScheduledWork}): interrupted, a worker's transaction
     * failed on the closing pool. A worker still busy after the grace (a witness slower than the timeout) is interrupted.
     */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        workers.forEach(Worker::stop);
        long deadline = System.nanoTime() + ScheduledWork.GRACE.toNanos();
        for (Worker w : workers) {
            w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            w.thread.interrupt();
        }
    }

    /** A checkpoint of this size exists: every witness is asked for it, or for a newer one, soon. Never blocks. */
    public void offer(long size) {
        for (Worker worker : workers) {
            worker.offer(size);
        }
    }

    /** Whether any witness is configured. */
    public boolean enabled() {
        return !workers.isEmpty();
    }

    private final class Worker implements Runnable {
        final String id;
        final String url;
        final CosignerKey key;
        final Thread thread;
        private long wanted = -1;
        private long done = -1;
        private boolean stopping;
        /** The size this witness last cosigned, as far as this instance knows; -1 until it says. */
        private long witnessed = -1;

        Worker(String id, String url, CosignerKey key) {
            this.id = id;
            this.url = url;
            this.key = key;
            this.thread = new Thread(this, "cosigner-" + id);
            this.thread.setDaemon(true);
        }

        synchronized void offer(long size) {
            if (size > wanted) {
                wanted = size;
                notifyAll();
            } else if (size == wanted && done >= size) {
                done = size - 1; // the size was signed again (with a map line, after an upgrade): ask again
                notifyAll();
            }
        }

        /** The next size to ask for; -1 once the server stops. */
        private synchronized long next() throws InterruptedException {
            while (wanted <= done && !stopping) {
                wait();
            }
            return stopping ? -1 : wanted;
        }

        synchronized void stop() {
            stopping = true;
            notifyAll();
        }

        private synchronized boolean stopping() {
            return stopping;
        }

        /** A pause that a stop ends at once. */
        private synchronized void pause(long millis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left = millis; left > 0 && !stopping; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                wait(left);
            }
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long size = next();
                    if (size < 0) {
                        return;
                    }
                    Timer.Sample sample = Timer.start(metrics);
                    String outcome = cosign(size);
                    sample.stop(metrics.timer("trace.log.cosigning", "witness", id, "outcome", outcome));
                    // A witness that is down or unreachable gets the newest checkpoint again after the pause, even if the
                    // log stays quiet meanwhile: otherwise the last checkpoint before a quiet spell would never be cosigned.
                    boolean transientFailure = outcome.equals("unavailable") || outcome.equals("unreachable");
                    if (!transientFailure) {
                        synchronized (this) {
                            done = size;
                        }
                    }
                    if (!outcome.equals("cosigned")) {
                        pause(config.cosigning().timeout().toMillis()); // do not hammer a witness that is down or refusing
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf(e, "cosigning by witness %s failed", id);
                }
            }
        }

        /** One checkpoint to one witness, with retries; returns the outcome for the metrics. */
        private String cosign(long size) throws InterruptedException {
            String note = QuarkusTransaction.requiringNew().call(() -> {
                CheckpointEntity checkpoint = em.find(CheckpointEntity.class, size);
                return checkpoint == null ? null : checkpoint.note;
            });
            if (note == null) {
                return "missing";
            }
            long old = Math.max(witnessed, 0);
            for (int attempt = 1; attempt <= config.cosigning().attempts() && !stopping(); attempt++) {
                if (old > size) {
                    LOG.warnf("witness %s has cosigned size %d, larger than this log's %d: was the log rolled back?", id, old, size);
                    return "ahead";
                }
                long from = old;
                List<byte[]> proof = from == 0 || from == size ? List.of() : log.read(size, tree -> tree.consistencyProof(from, size));
                HttpResponse<String> response;
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/add-checkpoint")).timeout(config.cosigning().timeout())
                            .header("Content-Type", "text/plain; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofString(new AddCheckpoint(from, proof, note).format())).build();
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    LOG.debugf("witness %s unreachable (attempt %d): %s", id, attempt, e.toString());
                    pause(Math.min(1_000, 50L * attempt));
                    continue;
                }
                if (response.statusCode() == 200) {
                    witnessed = size;
                    return store(size, note, response.body()) ? "cosigned" : "invalid";
                }
                if (response.statusCode() == 409 && response.headers().firstValue("Content-Type").orElse("").startsWith(TLOG_SIZE)) {
                    String body = response.body().trim();
                    if (!body.matches("0|[1-9][0-9]{0,18}")) {
                        return "refused";
                    }
                    old = Long.parseLong(body);
                    witnessed = old;
                    continue;
                }
                LOG.warnf("witness %s refused checkpoint %d with %d: %s", id, size, response.statusCode(), abbreviate(response.body()));
                return response.statusCode() >= 500 ? "unavailable" : "refused";
            }
            return "unreachable";
        }

        /** Keeps the lines of the response that are valid cosignatures by this witness's key. */
        private boolean store(long size, String note, String body) {
            Note parsed = Note.parse(note);
            List<Note.Signature> valid = new ArrayList<>();
            for (String line : body.split("\n")) {
                try {
                    Note.Signature signature = Note.Signature.parseLine(line);
                    if (signature.isBy(key.name(), key.keyId()) && Cosignatures.verify(new Note(parsed.text(), List.of(signature)), key).isPresent()) {
                        valid.add(signature);
                    }
                } catch (CheckpointException e) {
                    LOG.warnf("witness %s answered a line that is not a valid cosignature: %s", id, e.getMessage());
                }
            }
            if (valid.isEmpty()) {
                return false;
            }
            return QuarkusTransaction.requiringNew().call(() -> {
                CheckpointEntity checkpoint = em.find(CheckpointEntity.class, size, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                Note current = Note.parse(checkpoint.note);
                if (!current.text().equals(parsed.text())) {
                    return false; // signed again meanwhile (a map line added): these lines cosign the old text
                }
                checkpoint.note = current.with(valid).format();
                em.createNativeQuery("UPDATE log_state SET counter = ?1 WHERE name = 'cosigned' AND counter < ?1").setParameter(1, size).executeUpdate();
                return true;
            });
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
