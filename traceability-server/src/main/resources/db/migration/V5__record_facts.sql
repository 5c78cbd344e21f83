-- Read side for reports: facts parsed from record envelopes that SQL cannot read portably. One row per
-- TRANSFERRED record (its receiver, data.to) and per SOLD record (the 6-digit region where the vehicle
-- was sold, data.region, when the record gives one). RecordFacts fills it behind the log, up to the
-- watermark kept in log_state under 'facts' (the number of log entries examined).
CREATE TABLE record_fact (
    idx          BIGINT        PRIMARY KEY,
    subject      VARCHAR(128)  NOT NULL,
    seq          BIGINT        NOT NULL,
    type         VARCHAR(64)   NOT NULL,
    record_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    receiver     VARCHAR(18),
    sale_region  CHAR(6)
);
CREATE INDEX record_fact_subject ON record_fact (subject, type);
CREATE INDEX record_fact_receiver ON record_fact (receiver, type);
INSERT INTO log_state (name, counter) VALUES ('facts', 0);
