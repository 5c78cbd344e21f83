-- The log-derived map (docs/record-format.md §7): a compressed sparse Merkle tree of chain heads and key
-- statuses, stored as tiles of four levels (org.batterytrace.log.map.Tile). id = nibble depth + key prefix.
CREATE TABLE map_tile (
    id    BYTEA  PRIMARY KEY,
    body  BYTEA  NOT NULL
);
-- 'map' = the log size the stored map covers: the size of the latest checkpoint that names a map root.
INSERT INTO log_state (name, counter) VALUES ('map', 0);
-- The checkpoint's trace-map/1 root (hex); null for checkpoints signed before the map existed.
ALTER TABLE checkpoint ADD COLUMN map_root CHAR(64);
