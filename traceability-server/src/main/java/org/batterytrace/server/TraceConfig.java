package org.batterytrace.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings under {@code trace.*}; see the configuration table in the README. */
@ConfigMapping(prefix = "trace")
public interface TraceConfig {
    Log log();

    Admin admin();

    Records records();

    Checkpoint checkpoint();

    Compliance compliance();

    Transfers transfers();

    interface Transfers {
        /** How long a transfer offer waits for the receiver before it expires. */
        @WithDefault("30d")
        Duration offerTtl();

        /** How often expired offers are marked EXPIRED. */
        @WithDefault("1m")
        String expirySweep();
    }

    interface Compliance {
        /** Public holidays (yyyy-MM-dd) that are not working days for reporting deadlines. */
        Optional<java.util.List<java.time.LocalDate>> holidays();

        /** Weekend days worked in exchange for holidays (调休), which count as working days. */
        Optional<java.util.List<java.time.LocalDate>> workedWeekendDays();
    }

    interface Checkpoint {
        /** How often the integrator looks for new entries to sign a checkpoint over (and apply to the map). */
        @WithDefault("200ms")
        Duration interval();
    }

    interface Log {
        /** Checkpoint origin and log key name. */
        @WithDefault("batterytrace.local/log")
        String origin();

        /** C2SP signer key; generated and stored in the database when absent. */
        Optional<String> signerKey();
    }

    interface Admin {
        /** Bearer token of the platform administrator; random and logged at start-up when absent. */
        Optional<String> token();
    }

    interface Records {
        @WithDefault("5m")
        Duration maxClockSkew();

        @WithDefault("10000")
        int maxBulk();
    }
}
