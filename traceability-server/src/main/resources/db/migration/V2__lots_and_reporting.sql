-- When the platform accepted each record: reporting deadlines run from the event time to this.
ALTER TABLE log_entry ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX log_entry_actor ON log_entry (actor, idx);

-- Recycling lots: their chains live in log_entry like batteries'; these rows are their heads.
CREATE TABLE recycling_lot (
    id          VARCHAR(64)  PRIMARY KEY,
    recycler    CHAR(18)     NOT NULL,
    process     VARCHAR(32)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    custodian   CHAR(18)     NOT NULL,
    head_seq    BIGINT       NOT NULL,
    head_hash   CHAR(64)     NOT NULL,
    opened_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX recycling_lot_recycler ON recycling_lot (recycler, id);

-- A battery consumed by a lot (its RECYCLED record), by mass.
CREATE TABLE lot_input (
    battery_code  VARCHAR(24)  PRIMARY KEY,
    lot_id        VARCHAR(64)  NOT NULL,
    mass_g        BIGINT       NOT NULL,
    recycled_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX lot_input_lot ON lot_input (lot_id);

-- A closed lot's assay: grams of each metal in its input and recovered from it.
CREATE TABLE lot_metal (
    lot_id       VARCHAR(64) NOT NULL,
    metal        VARCHAR(2)  NOT NULL,
    contained_g  BIGINT      NOT NULL,
    recovered_g  BIGINT      NOT NULL,
    PRIMARY KEY (lot_id, metal)
);

-- Declared mass at registration (data.massGrams), for reports by mass.
ALTER TABLE battery ADD COLUMN mass_g BIGINT;
