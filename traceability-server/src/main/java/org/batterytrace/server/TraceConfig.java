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

    Console console();

    interface Console {
        /** How long a web console session lasts after sign-in (README, "Console"). */
        @WithDefault("8h")
        Duration sessionTtl();
    }

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

        /**
         * How long shared caches (a CDN in front of QR-code scans) may serve a public passport or battery
         * summary before asking again; answers to a token are never shared.
         */
        @WithDefault("60s")
        Duration publicMaxAge();

        /**
         * Public passports the server keeps for that long itself (about 5 kB each), so that scans which reach
         * it cost no rebuild; 0 keeps none. Only with a base URL: see {@code PublicPassports}.
         */
        @WithDefault("10000")
        int publicCacheEntries();
    }

    Tiles tiles();

    Witness witness();

    Cosigning cosigning();

    /** The public, tokenless C2SP tlog-tiles view of the log: its checkpoint and hash tiles (no entry bundles). */
    interface Tiles {
        /** URL path under which {@code checkpoint} and {@code tile/<L>/<N>[.p/<W>]} are served. */
        @WithDefault("/tlog")
        String prefix();

        /** How long caches may keep a partial tile; full tiles never change and are cacheable for a year. */
        @WithDefault("60s")
        Duration partialMaxAge();
    }

    /** This server as a C2SP tlog-witness for other logs ({@code POST /api/v1/witness/add-checkpoint}). */
    interface Witness {
        /** The witness's name: the key name of its cosignatures. */
        @WithDefault("batterytrace.local/witness")
        String name();

        /** Signer key ({@code PRIVATE+KEY+<name>+…}); generated and stored in the database when absent. */
        Optional<String> signerKey();

        /** Note verifier keys of the logs this server witnesses; each log's origin is its key's name. */
        Optional<java.util.List<String>> logs();
    }

    /** The witnesses this log asks to cosign each new checkpoint. */
    interface Cosigning {
        /** By any id: {@code trace.cosigning.witnesses.<id>.url} and {@code .key}. */
        java.util.Map<String, WitnessEndpoint> witnesses();

        /** Time allowed for one add-checkpoint request, connection included. */
        @WithDefault("1s")
        Duration timeout();

        /** Requests per witness and checkpoint; a 409 naming the witness's size is answered at once, failures after a short pause. */
        @WithDefault("3")
        int attempts();

        /**
         * How long a new checkpoint waits for a cosignature before it is published without one; until then
         * the newest cosigned checkpoint is the published one.
         */
        @WithDefault("2s")
        Duration publishWait();

        interface WitnessEndpoint {
            /** The witness's submission prefix: checkpoints go to {@code <url>/add-checkpoint}. */
            String url();

            /** The witness's cosigner key, type 0x04 ({@code <name>+<key ID>+<base64>}). */
            String key();
        }
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
        /** How often the integrator looks for new entries to sign a checkpoint over (and apply to the map). */
        @WithDefault("200ms")
        Duration interval();

        /**
         * How long the scheduled integrator keeps map tiles unstored (computed for signed checkpoints, not
         * yet written; proofs are served from them meanwhile) before a background store writes them. Longer
         * writes a tile that several checkpoints change once (fewer rows per record), holds more tiles in
         * memory, and leaves more entries to replay after a crash. 0: after every round.
         */
        @WithDefault("30s")
        Duration mapStoreInterval();

        /**
         * Unstored map tiles that start a store before the interval is up: a bound on memory (a tile takes
         * about 2.7 kB of heap). At twice as many, the integrator waits for the store.
         */
        @WithDefault("100000")
        int mapUnstoredTiles();
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

        /** Group commit: concurrent submissions share one log transaction (see {@code GroupCommit}). */
        GroupCommit groupCommit();

        interface GroupCommit {
            /** Off: each request appends in a transaction of its own (the behaviour before group commit). */
            @WithDefault("true")
            boolean enabled();

            /** Records one log transaction gathers at most (a single larger request still goes alone). */
            @WithDefault("5000")
            int maxRecords();

            /** Requests of at most this many records count as small: they go ahead of bulk requests, alternating with them. */
            @WithDefault("100")
            int smallRequest();

            /** Records waiting at most; beyond this new requests get 503 with Retry-After instead of queueing without bound. */
            @WithDefault("100000")
            int maxQueuedRecords();

            /** How long a request waits for its group's commit before it gets 503 (its records may still be logged: retry, retries are safe). */
            @WithDefault("60s")
            Duration timeout();

            /**
             * On PostgreSQL, bulk requests log in transactions of their own, at most this many at once, and write their new
             * battery rows before they take the log lock ({@code BatteryRowsAhead}); 0 queues them with the small groups,
             * as on H2.
             */
            @WithDefault("2")
            int bulkWriters();
        }
    }
}
