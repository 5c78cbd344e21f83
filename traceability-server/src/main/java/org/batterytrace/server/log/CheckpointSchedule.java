package org.batterytrace.server.log;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.jboss.logging.Logger;

/**
 * Runs the checkpoint integrator (checkpoints, the log-derived map, handing checkpoints to the witnesses)
 * every {@code trace.checkpoint.interval} on a thread of its own: the only checkpoint thread. The
 * Quarkus scheduler cannot run below one second, and a checkpoint should cover a record well within a
 * second of its acceptance.
 */
@ApplicationScoped
public class CheckpointSchedule {
    private static final Logger LOG = Logger.getLogger(CheckpointSchedule.class);

    @Inject
    CheckpointIntegrator integrator;
    @Inject
    TraceConfig config;

    private ScheduledExecutorService executor;
    private final RepeatedFailureWarning failures = new RepeatedFailureWarning(LOG, "checkpoint integration failed; retrying every round");

    void start(@Observes StartupEvent event) {
        long millis = Math.max(10, config.checkpoint().interval().toMillis());
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "checkpoint-integrator");
            thread.setDaemon(true);
            return thread;
        });
        // Start to start, so that the map work of a busy round does not add to the interval (checkpoint lag);
        // a round that takes longer than the interval delays the next, never overlaps it.
        executor.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The round under way finishes before the container goes away ({@link ScheduledWork}), then the map's store thread stops. */
    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            ScheduledWork.stop(executor);
        }
        integrator.stopStoring();
    }

    private void tick() {
        try {
            integrator.integrate(false);
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
