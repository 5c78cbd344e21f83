package org.batterytrace.server.witness;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The latest checkpoint this witness cosigned for one log (size 0 and no root before the first). */
@Entity
@Table(name = "witnessed_log")
public class WitnessedLogEntity extends PanacheEntityBase {
    @Id
    public String origin;
    public long size;
    @Column(name = "root_hash")
    public String rootHash;
    /** The checkpoint note as the log submitted it, kept as the witness's evidence. */
    public String checkpoint;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
