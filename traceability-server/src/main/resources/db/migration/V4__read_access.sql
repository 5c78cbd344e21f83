-- Regulators oversee a region: a prefix of the 6-digit division code ('' = the whole country).
ALTER TABLE organization ADD COLUMN region_scope VARCHAR(6);

-- Read access an organization grants an auditor to its batteries; each grant and revocation is also a log entry.
CREATE TABLE auditor_grant (
    id                    VARCHAR(36)  PRIMARY KEY,
    grantor               CHAR(18)     NOT NULL REFERENCES organization (id),
    auditor               CHAR(18)     NOT NULL REFERENCES organization (id),
    valid_from            TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_until           TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at            TIMESTAMP WITH TIME ZONE,
    log_index             BIGINT       NOT NULL,
    revocation_log_index  BIGINT
);
CREATE INDEX auditor_grant_auditor ON auditor_grant (auditor);
CREATE INDEX auditor_grant_grantor ON auditor_grant (grantor);
