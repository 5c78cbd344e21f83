-- Portable between H2 (2.x) and PostgreSQL: hashes are lower-case hex, times are UTC timestamps.

CREATE TABLE organization (
    id                 CHAR(18)      PRIMARY KEY,
    name               VARCHAR(200)  NOT NULL,
    roles              VARCHAR(500)  NOT NULL,
    region             CHAR(6)       NOT NULL,
    qualified          BOOLEAN       NOT NULL,
    qualified_until    DATE,
    qualification_ref  VARCHAR(200),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE api_token (
    id          VARCHAR(36)   PRIMARY KEY,
    org_id      CHAR(18)      NOT NULL REFERENCES organization (id),
    token_hash  CHAR(64)      NOT NULL UNIQUE,
    label       VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX api_token_org ON api_token (org_id);

CREATE TABLE org_key (
    key_id          CHAR(64)      PRIMARY KEY,
    org_id          CHAR(18)      NOT NULL REFERENCES organization (id),
    alg             VARCHAR(16)   NOT NULL,
    public_key_pem  VARCHAR(4000) NOT NULL,
    valid_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    log_index       BIGINT        NOT NULL
);
CREATE INDEX org_key_org ON org_key (org_id);

-- One row per log leaf: battery records and key events. (subject, seq) makes chains unique.
CREATE TABLE log_entry (
    idx          BIGINT        PRIMARY KEY,
    subject      VARCHAR(128)  NOT NULL,
    seq          BIGINT        NOT NULL,
    type         VARCHAR(64)   NOT NULL,
    actor        VARCHAR(128)  NOT NULL,
    record_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    hash         CHAR(64)      NOT NULL,
    envelope     VARCHAR(1000000) NOT NULL,
    CONSTRAINT log_entry_chain UNIQUE (subject, seq),
    CONSTRAINT log_entry_hash UNIQUE (hash)
);

-- Hashes of complete Merkle subtrees (level 0 = leaves); written once, never updated.
CREATE TABLE merkle_node (
    lvl   INTEGER  NOT NULL,
    idx   BIGINT   NOT NULL,
    hash  CHAR(64) NOT NULL,
    PRIMARY KEY (lvl, idx)
);

-- Named counters and lock rows: 'size' is the log size (row-locked by appenders), 'integrator' serializes checkpointing.
CREATE TABLE log_state (
    name   VARCHAR(32) PRIMARY KEY,
    counter BIGINT     NOT NULL
);
INSERT INTO log_state (name, counter) VALUES ('size', 0);
INSERT INTO log_state (name, counter) VALUES ('integrator', 0);

CREATE TABLE log_signer (
    origin      VARCHAR(200)  PRIMARY KEY,
    signer_key  VARCHAR(500)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE checkpoint (
    size        BIGINT        PRIMARY KEY,
    root_hash   CHAR(64)      NOT NULL,
    note        VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE battery (
    code             VARCHAR(24)  PRIMARY KEY,
    level            CHAR(1)      NOT NULL,
    chemistry        CHAR(1)      NOT NULL,
    cascade_product  BOOLEAN      NOT NULL,
    production_date  DATE         NOT NULL,
    maker            CHAR(18)     NOT NULL,
    parent_code      VARCHAR(24),
    state            VARCHAR(16)  NOT NULL,
    custodian        CHAR(18)     NOT NULL,
    head_seq         BIGINT       NOT NULL,
    head_hash        CHAR(64)     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX battery_custodian ON battery (custodian, code);
CREATE INDEX battery_state ON battery (state, code);
CREATE INDEX battery_parent ON battery (parent_code);

-- A cascade product and the retired batteries it was assembled from.
CREATE TABLE battery_source (
    product_code  VARCHAR(24) NOT NULL,
    source_code   VARCHAR(24) NOT NULL,
    PRIMARY KEY (product_code, source_code)
);
CREATE INDEX battery_source_source ON battery_source (source_code);

CREATE TABLE transfer (
    id           VARCHAR(36)   PRIMARY KEY,
    subject      VARCHAR(24)   NOT NULL,
    seq          BIGINT        NOT NULL,
    from_org     CHAR(18)      NOT NULL,
    to_org       CHAR(18)      NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    offer        VARCHAR(100000) NOT NULL,
    log_index    BIGINT,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX transfer_to ON transfer (to_org, status);
CREATE INDEX transfer_subject ON transfer (subject, status);
