-- GB/T 34014 manufacturer codes filed by each enterprise (3 characters). A code belongs to one
-- enterprise; last_serial numbers the cascade-product codes the platform issued under it.
CREATE TABLE manufacturer_code (
    code         CHAR(3)   PRIMARY KEY,
    org_id       CHAR(18)  NOT NULL REFERENCES organization (id),
    last_serial  BIGINT    NOT NULL
);
CREATE INDEX manufacturer_code_org ON manufacturer_code (org_id);
