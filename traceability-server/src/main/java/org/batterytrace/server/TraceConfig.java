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

    Auth auth();

    interface Auth {
        /** Unknown or revoked tokens a client address may present per window before it gets 429. */
        @WithDefault("20")
        int maxFailures();

        /** The window over which failed authentications are counted. */
        @WithDefault("1m")
        Duration failureWindow();
    }

    Passport passport();

    interface Passport {
        /**
         * Public base URL of the passport pages: a battery's passport is {@code <base-url>/p/<code>}, the
         * address its QR code carries. Unset: taken from each request (fine for tests, not for printed labels).
         */
        Optional<java.net.URI> baseUrl();
    }

    interface Transfers {
        /** How long a transfer offer waits for the receiver before it expires. */
        @WithDefault("30d")
        Duration offerTtl();

        /** How often expired offers are marked EXPIRED. */
        @WithDefault("1m")
        String expirySweep();
    }

    interface Compliance {
        /** Use the State Council holiday notices shipped with the core (2018-2026) as the base calendar. */
        @WithDefault("true")
        boolean publishedHolidays();

        /** Public holidays (yyyy-MM-dd) that are not working days for reporting deadlines; they override the shipped calendar. */
        Optional<java.util.List<java.time.LocalDate>> holidays();

        /** Days worked in exchange for holidays (调休), which count as working days; they override the shipped calendar. */
        Optional<java.util.List<java.time.LocalDate>> workedWeekendDays();

        /** How long a waste battery may stay in a state before its next record is a missing upload. */
        Overdue overdue();
    }

    /** Working days a waste battery may stay in each state (docs/reporting-rules.md). */
    interface Overdue {
        /** RETIRED until COLLECTED (Art. 11's 30 working days for the warehouse-in report). */
        @WithDefault("30")
        int retired();

        /** COLLECTED until TESTED, DISMANTLED or RECYCLED. */
        @WithDefault("60")
        int collected();

        /** TESTED until REPURPOSED, DISMANTLED or RECYCLED. */
        @WithDefault("60")
        int tested();

        /** DISMANTLED until RECYCLED. */
        @WithDefault("60")
        int dismantled();
    }

    interface Checkpoint {
        /** How often the integrator looks for new entries to sign a checkpoint over. */
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
        /** How far in the future a record's time may be. */
        @WithDefault("5m")
        Duration maxClockSkew();

        /** Records per bulk request. */
        @WithDefault("10000")
        int maxBulk();

        /** Bytes of one signed record's canonical form: larger data belongs in a document the record references by hash. */
        @WithDefault("65536")
        int maxRecordBytes();
    }
}
