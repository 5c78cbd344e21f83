package org.batterytrace.server.problem;

import java.util.Locale;
import org.batterytrace.log.Witness;

/**
 * Every kind of problem the API answers with: one meaning per kind, its HTTP status and title written
 * here once. The slug (the constant's name in lower case with dashes) ends the problem's {@code type},
 * {@code urn:batterytrace:problem:<slug>}; clients branch on it. The README lists them all, and
 * {@code ProblemKindsTest} checks that each one is asserted by some test.
 */
public enum ProblemKind {
    // 400: the request itself is malformed
    INVALID_REQUEST(400, "Bad request", "a parameter or body member is missing, out of range or contradicts another"),
    MALFORMED_JSON(400, "Malformed JSON", "the body is not the JSON this operation takes (syntax, duplicate member, wrong type)"),
    MALFORMED_RECORD(400, "Malformed record", "a signed record does not follow trace-record/1 (docs/record-format.md)"),
    MALFORMED_BATCH(400, "Malformed batch", "a bulk body is not {\"records\": [...]}"),
    RECORDS_MALFORMED(400, "Records malformed", "some records of a batch are malformed; the item errors list each; nothing was stored"),
    EMPTY_BATCH(400, "Empty batch", "a batch without records"),
    BATCH_TOO_LARGE(400, "Batch too large", "more records in one batch than the server takes"),
    INVALID_IDENTIFIER(400, "Invalid identifier", "a battery code, credit code, lot id or VIN fails its format or check digit"),
    INVALID_KEY(400, "Invalid key", "a public key that is not a PEM SubjectPublicKeyInfo of Ed25519, P-256 or SM2"),
    INVALID_MAP_KEY(400, "Invalid map key", "a map key other than head:<subject> or key:<64 hex>"),
    INVALID_RANGE(400, "Invalid range", "log entries or proofs asked for with start, end or sizes out of order"),
    INVALID_REGION_SCOPE(400, "Invalid region scope", "a regulator scope that is not a region code prefix or the country"),
    INVALID_ROLE(400, "Invalid role", "an organization role that does not exist or cannot be combined"),
    BAD_FORMAT(400, "Unsupported format", "an image format other than png or svg"),
    BAD_GROUP_BY(400, "Invalid groupBy", "a report grouping the report does not offer"),
    BAD_PAGE_TOKEN(400, "Invalid page token", "an EPCIS nextPageToken this server did not issue"),
    BAD_QUERY(400, "Invalid query", "an EPCIS query parameter this server does not support"),
    BAD_RANGE(400, "Invalid time window", "from/to/asOf that are not RFC 3339 date-times or dates, or from not before to"),
    BAD_REGION(400, "Invalid region", "a region that is not a 2-, 4- or 6-digit administrative division code"),
    BAD_STATE(400, "Invalid state", "a battery or lot state that does not exist"),
    BAD_TYPE(400, "Invalid record type", "a record type filter that names no record type"),
    UNKNOWN_EVENT_TYPE(400, "Unknown record type", "a record type that trace-record/1 does not define"),
    NOT_A_REGISTRATION(400, "Not a registration", "a record in the battery registration endpoint that is not PRODUCED or ASSEMBLED"),
    NOT_A_TRANSFER(400, "Not a transfer", "an offer that is not a TRANSFERRED record"),
    WITNESS_MALFORMED(400, "Malformed witness request", "a tlog-witness add-checkpoint body that is not well-formed (C2SP tlog-witness)"),
    WITNESS_OLD_SIZE_TOO_LARGE(400, "Old size too large", "the old size is larger than the checkpoint's tree"),
    // 401, 403: who the caller is
    UNAUTHORIZED(401, "Missing or invalid API token", "no bearer token, or one that is unknown or revoked"),
    ADMIN_REQUIRED(403, "Administrator only", "only the platform administrator may do this"),
    ORGANIZATION_REQUIRED(403, "Organization token required", "the administrator token acts for no organization"),
    NOT_YOUR_ORGANIZATION(403, "Not your organization", "acting on another organization's keys, tokens or grants"),
    ACTOR_MISMATCH(403, "Actor mismatch", "the record's actor is not the token's organization (or no registered organization)"),
    ROLE_NOT_ALLOWED(403, "Role not allowed", "the organization's roles do not allow this"),
    REGULATOR_REQUIRED(403, "Regulator only", "reports and EPCIS queries across enterprises are for regulators"),
    OUTSIDE_YOUR_REGION(403, "Outside your region", "a region outside the regulator's scope"),
    NOT_A_PARTY(403, "Not a party", "the read policy gives this caller no access to the chain (README: who may read what)"),
    NOT_CUSTODIAN(403, "Not the custodian", "only the battery's custodian may offer it"),
    CROSS_SITE_REQUEST(403, "Cross-site request refused", "a write authenticated by the console's session cookie without the session's CSRF token or from another origin"),
    NOT_THE_RECEIVER(403, "Not the receiver", "only the transfer's receiver may accept it"),
    WITNESS_UNTRUSTED_SIGNATURE(403, "Untrusted checkpoint signature", "no signature by a trusted key of the log verifies"),
    // 404: what is asked for does not exist (yet)
    NO_SUCH_PATH(404, "Not found", "no operation at this path"),
    BATTERY_NOT_FOUND(404, "Battery not found", "no battery with this code"),
    LOT_NOT_FOUND(404, "Lot not found", "no recycling lot with this id"),
    ORGANIZATION_NOT_FOUND(404, "Organization not found", "no organization with this credit code"),
    KEY_NOT_FOUND(404, "Key not found", "no key with this id for the organization"),
    TOKEN_NOT_FOUND(404, "Token not found", "no API token with this id for the organization"),
    GRANT_NOT_FOUND(404, "Grant not found", "no auditor grant with this id"),
    TRANSFER_NOT_FOUND(404, "Transfer not found", "no transfer with this id visible to the caller"),
    RECORD_NOT_FOUND(404, "Record not found", "no logged record with this hash"),
    NO_CHECKPOINT(404, "No checkpoint", "no checkpoint (yet, or for the tree size asked)"),
    NOT_YET_COVERED(404, "Not yet covered", "the entry is not in the checkpoint's tree yet (within about a second it is)"),
    MAP_PROOF_UNAVAILABLE(404, "Map proof unavailable", "no map checkpoint for the tree size asked"),
    NO_SUCH_TILE(404, "No such tile", "a tlog tile beyond the published tree"),
    ENTRIES_NOT_PUBLIC(404, "Entry bundles not public", "entry bundles hold record contents; anonymous callers get leaf hashes from /log/entries"),
    WITNESS_UNKNOWN_LOG(404, "Unknown log", "this witness is configured for no log with this origin"),
    METHOD_NOT_ALLOWED(405, "Method not allowed", "the path exists, the method does not"),
    NOT_ACCEPTABLE(406, "Not acceptable", "none of the media types in Accept can be produced"),
    // 409: the current state conflicts
    BATTERY_EXISTS(409, "Battery exists", "registering a battery code that is registered already"),
    LOT_EXISTS(409, "Lot exists", "opening a lot whose id is taken"),
    SEQ_CONFLICT(409, "Sequence taken", "another record took this sequence number first; prepare again"),
    CONCURRENT_UPDATE(409, "Concurrent update", "another request changed the same data first; reload and retry"),
    ORGANIZATION_EXISTS(409, "Organization exists", "an organization with this credit code is registered"),
    KEY_EXISTS(409, "Key exists", "this public key is registered already"),
    KEY_ALREADY_REVOKED(409, "Key already revoked", "revoking a key that is revoked"),
    MANUFACTURER_CODE_TAKEN(409, "Manufacturer code taken", "another organization filed this manufacturer code"),
    SERIALS_EXHAUSTED(409, "Serial numbers exhausted", "no cascade-product serial number is left for this day and code"),
    TRANSFER_PENDING(409, "Transfer pending", "the battery has a pending transfer already"),
    TRANSFER_CLOSED(409, "Transfer closed", "the transfer was accepted, rejected or cancelled"),
    TRANSFER_EXPIRED(409, "Transfer expired", "the offer waited longer than trace.transfers.offer-ttl"),
    WITNESS_FORK(409, "Fork", "same size as the witnessed tree, different root: the log forked"),
    // 413, 414, 415: limits and media types
    LENGTH_REQUIRED(411, "Length required", "a single-record POST /records with a chunked body: send its Content-Length"),
    BODY_TOO_LARGE(413, "Request body too large", "a body over trace.http's 64 MiB limit"),
    RECORD_TOO_LARGE(413, "Record too large", "a signed record over 64 KiB"),
    URI_TOO_LONG(414, "Request target too long", "a request target over 8 KiB"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "a body in a media type this operation does not take"),
    // 422: well-formed, but breaks a rule
    BATCH_REJECTED(422, "Batch rejected", "some records of a batch break a rule; the item errors list each; nothing was stored"),
    SIGNATURE_INVALID(422, "Invalid signature", "a signature does not verify over the record's canonical bytes"),
    MISSING_SIGNATURE(422, "Missing signature", "no valid signature by the actor (or, for a transfer, by the receiver)"),
    DUPLICATE_SIGNER(422, "Duplicate signer", "one organization signed the record twice"),
    SIGNER_NOT_PARTY(422, "Signer not a party", "a key of an organization that is neither actor nor receiver signed"),
    UNKNOWN_KEY(422, "Unknown key", "a signature names a key that is not registered"),
    ALGORITHM_MISMATCH(422, "Algorithm mismatch", "a signature's alg is not its key's algorithm"),
    KEY_NOT_VALID(422, "Key not valid then", "the record's time is before the key's validFrom"),
    KEY_REVOKED(422, "Key revoked", "the signing key is revoked: its records are refused whatever time they claim"),
    OFFER_SIGNATURES(422, "Offer signatures", "an offer must carry exactly the custodian's signatures"),
    TIME_IN_FUTURE(422, "Time in the future", "the record's time is later than now plus trace.records.max-clock-skew"),
    TIME_BEFORE_PREVIOUS(422, "Time before previous", "the record's time is earlier than its chain's previous record"),
    LIFECYCLE_VIOLATION(422, "Lifecycle violation", "the transition is not allowed from the battery's state, or not for the actor's role"),
    INVALID_EVENT_DATA(422, "Invalid event data", "data lacks or misstates what its record type needs (docs/record-format.md §9)"),
    CODE_KIND_MISMATCH(422, "Code kind mismatch", "PRODUCED on a cascade-product code or ASSEMBLED on an original one"),
    MANUFACTURER_CODE_MISMATCH(422, "Manufacturer code mismatch", "the code's manufacturer code is not one the actor filed"),
    PARENT_NOT_REGISTERED(422, "Parent not registered", "a module's or cell's parent is not registered (register packs before their modules and cells)"),
    LEVEL_MISMATCH(422, "Level mismatch", "a part at a level that cannot be part of its parent's (a pack in a module)"),
    PART_NOT_REGISTERED(422, "Part not registered", "a DISMANTLED record lists a component that is not registered as its part"),
    PART_OF_ANOTHER_PARENT(422, "Part of another parent", "a SEPARATED part is registered under another parent"),
    PARENT_NOT_DISMANTLED(422, "Parent not dismantled", "a part is SEPARATED from a parent that was never DISMANTLED"),
    SOURCE_NOT_REGISTERED(422, "Source not registered", "an ASSEMBLED cascade product names a source battery that is not registered"),
    SOURCE_NOT_REPURPOSED(422, "Source not repurposed", "an ASSEMBLED cascade product names a source its assembler did not REPURPOSE"),
    UNKNOWN_RECEIVER(422, "Unknown receiver", "a transfer to an organization that is not registered"),
    RECEIVER_CANNOT_HOLD(422, "Receiver cannot hold", "the receiver's roles cannot hold a battery in this state"),
    RECEIVER_NOT_QUALIFIED(422, "Receiver not white-listed", "waste batteries go only to enterprises white-listed on the record's day (Beijing time)"),
    NOT_AN_AUDITOR(422, "Not an auditor", "an auditor grant to an organization without the AUDITOR role"),
    LOT_NOT_OPEN(422, "Lot not open", "RECYCLED into a lot that is not open"),
    EMPTY_LOT(422, "Empty lot", "closing a lot that consumed no battery"),
    WITNESS_BAD_PROOF(422, "Bad consistency proof", "the consistency proof does not lead from the witnessed tree to the new one"),
    // 429, 5xx
    TOO_MANY_FAILED_AUTHENTICATIONS(429, "Too many requests", "too many failed authentications from this address; retry after Retry-After"),
    INTERNAL(500, "Internal server error", "a fault of the server's, logged; never a client's mistake"),
    DATABASE_UNAVAILABLE(503, "Service unavailable", "the database is down or restarting; retry after Retry-After"),
    INGEST_BUSY(503, "Service unavailable", "more records are waiting to be logged than the server queues, or the wait for the log timed out; retry after Retry-After (retries are safe)"),
    SERVER_STOPPING(503, "Service unavailable", "this instance is stopping and takes no new request; retry after Retry-After, at another instance or at this one once it is back (retries are safe)");

