package org.batterytrace.server.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.batterytrace.compliance.ChinaTime;

/**
 * The one place the server reads the time. Instants are UTC, truncated to milliseconds (what every
 * database column keeps, so a value read back equals the one written); calendar days are days in
 * Beijing time ({@link ChinaTime#ZONE}), as reporting deadlines (Chinese working days), white-list
 * validity and certificate validity are. Tests replace the {@link Clock} bean to move time.
 */
@ApplicationScoped
public class TraceClock {
    @Inject
    Clock clock;

    /** Now, to the millisecond. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Today in Beijing time. */
    public LocalDate today() {
        return ChinaTime.date(clock.instant());
    }

    /** The system clock in UTC, unless a test provides another. */
    @Produces
    @DefaultBean
    @Singleton
    static Clock systemClock() {
        return Clock.systemUTC();
    }
}
