package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The order of a stop behind a balancer: readiness DOWN at once, requests still served for
 * {@code quarkus.shutdown.delay} while the balancer notices, refused after it. (GracefulStopIT drives a
 * whole stop, without a delay, through a packaged server.)
 */
class StoppingTest {
    @Test
    void readinessGoesDownAtOnceAndRequestsAreRefusedOnlyAfterTheDelay() throws Exception {
        Stopping stopping = new Stopping();
        stopping.delay = Optional.of(Duration.ofMillis(400));
        assertEquals(HealthCheckResponse.Status.UP, stopping.call().getStatus());
        assertFalse(stopping.refusesNewRequests());

        stopping.begin(null);
        assertEquals(HealthCheckResponse.Status.DOWN, stopping.call().getStatus(), "a balancer sees the stop at once");
        assertFalse(stopping.refusesNewRequests(), "requests are still served while the balancer notices");
        Thread.sleep(450);
        assertTrue(stopping.refusesNewRequests(), "after the delay, new requests are refused");
    }

    @Test
    void withoutADelayRequestsAreRefusedFromTheStart() {
        Stopping stopping = new Stopping();
        stopping.delay = Optional.empty();
        stopping.begin(null);
        assertTrue(stopping.refusesNewRequests());
    }
}
