-- Issue 12 (witnesses): checkpoint notes carry witness cosignature lines; 'cosigned' is the size of the
-- newest checkpoint with at least one (-1: none yet), which evidence bundles prefer.
ALTER TABLE checkpoint ALTER COLUMN note SET DATA TYPE VARCHAR(16000);
INSERT INTO log_state (name, counter) VALUES ('cosigned', -1);

-- This server as a C2SP tlog-witness: its signer key (when not configured), and per witnessed log the
-- latest checkpoint it cosigned. Rows are locked while a request is checked, so two requests cannot roll it back.
CREATE TABLE witness_signer (
    name        VARCHAR(200)  PRIMARY KEY,
    signer_key  VARCHAR(500)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE witnessed_log (
    origin      VARCHAR(200)  PRIMARY KEY,
    size        BIGINT        NOT NULL,
    root_hash   CHAR(64),
    checkpoint  VARCHAR(16000),
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
