package org.batterytrace.audit;

/** Every way an evidence bundle can fail offline verification. Each has a negative fixture in the tests. */
public enum Failure {
    MALFORMED_BUNDLE,
    CHECKPOINT_INVALID,
    /** A cosignature line by one of the witnesses the auditor pinned does not verify. */
    COSIGNATURE_INVALID,
    /** Fewer than the required number of pinned witnesses cosigned the checkpoint. */
    WITNESS_QUORUM_NOT_MET,
    CONSISTENCY_INVALID,
    SUBJECT_MISMATCH,
    KEY_EVENT_INVALID,
    UNKNOWN_KEY,
    KEY_NOT_VALID_AT_TIME,
    /** A record logged after its signing key's KEY_REVOKED entry, whatever time it claims (a back-dating stolen key). */
    SIGNED_AFTER_REVOCATION,
    ALGORITHM_MISMATCH,
    SIGNATURE_INVALID,
    SIGNER_NOT_PARTY,
    MISSING_SIGNATURE,
    CHAIN_BROKEN,
    LIFECYCLE_VIOLATION,
    EVENT_DATA_INVALID,
    INCLUSION_PROOF_INVALID,
    /** The bundle holds no record at all. */
    EMPTY_BUNDLE,
    /** The checkpoint commits to no map, or the bundle lacks a map proof it needs (a trace-evidence/1 bundle lacks all). */
    MAP_PROOF_MISSING,
    /** A map proof does not lead to the checkpoint's map root. */
    MAP_PROOF_INVALID,
    /** The bundle's last record is not the subject's head in the map: later records were left out. */
    NOT_LATEST,
    /** A signing key's status in the bundle's key events contradicts the map (e.g. a withheld KEY_REVOKED). */
    KEY_STATUS_MISMATCH,
    /** The bundle is larger than {@link BundleLimit#BUNDLE_BYTES}. */
    BUNDLE_TOO_LARGE,
    /** More records, key events or map proofs than {@link BundleLimit#ENTRIES}. */
    TOO_MANY_ENTRIES,
    /** A record carries more signatures than {@link BundleLimit#SIGNATURES_PER_RECORD}. */
    TOO_MANY_SIGNATURES,
    /** An inclusion or consistency proof longer than any tree below 2^64 leaves needs. */
    PROOF_TOO_LONG,
    /** A record dated before the previous record of its chain. */
    TIME_BEFORE_PREVIOUS,
    /** A chain opened under the wrong kind of code: PRODUCED on a cascade-product code, ASSEMBLED on an original one. */
    CODE_KIND_MISMATCH,
    /** One organization signed a record twice (the same signature twice, or two of its keys). */
    DUPLICATE_SIGNER,
    /** A battery PRODUCED as part of a parent whose level cannot hold it (a pack in a pack, a module in a cell). */
    LEVEL_MISMATCH,
    /** A facts entry ({@code ORG-} or {@code MFR-} chain) that is not log-signed, breaks its chain or holds malformed facts. */
    ORGANIZATION_EVENT_INVALID,
    /** The bundle carries no organization facts (a trace-evidence/1 or /2 bundle), so role, white-list and manufacturer-code rules cannot be checked. */
    ORGANIZATION_FACTS_MISSING,
    /** A record by an organization the log had not registered before it. */
    ACTOR_NOT_REGISTERED,
    /** The actor holds none of the roles that may record this event type (docs/record-format.md §9.1). */
    ROLE_NOT_ALLOWED,
    /** A transfer to no registered organization. */
    UNKNOWN_RECEIVER,
    /** A transfer to an organization that holds no role that may take custody (a regulator, an auditor). */
    RECEIVER_CANNOT_HOLD,
    /** A waste battery transferred to an organization not on the white list on the record's day. */
    RECEIVER_NOT_QUALIFIED,
    /** A battery registered under a manufacturer code another enterprise filed, or not under the actor's own. */
    MANUFACTURER_CODE_MISMATCH,
    /**
     * A record dated more than {@link Verifier#CLOCK_SKEW} after a pinned witness cosigned a tree that holds it:
     * the witness's timestamp is a clock the log does not control (checked only when witnesses are pinned).
     */
    TIME_IN_FUTURE,
    /** An ASSEMBLED cascade product names a source battery the log had not registered. */
    SOURCE_NOT_REGISTERED,
    /** An ASSEMBLED cascade product names a source that was not REPURPOSED by its assembler, and held by it, just before. */
    SOURCE_NOT_REPURPOSED,
    /** A battery PRODUCED as part of a parent the log had not registered. */
    PARENT_NOT_REGISTERED,
    /** A DISMANTLED record lists a component that is not registered as its part. */
    PART_NOT_REGISTERED,
    /** A SEPARATED part names a parent other than the one its PRODUCED named. */
    PART_OF_ANOTHER_PARENT,
    /** A part SEPARATED from a parent that the separating organization had not DISMANTLED. */
    PARENT_NOT_DISMANTLED,
    /** A battery RECYCLED into a lot that was not open and held by the recycler just before. */
    LOT_NOT_OPEN
}
