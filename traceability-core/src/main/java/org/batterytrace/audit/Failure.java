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
    ALGORITHM_MISMATCH,
    SIGNATURE_INVALID,
    SIGNER_NOT_PARTY,
    MISSING_SIGNATURE,
    CHAIN_BROKEN,
    LIFECYCLE_VIOLATION,
    EVENT_DATA_INVALID,
    INCLUSION_PROOF_INVALID
}
