package org.batterytrace.server;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A stop ({@code SIGTERM}: a rolling deploy, a scale-down) that answers every request it took. Cut off,
 * a client cannot tell whether its bulk was logged (it may retry safely, but every deploy would show up
 * as reset connections in every enterprise's error log). From the moment the stop begins:
 * <ol>
 * <li>readiness ({@code /q/health/ready}) reports DOWN, so a balancer stops sending requests here; for
 * {@code quarkus.shutdown.delay} (default none) requests are still served while it notices;</li>
 * <li>then requests that arrive are refused with {@code 503 server-stopping}, {@code Retry-After} and
 * {@code Connection: close} (after their body is read; {@code RequestLimits}, which makes every refusal
 * before a resource runs, asks {@link #refusesNewRequests()}), while the requests under way finish and get
 * their own answers: Quarkus waits for them up to {@code quarkus.shutdown.timeout} (10 s);</li>
 * <li>only then does the group commit stop, and the background work stop as {@link ScheduledWork} says.</li>
 * </ol>
 */
@ApplicationScoped
@Readiness
public class Stopping implements HealthCheck {
    /** Long enough for a client to reach another instance, or this one restarted. */
    public static final int RETRY_AFTER_SECONDS = 2;

    @ConfigProperty(name = "quarkus.shutdown.delay")
    Optional<Duration> delay;

    private volatile boolean stopping;
    private volatile long refuseFromNanos;

    void begin(@Observes ShutdownDelayInitiatedEvent event) {
        refuseFromNanos = System.nanoTime() + delay.orElse(Duration.ZERO).toNanos();
        stopping = true;
    }

    /** Whether a request arriving now is refused: the stop has begun and its delay has passed. */
    public boolean refusesNewRequests() {
        return stopping && System.nanoTime() - refuseFromNanos >= 0;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting requests").status(!stopping).build();
    }
}
