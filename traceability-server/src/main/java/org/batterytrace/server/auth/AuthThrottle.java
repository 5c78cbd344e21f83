package org.batterytrace.server.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * Slows token guessing: a client address that presented more than {@code trace.auth.max-failures} unknown
 * or revoked tokens within {@code trace.auth.failure-window} gets 429 with {@code Retry-After} for every
 * token it presents until the window ends — valid ones too, so a guess that happens to hit tells it
 * nothing. Behind a reverse proxy, enable {@code quarkus.http.proxy.proxy-address-forwarding} so the
 * address is the client's. Counts are per instance, in memory.
 */
@ApplicationScoped
public class AuthThrottle {
    /** Addresses tracked at most; beyond this, expired windows are dropped first. */
    private static final int MAX_TRACKED = 100_000;

    @Inject
    TraceConfig config;

    private record Window(long startNanos, int failures) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** Throws 429 while {@code address} is over its limit. */
    public void checkAllowed(String address) {
        Window window = windows.get(address);
        long now = System.nanoTime();
        long length = config.auth().failureWindow().toNanos();
        if (window != null && now - window.startNanos() < length && window.failures() >= config.auth().maxFailures()) {
            long seconds = Math.max(1, Duration.ofNanos(length - (now - window.startNanos())).toSeconds() + 1);
            throw new ProblemException(ProblemKind.TOO_MANY_FAILED_AUTHENTICATIONS, "too many unknown or revoked tokens from this address; wait " + seconds + " s", null).retryAfter((int) seconds);
        }
    }

    public void recordFailure(String address) {
        long now = System.nanoTime();
        long length = config.auth().failureWindow().toNanos();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> now - w.startNanos() >= length);
        }
        windows.compute(address, (key, w) -> w == null || now - w.startNanos() >= length ? new Window(now, 1) : new Window(w.startNanos(), w.failures() + 1));
    }
}
