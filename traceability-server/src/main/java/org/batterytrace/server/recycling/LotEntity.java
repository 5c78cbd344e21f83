package org.batterytrace.server.recycling;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.batterytrace.lifecycle.BatteryState;

/** A recycling lot's head (read side; the ingest path writes through {@link LotStore}). */
@Entity
@Table(name = "recycling_lot")
public class LotEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String recycler;
    public String process;
    @Enumerated(EnumType.STRING)
    public BatteryState state;
    public String custodian;
    @Column(name = "head_seq")
    public long headSeq;
    @Column(name = "head_hash")
    public String headHash;
    @Column(name = "opened_at")
    public Instant openedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