    public static final String TYPE_PREFIX = "urn:batterytrace:problem:";

    private final int status;
    private final String title;
    private final String meaning;

    ProblemKind(int status, String title, String meaning) {
        this.status = status;
        this.title = title;
        this.meaning = meaning;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String type() {
        return TYPE_PREFIX + slug();
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String meaning() {
        return meaning;
    }

    /** The kind of an error the HTTP layer raised with only a status. */
    public static ProblemKind ofHttpStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 404 -> NO_SUCH_PATH;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> INVALID_REQUEST;
        };
    }

    /** The kind of a tlog-witness refusal (C2SP tlog-witness, add-checkpoint). */
    public static ProblemKind of(Witness.Refusal refusal) {
        return switch (refusal) {
            case MALFORMED -> WITNESS_MALFORMED;
            case UNKNOWN_LOG -> WITNESS_UNKNOWN_LOG;
            case UNTRUSTED_SIGNATURE -> WITNESS_UNTRUSTED_SIGNATURE;
            case OLD_SIZE_TOO_LARGE -> WITNESS_OLD_SIZE_TOO_LARGE;
            // C2SP tlog-witness answers this one with the witnessed size as text/plain, not a problem.
            case OLD_SIZE_MISMATCH -> throw new IllegalArgumentException("an old-size mismatch is answered with the tlog size");
            case BAD_PROOF -> WITNESS_BAD_PROOF;
            case FORK -> WITNESS_FORK;
        };
    }
}
