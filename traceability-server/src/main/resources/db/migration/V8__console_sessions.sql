-- Web console sessions (README, "Console"): only the SHA-256 of the random session id is stored; a session
-- lives until it expires, its owner signs out, or the API token it was opened with is revoked.
CREATE TABLE console_session (
    id_hash     CHAR(64)      PRIMARY KEY,
    token_id    VARCHAR(36)   NOT NULL REFERENCES api_token (id),
    org_id      CHAR(18)      NOT NULL REFERENCES organization (id),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_session_token ON console_session (token_id);
CREATE INDEX console_session_expiry ON console_session (expires_at);
